// What every importer shares: notes as plain text, and rows made into check-ins with the person's
// mapping — stable ids from the row (importing twice adds nothing), Thaw's limits kept, every row
// checked before anything is written. DOM-free.
import { localKey, momentOf } from './dates.js';
import { LIMITS, cleanLabel, validate } from './entry.js';
import { asFeeling } from './mood-map.js';
import { ImportError } from './transfer.js';

export { ImportError };

export const LIMITS_IMPORT = {
  fileBytes: 64 * 1024 * 1024, // the largest file read at all
  textBytes: 48 * 1024 * 1024, // the largest CSV or backup text
  rows: 100_000, // check-ins in one file
  depth: 64, // nesting of a backup's JSON
};
export const FUTURE_MS = 86_400_000; // the Trust rule: nothing more than a day ahead of this device
const IMPORT_NODE = '0000000000000da1'; // a fixed clock node, so the same row always gets the same clock

const ENTITIES = {
  nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", hellip: '…', mdash: '—', ndash: '–',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', middot: '·', bull: '•', euro: '€', copy: '©',
};

/** A note that may hold HTML (`<br>`, `&nbsp;`, `&amp;`) as plain text; the text itself is kept. */
export function plainText(text) {
  const source = String(text ?? '');
  // Most notes are one plain line: nothing below would change them but the trim.
  if (!/[\r\n<&\u00a0]/.test(source)) return source.trim();
  let out = source.replace(/\r\r\n|\r\n|\r/g, '\n');
  if (/<\/?[a-z][^<>]*>|&(#\d+|#x[0-9a-f]+|[a-z]+);/i.test(out)) {
    out = out
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<li[^<>]*>/gi, '• ')
      .replace(/<\/(p|div|li|h[1-6]|blockquote|ul|ol)>/gi, '\n')
      .replace(/<\/?[a-z][^<>]*>/gi, '')
      .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name) => {
        if (name[0] === '#') {
          const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
          return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
        }
        return ENTITIES[name.toLowerCase()] ?? whole;
      });
  }
  return out.replace(/\u00a0/g, ' ').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** Several note parts (title, note, reflections…) as one note, blank parts left out. */
export function joinNote(...parts) {
  return parts.map((p) => plainText(p)).filter(Boolean).join('\n');
}

// SHA-256 (FIPS 180-4) of short texts, in plain JS: ids are made for every row of a file, and
// 10,000 crypto.subtle.digest calls cost more in promises and thread hops than the hashing itself.
const K = Uint32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const W = new Uint32Array(64);
const SHORT = new Uint8Array(128); // padded input of up to two blocks (every id key), reused
const ASCII = new Uint8Array(SHORT.length);
const encoder = new TextEncoder();

/** The SHA-256 digest of `bytes` (up to 512 MB) as eight 32-bit words. */
export function sha256(bytes) {
  const length = bytes.length;
  const blocks = Math.ceil((length + 9) / 64);
  const padded = blocks <= 2 ? SHORT.subarray(0, blocks * 64).fill(0) : new Uint8Array(blocks * 64);
  padded.set(bytes);
  padded[length] = 0x80;
  const bits = length * 8;
  const end = padded.length;
  padded[end - 5] = Math.floor(bits / 2 ** 32) & 0xff;
  padded[end - 4] = bits >>> 24;
  padded[end - 3] = (bits >>> 16) & 0xff;
  padded[end - 2] = (bits >>> 8) & 0xff;
  padded[end - 1] = bits & 0xff;
  let h0 = 0x6a09e667; let h1 = 0xbb67ae85; let h2 = 0x3c6ef372; let h3 = 0xa54ff53a;
  let h4 = 0x510e527f; let h5 = 0x9b05688c; let h6 = 0x1f83d9ab; let h7 = 0x5be0cd19;
  for (let block = 0; block < end; block += 64) {
    for (let t = 0; t < 16; t += 1) {
      const p = block + t * 4;
      W[t] = (padded[p] << 24) | (padded[p + 1] << 16) | (padded[p + 2] << 8) | padded[p + 3];
    }
    for (let t = 16; t < 64; t += 1) {
      const a = W[t - 15];
      const b = W[t - 2];
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
    }
    let a = h0; let b = h1; let c = h2; let d = h3; let e = h4; let f = h5; let g = h6; let h = h7;
    for (let t = 0; t < 64; t += 1) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[t] + W[t]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0;
  }
  return Uint32Array.of(h0, h1, h2, h3, h4, h5, h6, h7);
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const hex8 = (w) => HEX[w >>> 24] + HEX[(w >>> 16) & 0xff] + HEX[(w >>> 8) & 0xff] + HEX[w & 0xff];

/** UTF-8 of `text`: ASCII (every id key) written straight into a reused buffer. */
function utf8(text) {
  if (text.length > SHORT.length) return encoder.encode(text);
  const out = ASCII.subarray(0, text.length);
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return encoder.encode(text);
    out[i] = c;
  }
  return out;
}

