// Bearable's CSV export: one row per reading, every field quoted. DOM-free.
//   date,weekday,time of day,category,rating/amount,detail,notes   (some exports add "date formatted")
// Dates look like "22nd Sep 2020". `Mood` rows (a 1–10 rating, words in `detail` like
// "Meh | Anxious") become check-ins. Bearable keeps only a part of the day, so each part gets a
// stated time. Symptoms and factors of that day become tags; other categories are numbers Thaw
// does not keep, and the summary says so.
import { CsvError, readCsv } from './csv.js';
import { calendarDay, isoDay, wordsDay } from './dates.js';
import { ImportError, LIMITS_IMPORT, countMoods, joinNote } from './import-entries.js';
import { levelOfRating, nameKey, suggestFeeling } from './mood-map.js';

/** The time each part of Bearable's day is given, stated in the mapping screen and the summary. */
export const PART_TIMES = {
  pre: { time: [6, 0], label: 'early (“pre”)' },
  am: { time: [9, 0], label: 'morning (“am”)' },
  mid: { time: [13, 0], label: 'midday (“mid”)' },
  pm: { time: [19, 0], label: 'evening (“pm”)' },
  'all day': { time: [12, 0], label: 'all day' },
};
const TAG_CATEGORIES = new Map([['symptom', 'symptoms'], ['symptoms', 'symptoms'], ['factor', 'factors'], ['factors', 'factors']]);

const headerName = (cell) => cell.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/\s+/g, ' ');
const REQUIRED = ['category', 'rating/amount', 'detail'];

function bearableHeader(cells) {
  const names = cells.map(headerName);
  return REQUIRED.every((n) => names.includes(n)) && names.includes('time of day')
    && (names.includes('date') || names.includes('date formatted')) ? names : null;
}

/** Is this text a Bearable export? (By its header.) */
export function isBearable(text) {
  const line = String(text).slice(0, 4096).split(/\r?\n/, 1)[0];
  try {
    const first = readCsv(line)[0];
    return !!first && !!bearableHeader(first.cells);
  } catch {
    return false;
  }
}

function dayOf(text) {
  const iso = isoDay(text);
  if (iso) return iso;
  const words = wordsDay(text);
  return words && words.year ? calendarDay(words.year, words.month, words.day) : null;
}

const partOf = (text) => {
  const key = String(text ?? '').trim().toLowerCase().replace(/[_-]/g, ' ');
  return PART_TIMES[key] ? key : key === 'allday' || key === '' ? 'all day' : null;
};

/** "Headache (Mild) | Nausea" → ["headache", "nausea"]; "Meals: toast | soup" → ["toast", "soup"]. */
function detailItems(text) {
  return String(text ?? '').split('|')
    .map((t) => t.replace(/^[^:|]{1,40}:\s*/, '').replace(/\s*\((mild|moderate|severe|unbearable|extreme|none)\)\s*$/i, '').trim())
    .filter(Boolean);
}

