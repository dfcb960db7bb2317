// Dates and times as other apps wrote them, in the phone's language: "7 września", "16 de octubre",
// "Aug 31", "2026 Sun Feb 8 4:04 PM", "22nd Sep 2020", "9:23 PM", "21:05". DOM-free.
// Month names come from Intl (both the standalone and the "7 September" form, which is the
// genitive in Polish or Russian), so no language list is typed in by hand.
import { isoWithOffset } from './entry.js';

/** Languages whose month names are read; the first ones win where two languages share a word. */
export const DATE_LOCALES = [
  'en', 'es', 'pl', 'de', 'fr', 'pt', 'it', 'ru',
  'nl', 'sv', 'da', 'nb', 'fi', 'cs', 'sk', 'uk', 'tr', 'ro', 'hu', 'ca', 'el', 'id',
];

let monthIndex = null;

const fold = (text) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

/** A word as it is looked up: lower case, without a trailing dot. */
export function wordKey(text) {
  return String(text).normalize('NFC').toLowerCase().replace(/\.$/, '');
}

function buildMonthIndex() {
  const index = new Map();
  const add = (name, month) => {
    for (const form of [wordKey(name), fold(wordKey(name))]) {
      if (form.length >= 3 && /\p{L}/u.test(form) && !index.has(form)) index.set(form, month);
    }
  };
  for (const locale of DATE_LOCALES) {
    const formats = [
      { month: 'long' }, { month: 'short' }, { day: 'numeric', month: 'long' }, { day: 'numeric', month: 'short' },
    ].map((options) => new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }));
    for (let month = 0; month < 12; month += 1) {
      const date = new Date(Date.UTC(2021, month, 15));
      for (const format of formats) {
        for (const part of format.formatToParts(date)) {
          if (part.type === 'month') add(part.value.replace(/^de\s+/i, '').trim(), month + 1);
        }
      }
    }
  }
  // Short forms Intl does not give but phones write ("Sept", "Juni" is there; "Sept." for de/fr is).
  for (const [name, month] of [['sept', 9], ['june', 6], ['july', 7]]) add(name, month);
  return index;
}

/** The month (1–12) a word names in any of DATE_LOCALES, or 0. */
export function monthOf(word) {
  monthIndex ??= buildMonthIndex();
  const key = wordKey(word);
  return monthIndex.get(key) ?? monthIndex.get(fold(key)) ?? 0;
}

const daysIn = (year, month) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** {year, month, day} if it is a real calendar day, else null. */
export function calendarDay(year, month, day) {
  if (!Number.isInteger(year) || year < 1970 || year > 2999) return null;
  if (!Number.isInteger(month) || month < 1 || month > 12) return null;
  if (!Number.isInteger(day) || day < 1 || day > daysIn(year, month)) return null;
  return { year, month, day };
}

/** "2024-03-10" (also 2024/03/10 and 2024.03.10) → {year, month, day} or null. */
export function isoDay(text) {
  const m = String(text).trim().match(/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s].*)?$/);
  return m ? calendarDay(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

const TOKEN = /[\p{L}\p{M}]+\.?|\d+(?:st|nd|rd|th|er|e|º|ª|\.)?/giu;

/**
 * A day and month written in words, with or without a year: "7 września", "16 de octubre",
 * "Aug 31", "7. September", "22nd Sep 2020", "2026 Sun Feb 8". Weekday names and little words are
 * passed over. Returns {year|null, month, day} or null.
 */
export function wordsDay(text) {
  const source = String(text).trim();
  const cjk = source.match(/^(?:(\d{4})\s*[年년]\s*)?(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]/);
  if (cjk) return { year: cjk[1] ? Number(cjk[1]) : null, month: Number(cjk[2]), day: Number(cjk[3]) };
  let year = null;
  let day = null;
  const months = [];
  const withoutTime = source.replace(/\d{1,2}:\d{2}(?::\d{2})?/g, ' ');
  for (const [token] of withoutTime.matchAll(TOKEN)) {
    const digits = token.match(/^\d+/)?.[0];
    if (digits) {
      const n = Number(digits);
      if (digits.length === 4 && year === null) year = n;
      else if (digits.length <= 2 && day === null && n >= 1 && n <= 31) day = n;
      else return null;
      continue;
    }
    const month = monthOf(token);
    if (month) months.push({ month, long: token.replace(/\.$/, '').length > 4 });
  }
  if (day === null || !months.length) return null;
  const distinct = new Set(months.map((m) => m.month));
  let month = months[0].month;
  if (distinct.size > 1) {
    // "mar" is Tuesday in Spanish and March in English: a long month name wins over short words.
    const long = [...new Set(months.filter((m) => m.long).map((m) => m.month))];
    if (long.length !== 1) return null;
    [month] = long;
  }
  return { year, month, day };
}

/**
 * "21:05", "9:03", "9:23 PM", "7:24 pm", "5:01 a.m.", "21.05", "21h05", "오후 9:23", "下午9:23" →
 * [hours, minutes], or null.
 */
export function parseTime(text) {
  let source = String(text).trim().toLowerCase();
  let half = null;
  const before = source.match(/^(午前|上午|오전|午後|下午|오후)\s*/);
  if (before) {
    half = ['午前', '上午', '오전'].includes(before[1]) ? 'a' : 'p';
    source = source.slice(before[0].length);
  }
  const m = source.match(/^(\d{1,2})[:.h](\d{2})(?::\d{2})?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?$/);
  if (!m) return null;
  let hours = Number(m[1]);
  const minutes = Number(m[2]);
  half = m[3]?.[0] ?? half;
  if (half) {
    if (hours < 1 || hours > 12) return null;
    if (half === 'p' && hours < 12) hours += 12;
    if (half === 'a' && hours === 12) hours = 0;
  }
  return hours < 24 && minutes < 60 ? [hours, minutes] : null;
}

/** A time inside a longer text ("2026 Sun Feb 8 4:04 PM" → [16, 4]), or null. */
export function timeIn(text) {
  const m = String(text).match(/(?:(?:午前|上午|오전|午後|下午|오후)\s*)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?\s?m\.?)?/i);
  return m ? parseTime(m[0]) : null;
}

const pad = (n, width = 2) => String(n).padStart(width, '0');

/** "2024-03-10T21:05" — the wall-clock time as written, the key imported ids are made from. */
export function localKey({ year, month, day }, [hours, minutes]) {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hours)}:${pad(minutes)}`;
}

/**
 * The moment and its ISO form for a wall-clock time. With `offsetMinutes` (east of UTC) the time
 * is placed there; without, in this device's time zone as it was on that day.
 */
export function momentOf({ year, month, day }, [hours, minutes], offsetMinutes = null) {
  if (offsetMinutes == null) {
    const local = new Date(year, month - 1, day, hours, minutes);
    return { ms: local.getTime(), at: isoWithOffset(local) };
  }
  const ms = Date.UTC(year, month - 1, day, hours, minutes) - offsetMinutes * 60_000;
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  const at = `${localKey({ year, month, day }, [hours, minutes])}:00.000${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return { ms, at };
}
