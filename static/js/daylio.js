// Daylio's CSV export, in every layout seen from 2017 to 2025. DOM-free.
//   year,date,weekday,time,mood,activities,note                 (2017–18: `date` in the phone's language)
//   full_date,date,weekday,time,mood,activities,note
//   full_date,date,weekday,time,mood,activities,note_title,note
//   full_date,date,weekday,time,mood,activities,scales,note_title,note   (2025)
// and the old 7-column order with no header row at all. Columns are found by name. Activities
// not quoted while holding commas spill into extra fields: those belong to activities.
import { CsvError, readCsv, readCsvSteps } from './csv.js';
import { calendarDay, isoDay, parseTime, wordsDay } from './dates.js';
import {
  ImportError, LIMITS_IMPORT, countMoods, joinNote, runAtOnce, runInSlices,
} from './import-entries.js';
import { nameKey, suggestFeeling } from './mood-map.js';

const NAMES = ['full_date', 'year', 'date', 'weekday', 'time', 'mood', 'activities', 'scales', 'note_title', 'note'];
const OLD_WITH_YEAR = ['year', 'date', 'weekday', 'time', 'mood', 'activities', 'note'];
const OLD_WITH_FULL_DATE = ['full_date', 'date', 'weekday', 'time', 'mood', 'activities', 'note'];

const headerName = (cell) => cell.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s-]+/g, '_');

/** The columns of a header row if it is Daylio's, else null. */
function daylioHeader(cells) {
  const names = cells.map(headerName);
  const has = (n) => names.includes(n);
  if (!has('mood') || !has('time') || !(has('full_date') || (has('year') && has('date')))) return null;
  return names;
}

/** The column order of a first row with no header, if it looks like an old Daylio export. */
function guessHeaderless(cells) {
  if (cells.length < 7) return null;
  const timeOk = parseTime(cells[3]) !== null;
  if (timeOk && isoDay(cells[0])) return OLD_WITH_FULL_DATE;
  if (timeOk && /^\d{4}$/.test(cells[0].trim()) && wordsDay(cells[1])) return OLD_WITH_YEAR;
  return null;
}

/** Is this text a Daylio CSV export? (By its header, or by its first row when it has none.) */
export function isDaylioCsv(text) {
  const first = readFirstRecord(text);
  return !!first && (!!daylioHeader(first) || !!guessHeaderless(first));
}

function readFirstRecord(text) {
  const head = String(text).slice(0, 8192);
  const cut = head.search(/\r?\n[^\r\n]/);
  try {
    return readCsv(cut > 0 ? head.slice(0, cut) : head)[0]?.cells ?? null;
  } catch {
    return null;
  }
}

/** The day of a row: `full_date`, or `year` with `date` in the phone's language. */
function dayOf(get) {
  const full = get('full_date');
  if (full) return isoDay(full);
  const year = Number(get('year'));
  const words = wordsDay(get('date'));
  if (!words || !Number.isInteger(year)) return null;
  return calendarDay(words.year ?? year, words.month, words.day);
}

/** `read(text)` remembered by its text: a diary repeats each day and time many times. */
function remembered(read) {
  const known = new Map();
  return (text) => {
    if (!known.has(text)) known.set(text, read(text));
    return known.get(text);
  };
}

/** Activities as one text may hold ` | ` separators or, when they spilled over unquoted, commas. */
function splitActivities(text, spilled) {
  if (text.includes('|')) return text.split('|').map((a) => a.trim()).filter(Boolean);
  if (spilled) return text.split(',').map((a) => a.trim()).filter(Boolean);
  return text.trim() ? [text.trim()] : [];
}

/** The reading itself, as a generator that yields every few hundred rows (where it may pause). */
function* daylioSteps(text) {
  let rows;
  try {
    rows = yield* readCsvSteps(text, { maxRows: LIMITS_IMPORT.rows + 1 });
  } catch (error) {
    if (error instanceof CsvError) throw new ImportError(`Row ${error.row} of this Daylio file can’t be read: ${error.message} Nothing was imported.`);
    throw error;
  }
  if (!rows.length) throw new ImportError('This Daylio file is empty. Nothing was imported.');
  let names = daylioHeader(rows[0].cells);
  if (names) rows = rows.slice(1);
  else names = guessHeaderless(rows[0].cells);
  if (!names) throw new ImportError('This CSV is not a Daylio export (its columns are different). Nothing was imported.');
  const column = Object.fromEntries(NAMES.map((n) => [n, names.indexOf(n)]));
  const activitiesAt = column.activities;
  // Each distinct date and time is read once (copies are handed out: records never share one).
  const fullDay = remembered(isoDay);
  const byYear = new Map();
  const yearDay = (year, date) => {
    if (!byYear.has(year)) byYear.set(year, remembered((words) => dayOf((name) => (name === 'year' ? year : name === 'date' ? words : ''))));
    return byYear.get(year)(date);
  };
  const timeOf = remembered(parseTime);

  const records = [];
  const skipped = [];
  let scales = 0;
  for (let i = 0; i < rows.length; i += 1) {
    if (i % 256 === 255) yield;
    const { cells: raw, row } = rows[i];
    let cells = raw;
    const spill = cells.length - names.length;
    if (spill > 0 && activitiesAt >= 0) {
      cells = [...cells.slice(0, activitiesAt), cells.slice(activitiesAt, activitiesAt + spill + 1).join(','), ...cells.slice(activitiesAt + spill + 1)];
    }
    const get = (name) => (column[name] >= 0 ? (cells[column[name]] ?? '').trim() : '');
    const where = `Row ${row}`;
    const full = get('full_date');
    const readDay = full ? fullDay(full) : yearDay(get('year'), get('date'));
    const readTime = timeOf(get('time'));
    const day = readDay && { ...readDay };
    const time = readTime && [...readTime];
    const moodLabel = get('mood').replace(/\s+/g, ' ');
    const problems = [];
    if (!day) problems.push(`The date (“${get('full_date') || [get('date'), get('year')].filter(Boolean).join(' ')}”) can’t be read.`);
    if (!time) problems.push(`The time (“${get('time')}”) can’t be read.`);
    if (!moodLabel) problems.push('It has no mood.');
    if (problems.length) { skipped.push({ where, problems }); continue; }
    if (get('scales')) scales += 1;
    records.push({
      where,
      day,
      time,
      mood: nameKey(moodLabel),
      moodLabel,
      tags: splitActivities(get('activities'), spill > 0),
      note: joinNote(get('note_title'), get('note')),
    });
  }
  const moods = countMoods(records).map((m) => ({ ...m, suggestion: suggestFeeling(m.label) }));
  const notices = ['Activities become tags; note titles and notes become the note.'];
  if (scales) notices.push(`Daylio’s scales (on ${scales.toLocaleString('en')} rows) are not imported: Thaw keeps feelings, not scores.`);
  return { format: 'daylio-csv', source: 'Daylio', idSource: 'daylio', records, skipped, moods, notices };
}

/**
 * Read a Daylio CSV: {format, source, records, skipped, moods, notices}. A row that cannot be read
 * is listed in `skipped` with its row number and why; a file that cannot be read at all throws
 * ImportError naming the row, and then nothing is imported.
 */
export function readDaylioCsv(text) {
  return runAtOnce(daylioSteps(text));
}

/** readDaylioCsv in time slices, giving the page a turn between them (what the import screen uses). */
export function readDaylioCsvInSlices(text) {
  return runInSlices(daylioSteps(text));
}