/** Read a Bearable CSV: {format, source, records, skipped, moods, notices}. */
export function readBearable(text) {
  let rows;
  try {
    rows = readCsv(text, { maxRows: LIMITS_IMPORT.rows * 10 + 1 });
  } catch (error) {
    if (error instanceof CsvError) throw new ImportError(`Row ${error.row} of this Bearable file can’t be read: ${error.message} Nothing was imported.`);
    throw error;
  }
  const names = rows.length ? bearableHeader(rows[0].cells) : null;
  if (!names) throw new ImportError('This CSV is not a Bearable export (its columns are different). Nothing was imported.');
  const at = (n) => names.indexOf(n);
  const dateColumns = [at('date'), at('date formatted')].filter((i) => i >= 0);

  const moodRows = [];
  const tagRows = [];
  const skipped = [];
  const otherCategories = new Map();
  const tagCategories = new Set();
  for (const { cells, row } of rows.slice(1)) {
    const get = (i) => (i >= 0 ? (cells[i] ?? '').trim() : '');
    const where = `Row ${row}`;
    const category = get(at('category'));
    const kind = category.toLowerCase();
    const isMood = kind === 'mood';
    const tagKind = TAG_CATEGORIES.get(kind);
    if (!isMood && !tagKind) {
      if (category) otherCategories.set(category, (otherCategories.get(category) ?? 0) + 1);
      continue;
    }
    const day = dateColumns.map((i) => dayOf(get(i))).find(Boolean) ?? null;
    const part = partOf(get(at('time of day')));
    const problems = [];
    if (!day) problems.push(`The date (“${get(dateColumns[0])}”) can’t be read.`);
    if (!part) problems.push(`The time of day (“${get(at('time of day'))}”) is not one Bearable uses.`);
    if (isMood) {
      const rating = Number(get(at('rating/amount')));
      const words = detailItems(get(at('detail')));
      if (!words.length && !(rating >= 1 && rating <= 10)) problems.push(`The mood (“${get(at('rating/amount'))}”) is not a rating from 1 to 10.`);
      if (problems.length) { skipped.push({ where, problems }); continue; }
      moodRows.push({ where, day, part, rating: rating >= 1 && rating <= 10 ? rating : null, words, note: get(at('notes')) });
    } else {
      if (problems.length) { skipped.push({ where, problems }); continue; }
      const items = detailItems(get(at('detail')));
      if (items.length) { tagRows.push({ day, part, items }); tagCategories.add(tagKind); }
    }
  }

  // Which word of a mood row names the feeling: the first a Thaw feeling is known for, past
  // rating words like "meh"; without words, the rating.
  const records = moodRows.map((m) => {
    const feelingWord = m.words.find((w) => { const s = suggestFeeling(w); return s.known && [s.word, s.core].includes(nameKey(w)); })
      ?? m.words.find((w) => suggestFeeling(w).known) ?? m.words[0];
    const key = feelingWord ? nameKey(feelingWord) : `rating:${Math.round(m.rating)}`;
    const others = m.words.filter((w) => w !== feelingWord);
    const dayKey = `${m.day.year}-${m.day.month}-${m.day.day}`;
    return {
      where: m.where,
      day: m.day,
      time: PART_TIMES[m.part].time,
      part: m.part,
      dayKey,
      mood: key,
      moodLabel: feelingWord ?? `Mood ${Math.round(m.rating)} of 10`,
      tags: [],
      note: joinNote(m.note, others.length ? `Also: ${others.join(', ')}` : '', m.rating ? `Bearable mood: ${m.rating} of 10` : ''),
    };
  });
  // A day's symptoms and factors go on the check-in of the same part of the day, or, if there is
  // none, on every check-in of that day.
  const byDay = new Map();
  for (const r of records) byDay.set(r.dayKey, [...(byDay.get(r.dayKey) ?? []), r]);
  let unplaced = 0;
  for (const t of tagRows) {
    const sameDay = byDay.get(`${t.day.year}-${t.day.month}-${t.day.day}`);
    if (!sameDay) { unplaced += 1; continue; }
    const samePart = t.part === 'all day' ? [] : sameDay.filter((r) => r.part === t.part);
    for (const r of samePart.length ? samePart : sameDay) r.tags.push(...t.items);
  }
  for (const r of records) { delete r.dayKey; delete r.part; }

  // An unknown word lands by the average rating it came with.
  const sums = new Map();
  records.forEach((r, i) => {
    const rating = moodRows[i].rating;
    if (rating == null) return;
    const [sum, n] = sums.get(r.mood) ?? [0, 0];
    sums.set(r.mood, [sum + rating, n + 1]);
  });
  const moods = countMoods(records).map((m) => {
    const [sum, n] = sums.get(m.key) ?? [0, 0];
    const level = n ? levelOfRating(sum / n) : null;
    return {
      ...m,
      level,
      detail: m.key.startsWith('rating:') ? 'a rating without words' : null,
      suggestion: suggestFeeling(m.label, { level }),
    };
  });
  const times = Object.values(PART_TIMES).map((p) => `${p.label} ${p.time[0]}:00`).join(', ');
  const notices = [`Bearable records a part of the day, not a time: check-ins are placed at ${times}.`];
  if (tagCategories.size) notices.push(`${[...tagCategories].map((c) => c[0].toUpperCase() + c.slice(1)).join(' and ')} of the same day become tags; words beside the mood and the rating go in the note.`);
  if (unplaced) notices.push(`${unplaced.toLocaleString('en')} symptom or factor rows fall on days with no mood and were left out.`);
  if (otherCategories.size) {
    const list = [...otherCategories].map(([c, n]) => `${c} (${n.toLocaleString('en')})`).join(', ');
    notices.push(`Not imported — numbers Thaw doesn’t keep: ${list}.`);
  }
  return { format: 'bearable', source: 'Bearable', idSource: 'bearable', records, skipped, moods, notices };
}