/** A UUID v4-shaped id: the first 16 bytes of SHA-256 of `text` (UTF-8), version and variant bits set. */
export function stableId(text) {
  const [w0, w1, w2, w3] = sha256(utf8(text));
  const b = (w1 & 0xffff0fff) | 0x4000; // byte 6: version 4
  const c = (w2 & 0x3fffffff) | 0x80000000; // byte 8: the variant
  return `${hex8(w0)}-${HEX[(b >>> 24) & 0xff]}${HEX[(b >>> 16) & 0xff]}-${HEX[(b >>> 8) & 0xff]}${HEX[b & 0xff]}-`
    + `${HEX[(c >>> 24) & 0xff]}${HEX[(c >>> 16) & 0xff]}-${HEX[(c >>> 8) & 0xff]}${HEX[c & 0xff]}${hex8(w3)}`;
}

const chars = (text) => [...text];

/** Moods counted in file order: [{key, label, count, ...extra}] from records' `mood` and `moodLabel`. */
export function countMoods(records, extra = () => ({})) {
  const moods = new Map();
  for (const r of records) {
    const found = moods.get(r.mood);
    if (found) found.count += 1;
    else moods.set(r.mood, { key: r.mood, label: r.moodLabel ?? r.mood, count: 1, ...extra(r) });
  }
  return [...moods.values()];
}

/** Give the page a turn: `scheduler.yield()` where there is one (this work then goes on first), else a new task. */
export function yieldToPage() {
  const { scheduler } = globalThis;
  return typeof scheduler?.yield === 'function' ? scheduler.yield() : new Promise((resolve) => { setTimeout(resolve, 0); });
}

/** Give the page every turn it wants: go on only when nothing else waits (work done ahead of need). */
export function yieldToAll() {
  const { scheduler } = globalThis;
  return typeof scheduler?.postTask === 'function'
    ? scheduler.postTask(() => {}, { priority: 'background' })
    : new Promise((resolve) => { setTimeout(resolve, 0); });
}

/**
 * For long loops on the main thread: `due()` says when `budget` ms have run since the last
 * turn, `pause()` gives the page its turn. Measured in time, not rows, so a slow or busy phone
 * still never holds the page for long.
 */
export function timeSlicer(budget = 25, pause = yieldToPage) {
  let since = performance.now();
  return {
    due: () => performance.now() - since > budget,
    async pause() {
      await pause();
      since = performance.now();
    },
  };
}

/** Run a reader written as a generator (it yields where it may pause) to its end at once. */
export function runAtOnce(steps) {
  for (;;) {
    const { done, value } = steps.next();
    if (done) return value;
  }
}

/** Run a reader written as a generator, giving the page a turn whenever a time slice is used up. */
export async function runInSlices(steps, slicer = timeSlicer()) {
  for (;;) {
    const { done, value } = steps.next();
    if (done) return value;
    if (slicer.due()) await slicer.pause();
  }
}

// Rows are checked with this feeling in its place: the person's mapping only changes feelings,
// so everything else about a row is made and checked before they choose (prepareRows).
const ANY_FEELING = Object.freeze({ core: 'numb' });
const PREPARED_MS = 3_600_000; // rows prepared longer ago are made again (the future rule moves)

/**
 * Everything about read rows that does not depend on the person's mapping, made while they look
 * at the mapping screen: each row's id, time, tags and note, checked. The id comes from the
 * source, the minute and how many rows before it share that minute (rows more than a day ahead
 * of this device's clock, which are skipped by the Trust rule, not counted), so the same file —
 * or the CSV and the backup of the same diary — never adds anything twice. Each row keeps its
 * wall-clock time (and its offset when the file has one). Pauses whenever a time slice is used up.
 */
