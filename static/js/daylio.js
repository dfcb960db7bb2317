// Daylio CSV exports into Thaw check-ins: moods map to cores (the person may change the
// mapping, since Daylio's moods can be renamed), activities to tags, notes to notes. DOM-free.
import { parseCsv } from './csv.js';
import { LIMITS, cleanLabel, isoWithOffset, validate } from './entry.js';
import { ImportError } from './transfer.js';

/** Daylio's five default moods, and where they land in Thaw unless the person says otherwise. */
export const DEFAULT_MAPPING = {
  rad: { core: 'happy', word: 'joyful' },
  good: { core: 'happy', word: 'content' },
  meh: { core: 'numb' },
  bad: { core: 'sad' },
  awful: { core: 'sad', word: 'hopeless' },
};
const IMPORT_NODE = '0000000000000da1'; // a fixed clock node, so the same row always gets the same clock

const REQUIRED = ['full_date', 'time', 'mood', 'activities'];

/** Is this CSV text a Daylio export? (By its header.) */
export function isDaylio(text) {
  const first = String(text).replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0].toLowerCase();
  return REQUIRED.every((column) => first.includes(column));
}

/** Rows of a Daylio export as objects, and the moods it uses with how often. */
export function readDaylio(text) {
  let rows;
  try {
    rows = parseCsv(text);
  } catch (error) {
    throw new ImportError(`This Daylio file could not be read: ${error.message} Nothing was imported.`);
  }
  const header = (rows.shift() ?? []).map((h) => h.trim().toLowerCase());
  if (!REQUIRED.every((c) => header.includes(c))) {
    throw new ImportError('This CSV is not a Daylio export (its columns are different). Nothing was imported.');
  }
  const records = rows.map((cells, index) => ({
    line: index + 2,
    ...Object.fromEntries(header.map((name, i) => [name, (cells[i] ?? '').trim()])),
  }));
  const moods = new Map();
  for (const r of records) {
    const mood = r.mood.toLowerCase();
    moods.set(mood, (moods.get(mood) ?? 0) + 1);
  }
  return { records, moods: [...moods.entries()].map(([mood, count]) => ({ mood, count })) };
}

/** The mapping to offer first: Daylio's defaults, and "Numb / can't tell" for renamed moods. */
export function suggestedMapping(moods) {
  return Object.fromEntries(moods.map(({ mood }) => [mood, DEFAULT_MAPPING[mood] ?? { core: 'numb' }]));
}

/** "8:30 PM", "20:30" or "8:30 pm" → [hours, minutes]. */
export function parseTime(text) {
  const m = String(text).trim().match(/^(\d{1,2}):(\d{2})(?::\d{2})?\s*([ap]\.?m\.?)?$/i);
  if (!m) return null;
  let hours = Number(m[1]);
  const minutes = Number(m[2]);
  const half = m[3]?.[0].toLowerCase();
  if (half === 'p' && hours < 12) hours += 12;
  if (half === 'a' && hours === 12) hours = 0;
  return hours < 24 && minutes < 60 ? [hours, minutes] : null;
}

async function stableId(parts) {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(parts.join('\u241f'))));
  digest[6] = (digest[6] & 0x0f) | 0x40; // a UUID v4 shape
  digest[8] = (digest[8] & 0x3f) | 0x80;
  const hex = Array.from(digest.slice(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Check-ins from Daylio rows with the person's mapping. Ids and clocks come from the row itself,
 * so importing the same file twice adds nothing. Returns {entries, invalid, shortened, tags}.
 */
export async function daylioEntries(records, mapping) {
  const entries = [];
  const invalid = [];
  const tags = new Set();
  let shortened = 0;
  for (const r of records) {
    const fail = (message) => invalid.push({ where: `Row ${r.line}`, problems: [message] });
    const date = r.full_date.match(/^(\d{4})-(\d{2})-(\d{2})$/);
    const time = parseTime(r.time);
    if (!date || !time) { fail(`The date or time (“${r.full_date} ${r.time}”) could not be read.`); continue; }
    const feeling = mapping[r.mood.toLowerCase()];
    if (!feeling) { fail(`The mood “${r.mood}” has no feeling chosen for it.`); continue; }
    const moment = new Date(Number(date[1]), Number(date[2]) - 1, Number(date[3]), time[0], time[1]);
    const activities = r.activities.split('|').map(cleanLabel).filter(Boolean);
    activities.forEach((a) => tags.add(a));
    let note = [r.note_title, r.note].filter(Boolean).join('\n').replace(/<br\s*\/?>/gi, '\n').trim();
    if ([...note].length > LIMITS.note) { note = `${[...note].slice(0, LIMITS.note - 1).join('')}…`; shortened += 1; }
    const id = await stableId([r.full_date, r.time, r.mood, r.activities, note]);
    const raw = {
      id,
      at: isoWithOffset(moment),
      feeling: { ...feeling },
      intensity: null,
      body: [],
      tags: activities.slice(0, LIMITS.tags).map((a) => [...a].slice(0, LIMITS.tag).join('')),
      note,
      hlc: `${String(moment.getTime()).padStart(13, '0')}-0000-${IMPORT_NODE}`,
      deleted: false,
    };
    const result = validate(raw);
    if (result.ok) entries.push(result.entry); else fail(result.problems.map((p) => p.message).join(' '));
  }
  return { entries, invalid, shortened, tags: [...tags] };
}
