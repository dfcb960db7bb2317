// Daylio's backup file (`.daylio`): a zip holding `backup.daylio`, which is base64 of JSON
// (format version 15 and later): dayEntries (datetime in ms, timeZoneOffset, mood as a custom mood
// id, tags as tag ids, note and note_title in HTML), customMoods (a level 1 = best to 5, and a
// name or a predefined name), tags. Photos in the archive are never read. DOM-free.
import { calendarDay } from './dates.js';
import {
  ImportError, LIMITS_IMPORT, countMoods, joinNote, runAtOnce, runInSlices, yieldToPage,
} from './import-entries.js';
import { nameKey, suggestFeeling } from './mood-map.js';
import { ZipError, readZipEntry } from './zip.js';

const PREDEFINED = { 1: 'rad', 2: 'good', 3: 'meh', 4: 'bad', 5: 'awful' };
const LEVEL_NAMES = { 1: 'rad', 2: 'good', 3: 'meh', 4: 'bad', 5: 'awful' };
const MAX_OFFSET = 18 * 3_600_000;

/** How deep arrays and objects nest in JSON text (strings skipped); stops counting past `limit`. */
export function jsonDepth(text, limit = Infinity) {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i += 1; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) { depth += 1; if (depth > deepest) { deepest = depth; if (deepest > limit) return deepest; } }
    else if (c === 125 || c === 93) depth -= 1;
  }
  return deepest;
}

const BASE64 = new Int8Array(128).fill(-1);
[...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].forEach((c, i) => { BASE64[c.charCodeAt(0)] = i; });

/**
 * Base64 text (white space already taken out) to bytes, as a generator that yields every 256 K
 * characters; returns the bytes, or null when it is not base64. Read exactly as `atob` reads it
 * ("forgiving-base64": one or two `=` closing a whole group, a last group of 2 or 3 characters),
 * but straight into bytes, without a binary string in between.
 */
function* base64Steps(text) {
  let end = text.length;
  if (end % 4 === 0 && text.charCodeAt(end - 1) === 61) end -= text.charCodeAt(end - 2) === 61 ? 2 : 1;
  if (end % 4 === 1) return null;
  const whole = end - (end % 4);
  const out = new Uint8Array((whole / 4) * 3 + Math.max(0, (end % 4) - 1));
  const table = BASE64;
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    if (i % 262_144 === 262_140) yield;
    const c0 = text.charCodeAt(i); const c1 = text.charCodeAt(i + 1);
    const c2 = text.charCodeAt(i + 2); const c3 = text.charCodeAt(i + 3);
    if ((c0 | c1 | c2 | c3) > 127) return null;
    const a = table[c0]; const b = table[c1]; const c = table[c2]; const d = table[c3];
    if ((a | b | c | d) < 0) return null;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o] = n >>> 16; out[o + 1] = (n >>> 8) & 0xff; out[o + 2] = n & 0xff;
    o += 3;
  }
  if (end % 4) {
    const c0 = text.charCodeAt(whole); const c1 = text.charCodeAt(whole + 1);
    const c2 = end % 4 === 3 ? text.charCodeAt(whole + 2) : 65; // 'A': no bits
    if ((c0 | c1 | c2) > 127) return null;
    const a = table[c0]; const b = table[c1]; const c = table[c2];
    if ((a | b | c) < 0) return null;
    const n = (a << 18) | (b << 12) | (c << 6);
    out[o] = n >>> 16;
    if (end % 4 === 3) out[o + 1] = (n >>> 8) & 0xff;
  }
  return out;
}

/** Base64 text (white space taken out) as bytes, exactly as `atob` reads it; null when it is not base64. */
export function fromBase64(text) {
  return runAtOnce(base64Steps(text));
}

/** The JSON text inside an archive's backup.daylio (base64, or plain JSON in hand-made files). */
export async function backupText(blob) {
  let packed;
  try {
    packed = await readZipEntry(blob, 'backup.daylio', { maxSize: LIMITS_IMPORT.textBytes });
  } catch (error) {
    if (error instanceof ZipError) throw new ImportError(`This Daylio backup can’t be read: ${error.message} Nothing was imported.`);
    throw error;
  }
  const ascii = new TextDecoder().decode(packed).trim();
  if (ascii.startsWith('{')) return ascii;
  await yieldToPage();
  const bytes = await runInSlices(base64Steps(ascii.replace(/\s+/g, '')));
  if (!bytes) throw new ImportError('This Daylio backup can’t be read: backup.daylio is not base64 text. Nothing was imported.');
  await yieldToPage();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportError('This Daylio backup can’t be read: its contents are not text. Nothing was imported.');
  }
}

const isId = (v) => Number.isInteger(v) || (typeof v === 'string' && v.length <= 64);
const text = (v, max = 100_000) => (typeof v === 'string' ? v.slice(0, max) : '');

const DAY_MS = 86_400_000;

