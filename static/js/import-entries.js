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
const SLICE = 500;

const ENTITIES = {
  nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", hellip: '…', mdash: '—', ndash: '–',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', middot: '·', bull: '•', euro: '€', copy: '©',
};

/** A note that may hold HTML (`<br>`, `&nbsp;`, `&amp;`) as plain text; the text itself is kept. */
export function plainText(text) {
  let out = String(text ?? '').replace(/\r\r\n|\r\n|\r/g, '\n');
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

async function stableId(text) {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  digest[6] = (digest[6] & 0x0f) | 0x40; // a UUID v4 shape
  digest[8] = (digest[8] & 0x3f) | 0x80;
  const hex = Array.from(digest.slice(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
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

/**
 * Check-ins from read rows with the person's mapping ({[mood key]: {core, word?}}). Each row keeps
 * its wall-clock time (and its offset when the file has one). The id comes from the source, the
 * minute and how many rows before it share that minute, so the same file — or the CSV and the
 * backup of the same diary — never adds anything twice. Rows more than a day ahead of this
 * device's clock are skipped (the Trust rule). Pauses between slices keep the page responsive.
 * Returns {entries, skipped: [{where, problems}], shortened, tooManyTags, tags}.
 */
export async function buildEntries(parsed, mapping, { now = Date.now() } = {}) {
  const entries = [];
  const skipped = [];
  const tags = new Set();
  const seen = new Map();
  let shortened = 0;
  let tooManyTags = 0;
  const made = [];
  for (const r of parsed.records) {
    const fail = (message) => skipped.push({ where: r.where, problems: [message] });
    const feeling = mapping[r.mood];
    if (!feeling) { fail(`The mood “${r.moodLabel ?? r.mood}” has no feeling chosen for it.`); continue; }
    const { ms, at } = momentOf(r.day, r.time, r.offset ?? null);
    if (ms > now + FUTURE_MS) {
      fail(`It is dated ${at.slice(0, 16).replace('T', ' ')}, more than a day ahead of this device’s clock.`);
      continue;
    }
    const minute = localKey(r.day, r.time);
    const n = (seen.get(minute) ?? 0) + 1;
    seen.set(minute, n);
    const clean = [...new Set((r.tags ?? []).map(cleanLabel).filter(Boolean))].map((t) => {
      if (chars(t).length <= LIMITS.tag) return t;
      shortened += 1;
      return chars(t).slice(0, LIMITS.tag).join('').trim();
    });
    const kept = [...new Set(clean)].slice(0, LIMITS.tags);
    const rest = [...new Set(clean)].slice(LIMITS.tags);
    kept.forEach((t) => tags.add(t));
    let note = r.note ?? '';
    if (rest.length) {
      tooManyTags += 1;
      note = [note, `Also: ${rest.join(', ')}`].filter(Boolean).join('\n');
    }
    if (chars(note).length > LIMITS.note) {
      note = `${chars(note).slice(0, LIMITS.note - 1).join('')}…`;
      shortened += 1;
    }
    made.push({ r, key: `${parsed.idSource}|${minute}|${n}`, raw: {
      at,
      feeling: asFeeling(feeling),
      intensity: null,
      body: [],
      tags: kept,
      note,
      hlc: `${String(Math.max(0, ms)).padStart(13, '0')}-0000-${IMPORT_NODE}`,
      deleted: false,
    } });
  }
  for (let i = 0; i < made.length; i += SLICE) {
    const slice = made.slice(i, i + SLICE);
    const ids = await Promise.all(slice.map((m) => stableId(m.key)));
    slice.forEach((m, j) => {
      const result = validate({ id: ids[j], ...m.raw });
      if (result.ok) entries.push(result.entry);
      else skipped.push({ where: m.r.where, problems: result.problems.map((p) => p.message) });
    });
  }
  return { entries, skipped, shortened, tooManyTags, tags: [...tags] };
}

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