export async function prepareRows(parsed, { now = Date.now(), slicer = timeSlicer() } = {}) {
  const rows = []; // per record, in file order: {entry} | {future: message} | {problems}
  const tags = new Set();
  const seen = new Map();
  const labels = new Map(); // each activity's text cleaned once, not once per row
  const labelOf = (raw) => {
    let label = labels.get(raw);
    if (label === undefined) { label = cleanLabel(raw); labels.set(raw, label); }
    return label;
  };
  let shortened = 0;
  let tooManyTags = 0;
  const { records } = parsed;
  for (let i = 0; i < records.length; i += 1) {
    if (i % 64 === 0 && slicer.due()) await slicer.pause();
    const r = records[i];
    const { ms, at } = momentOf(r.day, r.time, r.offset ?? null);
    if (ms > now + FUTURE_MS) {
      rows.push({ future: `It is dated ${at.slice(0, 16).replace('T', ' ')}, more than a day ahead of this device’s clock.` });
      continue;
    }
    const minute = localKey(r.day, r.time);
    const n = (seen.get(minute) ?? 0) + 1;
    seen.set(minute, n);
    const unique = new Set();
    for (const raw of r.tags ?? []) {
      const label = labelOf(raw);
      if (label) unique.add(label);
    }
    const clean = [];
    let cut = false;
    for (const t of unique) {
      // A text never has more characters than UTF-16 units: only long ones need counting.
      if (t.length <= LIMITS.tag || chars(t).length <= LIMITS.tag) { clean.push(t); continue; }
      shortened += 1;
      cut = true;
      clean.push(chars(t).slice(0, LIMITS.tag).join('').trim());
    }
    const distinct = cut ? [...new Set(clean)] : clean; // two long tags may shorten to one
    const kept = distinct.slice(0, LIMITS.tags);
    const rest = distinct.slice(LIMITS.tags);
    for (const t of kept) tags.add(t);
    let note = r.note ?? '';
    if (rest.length) {
      tooManyTags += 1;
      note = [note, `Also: ${rest.join(', ')}`].filter(Boolean).join('\n');
    }
    if (note.length > LIMITS.note && chars(note).length > LIMITS.note) {
      note = `${chars(note).slice(0, LIMITS.note - 1).join('')}…`;
      shortened += 1;
    }
    const result = validate({
      id: stableId(`${parsed.idSource}|${minute}|${n}`),
      at,
      feeling: ANY_FEELING,
      intensity: null,
      body: [],
      tags: kept,
      note,
      hlc: `${String(Math.max(0, ms)).padStart(13, '0')}-0000-${IMPORT_NODE}`,
      deleted: false,
    });
    rows.push(result.ok ? { entry: result.entry } : { problems: result.problems.map((p) => p.message) });
  }
  return { parsed, now, rows, shortened, tooManyTags, tags: [...tags] };
}

/**
 * Check-ins from read rows with the person's mapping ({[mood key]: {core, word?}}; the mapping
 * screen always gives every mood a feeling, and ids count every row not far ahead), from
 * `prepared` (prepareRows, perhaps still under way) when it was made for these rows, else made
 * now. A row dated more than a day ahead is skipped (the Trust rule). Returns {entries,
 * skipped: [{where, problems}], shortened, tooManyTags, tags}.
 */
export async function buildEntries(parsed, mapping, { now = Date.now(), prepared = null } = {}) {
  const ready = prepared ? await prepared : null;
  const made = ready?.parsed === parsed && ready.now <= now && now - ready.now < PREPARED_MS
    ? ready : await prepareRows(parsed, { now });
  // Each mood's feeling is checked once; a row's other fields were checked in prepareRows.
  const feelings = new Map();
  const feelingOf = (key) => {
    if (!feelings.has(key)) {
      const chosen = mapping[key];
      const checked = chosen && validate({ ...EXAMPLE, feeling: asFeeling(chosen) });
      feelings.set(key, !chosen ? null : checked.ok ? { feeling: checked.entry.feeling } : { problems: checked.problems.map((p) => p.message) });
    }
    return feelings.get(key);
  };
  const entries = [];
  const skipped = [];
  const invalid = []; // rows refused by validation: listed after those skipped above
  const { records } = parsed;
  for (let i = 0; i < records.length; i += 1) {
    const r = records[i];
    const row = made.rows[i];
    const feeling = feelingOf(r.mood);
    if (!feeling) skipped.push({ where: r.where, problems: [`The mood “${r.moodLabel ?? r.mood}” has no feeling chosen for it.`] });
    else if (row.future) skipped.push({ where: r.where, problems: [row.future] });
    else if (row.problems || feeling.problems) invalid.push({ where: r.where, problems: [...(row.problems ?? []), ...(feeling.problems ?? [])] });
    else entries.push({ ...row.entry, feeling: feeling.feeling });
  }
  for (const refused of invalid) skipped.push(refused);
  return { entries, skipped, shortened: made.shortened, tooManyTags: made.tooManyTags, tags: made.tags };
}

// A check-in that passes every check but the feeling's: each mood's feeling is checked with it.
const EXAMPLE = Object.freeze({
  id: '00000000-0000-4000-8000-000000000000', at: '2020-01-01T00:00:00.000Z', feeling: ANY_FEELING,
  intensity: null, body: [], tags: [], note: '', hlc: `${'0'.repeat(13)}-0000-${IMPORT_NODE}`, deleted: false,
});

/** A text read from a file: byte-order marks and UTF-16 understood. */
export function decodeText(bytes) {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    // Old exports saved by a spreadsheet may be Windows-1252; read them as such.
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