/** The reading itself, as a generator that yields between steps and every few hundred entries. */
function* backupSteps(json) {
  if (json.length > LIMITS_IMPORT.textBytes) throw new ImportError('This Daylio backup is too large to import. Nothing was imported.');
  if (jsonDepth(json, LIMITS_IMPORT.depth) > LIMITS_IMPORT.depth) {
    throw new ImportError('This Daylio backup is nested too deeply to be a real backup. Nothing was imported.');
  }
  yield;
  let data;
  try {
    data = JSON.parse(json);
  } catch {
    throw new ImportError('This Daylio backup is damaged (its data is not complete JSON). Nothing was imported.');
  }
  yield;
  if (!data || typeof data !== 'object' || !Array.isArray(data.dayEntries) || !Array.isArray(data.customMoods)) {
    throw new ImportError('This file is not a Daylio backup (it has no day entries or moods). Nothing was imported.');
  }
  if (data.dayEntries.length > LIMITS_IMPORT.rows) {
    throw new ImportError(`This Daylio backup holds more than ${LIMITS_IMPORT.rows.toLocaleString('en')} entries. Nothing was imported.`);
  }
  const moods = new Map();
  for (const m of data.customMoods) {
    if (!m || !isId(m.id)) continue;
    const level = Number.isInteger(m.mood_group_id) && m.mood_group_id >= 1 && m.mood_group_id <= 5 ? m.mood_group_id : null;
    const name = text(m.custom_name, 200).trim() || PREDEFINED[m.predefined_name_id] || (level ? LEVEL_NAMES[level] : `mood ${m.id}`);
    moods.set(String(m.id), { name: name.replace(/\s+/g, ' '), level });
  }
  const tagNames = new Map();
  for (const t of Array.isArray(data.tags) ? data.tags : []) {
    if (t && isId(t.id) && typeof t.name === 'string') tagNames.set(String(t.id), text(t.name, 200).trim());
  }
  // The calendar day of each wall-clock day, worked out once (a diary has a few entries a day).
  const days = new Map();
  const dayAt = (wall) => {
    const number = Math.floor(wall.getTime() / DAY_MS);
    if (!days.has(number)) days.set(number, calendarDay(wall.getUTCFullYear(), wall.getUTCMonth() + 1, wall.getUTCDate()));
    const found = days.get(number);
    return found && { ...found };
  };

  const records = [];
  const skipped = [];
  let missingTags = 0;
  let photos = 0;
  const entries = data.dayEntries;
  for (let i = 0; i < entries.length; i += 1) {
    if (i % 256 === 255) yield;
    const e = entries[i];
    const where = `Entry ${i + 1}`;
    if (!e || typeof e !== 'object') { skipped.push({ where, problems: ['It is not an entry.'] }); continue; }
    const problems = [];
    const offset = Number.isFinite(e.timeZoneOffset) && Math.abs(e.timeZoneOffset) <= MAX_OFFSET ? e.timeZoneOffset : null;
    let day = null;
    let time = null;
    if (Number.isFinite(e.datetime) && offset !== null) {
      const wall = new Date(e.datetime + offset);
      day = Number.isNaN(wall.getTime()) ? null : dayAt(wall);
      time = [wall.getUTCHours(), wall.getUTCMinutes()];
    } else if ([e.year, e.month, e.day, e.hour, e.minute].every(Number.isInteger)) {
      day = calendarDay(e.year, e.month + 1, e.day); // Daylio counts months from 0
      time = e.hour < 24 && e.minute < 60 && e.hour >= 0 && e.minute >= 0 ? [e.hour, e.minute] : null;
    }
    if (!day || !time) problems.push('Its date and time can’t be read.');
    const mood = moods.get(String(e.mood));
    if (!mood) problems.push(`Its mood (id ${String(e.mood).slice(0, 20)}) is not among the backup’s moods.`);
    if (problems.length) { skipped.push({ where, problems }); continue; }
    const tags = [];
    for (const id of Array.isArray(e.tags) ? e.tags.slice(0, 200) : []) {
      const name = tagNames.get(String(id));
      if (name) tags.push(name); else missingTags += 1;
    }
    if (Array.isArray(e.assets) && e.assets.length) photos += 1;
    const when = `${day.year}-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}`;
    records.push({
      where: `${where} (${when})`,
      day,
      time,
      offset: offset === null ? null : Math.round(offset / 60_000),
      mood: `id:${e.mood}`,
      moodLabel: mood.name,
      level: mood.level,
      tags,
      note: joinNote(text(e.note_title), text(e.note)),
    });
  }
  const counted = countMoods(records, (r) => ({ level: r.level }));
  const moodsOut = counted.map((m) => ({
    ...m,
    detail: m.level ? `Daylio level ${m.level} of 5` : null,
    suggestion: suggestFeeling(nameKey(m.label), { level: m.level }),
  }));
  const notices = ['Activities become tags; note titles and notes become the note.'];
  if (photos) notices.push(`Photos (on ${photos.toLocaleString('en')} entries) stay in Daylio: Thaw keeps words, not pictures.`);
  if (missingTags) notices.push(`${missingTags.toLocaleString('en')} activities named by the entries are not in the backup and were left out.`);
  return { format: 'daylio-backup', source: 'Daylio backup', idSource: 'daylio', records, skipped, moods: moodsOut, notices };
}

/**
 * Read a Daylio backup's JSON text: {format, source, records, skipped, moods, notices}. Moods are
 * keyed by their id, with their level so an unknown name still lands by level.
 */
export function readDaylioBackup(json) {
  return runAtOnce(backupSteps(json));
}

/** readDaylioBackup in time slices, giving the page a turn between them (what the import screen uses). */
export function readDaylioBackupInSlices(json) {
  return runInSlices(backupSteps(json));
}
