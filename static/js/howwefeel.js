// How We Feel's CSV export, both layouts. DOM-free.
//   Date,Mood,Tags (People),Tags (Places),Tags (Events),Exercise,Sleep,…,Notes,Reflections,Takeaways
//   Date,Locale,Mood Keys,Mood,Tags (People),Tags (Places),Tags (Events),Notes,Reflections,Takeaways
// Dates look like "2026 Sun Feb 8 4:04 PM". Its moods are feeling words: Thaw's own words land on
// them; any other word stays the person's own word under the nearest core. People, places and
// events become tags; notes, reflections and takeaways (JSON arrays in the newer layout) the note.
import { CsvError, readCsv } from './csv.js';
import { calendarDay, timeIn, wordsDay } from './dates.js';
import { ImportError, LIMITS_IMPORT, countMoods, joinNote } from './import-entries.js';
import { canBeOwnWord, nameKey, suggestFeeling } from './mood-map.js';

const TAG_COLUMNS = ['tags (people)', 'tags (places)', 'tags (events)'];
const NOTE_COLUMNS = [['notes', ''], ['reflections', 'Reflections'], ['takeaways', 'Takeaways']];
const HEALTH_COLUMNS = ['exercise', 'sleep', 'menstrual', 'steps', 'meditation', 'weather', 'temperature (f)',
  'water (cups)', 'caffeine (mg)', 'alcoholic drinks'];

const headerName = (cell) => cell.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/\s+/g, ' ');

function hwfHeader(cells) {
  const names = cells.map(headerName);
  if (!names.includes('date') || !(names.includes('mood') || names.includes('mood keys') || names.includes('mood key'))) return null;
  if (!TAG_COLUMNS.some((c) => names.includes(c)) && !names.includes('reflections')) return null;
  return names;
}

/** Is this text a How We Feel export? (By its header.) */
export function isHowWeFeel(text) {
  const head = String(text).slice(0, 4096);
  const line = head.split(/\r?\n/, 1)[0];
  try {
    const first = readCsv(line)[0];
    return !!first && !!hwfHeader(first.cells);
  } catch {
    return false;
  }
}

/** Reflections or takeaways: a JSON array (of text, or of {question, answer}-like objects), or text. */
export function listText(value, depth = 0) {
  const source = String(value ?? '').trim();
  if (!source || source === '[]') return '';
  let data = source;
  if (depth === 0 && /^[[{"]/.test(source)) {
    try { data = JSON.parse(source); } catch { return source; }
  }
  const lines = [];
  const walk = (item, level) => {
    if (level > 6 || lines.length > 200) return;
    if (typeof item === 'string') { if (item.trim()) lines.push(item.trim()); return; }
    if (typeof item === 'number' || typeof item === 'boolean') { lines.push(String(item)); return; }
    if (Array.isArray(item)) { item.forEach((x) => walk(x, level + 1)); return; }
    if (item && typeof item === 'object') {
      const q = item.question ?? item.prompt ?? item.title;
      const a = item.answer ?? item.response ?? item.text ?? item.value ?? item.content;
      if (typeof q === 'string' && typeof a === 'string') { lines.push(`${q.trim()} — ${a.trim()}`); return; }
      Object.values(item).forEach((x) => walk(x, level + 1));
    }
  };
  walk(data, 0);
  return lines.join('\n');
}

const splitList = (text) => String(text ?? '').split(/\s*[,;|]\s*/).map((t) => t.trim()).filter(Boolean);

/** Read a How We Feel CSV: {format, source, records, skipped, moods, notices}. */
export function readHowWeFeel(text) {
  let rows;
  try {
    rows = readCsv(text, { maxRows: LIMITS_IMPORT.rows + 1 });
  } catch (error) {
    if (error instanceof CsvError) throw new ImportError(`Row ${error.row} of this How We Feel file can’t be read: ${error.message} Nothing was imported.`);
    throw error;
  }
  const names = rows.length ? hwfHeader(rows[0].cells) : null;
  if (!names) throw new ImportError('This CSV is not a How We Feel export (its columns are different). Nothing was imported.');
  const at = (name) => names.indexOf(name);
  const keyColumn = at('mood keys') >= 0 ? at('mood keys') : at('mood key');
  const wordColumn = at('mood');
  const health = HEALTH_COLUMNS.filter((c) => at(c) >= 0);

  const records = [];
  const skipped = [];
  let healthRows = 0;
  for (const { cells, row } of rows.slice(1)) {
    const get = (i) => (i >= 0 ? (cells[i] ?? '').trim() : '');
    const where = `Row ${row}`;
    const dateText = get(at('date'));
    const words = wordsDay(dateText);
    const day = words && words.year ? calendarDay(words.year, words.month, words.day) : null;
    const time = timeIn(dateText);
    const keys = splitList(get(keyColumn));
    const shown = splitList(get(wordColumn));
    const problems = [];
    if (!day || !time) problems.push(`The date (“${dateText}”) can’t be read.`);
    if (!keys.length && !shown.length) problems.push('It has no mood.');
    if (problems.length) { skipped.push({ where, problems }); continue; }
    const label = (shown[0] ?? keys[0]).replace(/\s+/g, ' ');
    const others = (shown.length ? shown : keys).slice(1);
    if (health.some((c) => get(at(c)) && !/^0(\.0+)?$/.test(get(at(c))))) healthRows += 1;
    records.push({
      where,
      day,
      time,
      mood: nameKey(keys[0] ?? label),
      moodLabel: label,
      tags: TAG_COLUMNS.flatMap((c) => splitList(get(at(c)))),
      note: joinNote(
        get(at('notes')),
        others.length ? `Also felt: ${others.join(', ')}` : '',
        ...NOTE_COLUMNS.slice(1).map(([c, title]) => {
          const body = listText(get(at(c)));
          return body ? `${title}:\n${body}` : '';
        }),
      ),
    });
  }
  const moods = countMoods(records).map((m) => {
    // The key (English in the newer layout) finds the core; the word the person saw is kept.
    const byKey = suggestFeeling(m.key);
    const byWord = suggestFeeling(m.label);
    const found = byKey.known ? byKey : byWord;
    const word = nameKey(m.label);
    const suggestion = found.known && !found.word && word !== found.core && canBeOwnWord(word, found.core)
      ? { ...found, word } : found;
    return { ...m, suggestion };
  });
  const notices = ['People, places and events become tags; notes, reflections and takeaways become the note.'];
  if (health.length && healthRows) {
    notices.push(`Health numbers (${health.join(', ')}) are not imported: Thaw keeps feelings, not measurements.`);
  }
  return { format: 'howwefeel', source: 'How We Feel', idSource: 'howwefeel', records, skipped, moods, notices };
}
