// Daylio's backup file (`.daylio`): a zip holding `backup.daylio`, which is base64 of JSON
// (format version 15 and later): dayEntries (datetime in ms, timeZoneOffset, mood as a custom mood
// id, tags as tag ids, note and note_title in HTML), customMoods (a level 1 = best to 5, and a
// name or a predefined name), tags. Photos in the archive are never read. DOM-free.
import { calendarDay } from './dates.js';
import { ImportError, LIMITS_IMPORT, countMoods, joinNote } from './import-entries.js';
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
  let binary;
  try {
    binary = atob(ascii.replace(/\s+/g, ''));
  } catch {
    throw new ImportError('This Daylio backup can’t be read: backup.daylio is not base64 text. Nothing was imported.');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportError('This Daylio backup can’t be read: its contents are not text. Nothing was imported.');
  }
}

const isId = (v) => Number.isInteger(v) || (typeof v === 'string' && v.length <= 64);
const text = (v, max = 100_000) => (typeof v === 'string' ? v.slice(0, max) : '');

/**
 * Read a Daylio backup's JSON text: {format, source, records, skipped, moods, notices}. Moods are
 * keyed by their id, with their level so an unknown name still lands by level.
 */
export function readDaylioBackup(json) {
  if (json.length > LIMITS_IMPORT.textBytes) throw new ImportError('This Daylio backup is too large to import. Nothing was imported.');
  if (jsonDepth(json, LIMITS_IMPORT.depth) > LIMITS_IMPORT.depth) {
    throw new ImportError('This Daylio backup is nested too deeply to be a real backup. Nothing was imported.');
  }
  let data;
  try {
    data = JSON.parse(json);
  } catch {
    throw new ImportError('This Daylio backup is damaged (its data is not complete JSON). Nothing was imported.');
  }
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

  const records = [];
  const skipped = [];
  let missingTags = 0;
  let photos = 0;
  data.dayEntries.forEach((e, i) => {
    const where = `Entry ${i + 1}`;
    if (!e || typeof e !== 'object') { skipped.push({ where, problems: ['It is not an entry.'] }); return; }
    const problems = [];
    const offset = Number.isFinite(e.timeZoneOffset) && Math.abs(e.timeZoneOffset) <= MAX_OFFSET ? e.timeZoneOffset : null;
    let day = null;
    let time = null;
    if (Number.isFinite(e.datetime) && offset !== null) {
      const wall = new Date(e.datetime + offset);
      day = calendarDay(wall.getUTCFullYear(), wall.getUTCMonth() + 1, wall.getUTCDate());
      time = [wall.getUTCHours(), wall.getUTCMinutes()];
    } else if ([e.year, e.month, e.day, e.hour, e.minute].every(Number.isInteger)) {
      day = calendarDay(e.year, e.month + 1, e.day); // Daylio counts months from 0
      time = e.hour < 24 && e.minute < 60 && e.hour >= 0 && e.minute >= 0 ? [e.hour, e.minute] : null;
    }
    if (!day || !time) problems.push('Its date and time can’t be read.');
    const mood = moods.get(String(e.mood));
    if (!mood) problems.push(`Its mood (id ${String(e.mood).slice(0, 20)}) is not among the backup’s moods.`);
    if (problems.length) { skipped.push({ where, problems }); return; }
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
  });
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
