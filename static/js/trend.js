// "Is the numbness lifting?" — per week, the share of check-ins that were numb / can't tell and
// how many different feelings were named, and one plain sentence comparing the last four weeks
// with the four before. DOM-free and clock-free (the caller passes `today`). Weeks are the 7-day
// stretches ending today, so "the last four weeks" is exactly the last four bars. A check-in's
// day is the one written in its own `at`, so time zones and daylight saving never move it.
import { addDays, daysBetween, dayOf, inCoreOrder } from './stats.js';

/** Fewer check-ins than this in either four weeks: no trend is drawn or told. */
export const MIN_CHECKINS = 5;
/** Shares closer than this (5 percentage points) read as "about the same". */
export const SAME_WITHIN = 0.05;

const isNumb = (e) => e.feeling.core === 'numb';
/** A named feeling: the precise word, or the core when no word was chosen; numb names none. */
const feelingName = (e) => (isNumb(e) ? null : (e.feeling.word ?? e.feeling.core).toLowerCase());

function tally() {
  return { total: 0, numb: 0, names: new Set(), counts: new Map() };
}

function add(t, e) {
  t.total += 1;
  if (isNumb(e)) t.numb += 1;
  const name = feelingName(e);
  if (name) t.names.add(name);
  t.counts.set(e.feeling.core, (t.counts.get(e.feeling.core) ?? 0) + 1);
}

const finish = (t, extra = {}) => ({
  ...extra,
  total: t.total,
  numb: t.numb,
  share: t.total ? t.numb / t.total : null,
  words: t.names.size,
  cores: inCoreOrder(t.counts),
});

/**
 * The last `weeks` 7-day weeks ending `today` (oldest first) — {start, end, total, numb, share,
 * words, cores} each, share null for a week without check-ins — and the two four-week stretches
 * compared: `recent` (the last 28 days) and `before` (the 28 days before that).
 */
export function numbTrend(entries, today, weeks = 12) {
  const span = Math.max(weeks, 8) * 7;
  const first = addDays(today, -(span - 1));
  const buckets = Array.from({ length: span / 7 }, tally);
  const recent = tally();
  const before = tally();
  for (const e of entries) {
    if (e.deleted) continue;
    const day = dayOf(e);
    if (day < first || day > today) continue;
    const back = daysBetween(day, today); // 0 = today
    add(buckets[buckets.length - 1 - Math.floor(back / 7)], e);
    if (back < 28) add(recent, e);
    else if (back < 56) add(before, e);
  }
  const series = buckets.map((t, i) => finish(t, {
    start: addDays(first, 7 * i), end: addDays(first, 7 * i + 6),
  })).slice(-weeks);
  const r = finish(recent);
  const b = finish(before);
  let direction;
  if (r.total < MIN_CHECKINS || b.total < MIN_CHECKINS) direction = 'too-little';
  else if (Math.abs(r.share - b.share) < SAME_WITHIN) direction = 'same';
  else direction = r.share < b.share ? 'down' : 'up';
  return { weeks: series, recent: r, before: b, direction };
}

const count = (n, one, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/**
 * The sentence under the picture, in words a person would use. Never a score or a verdict:
 * it says what changed, with the numbers, and nothing about what it means.
 */
export function trendSentence({ recent: r, before: b, direction }) {
  const words = r.words
    ? ` You named ${r.words === 1 ? '1 feeling' : `${r.words.toLocaleString('en')} different feelings`}.`
    : r.total && r.numb === r.total ? ' Every check-in was numb / can’t tell — and that is a real answer.' : '';
  if (direction === 'too-little') {
    const have = r.total || b.total
      ? `So far there ${r.total === 1 ? 'is' : 'are'} ${count(r.total, 'check-in')} in the last four weeks and ${count(b.total, 'check-in')} in the four before.`
      : 'There are no check-ins in the last eight weeks yet.';
    return `Not enough check-ins yet to compare, and that’s fine. ${have} With ${MIN_CHECKINS} or more in each, this card can show how numb check-ins change.${r.total ? words : ''}`;
  }
  const now = `${r.numb} of ${r.total}`;
  const then = `${b.numb} of ${b.total}`;
  if (direction === 'down') {
    return `Fewer numb check-ins in the last four weeks: ${now}, down from ${then} in the four weeks before.${words}`;
  }
  if (direction === 'up') {
    return `More numb check-ins in the last four weeks: ${now}, up from ${then} in the four weeks before. Numb is a real answer, and noticing it counts.${words}`;
  }
  if (r.numb === 0 && b.numb === 0) {
    return `No numb check-ins in the last four weeks (${count(r.total, 'check-in')}), nor in the four weeks before (${b.total}).${words}`;
  }
  return `About the same share of numb check-ins in the last four weeks: ${now}, and ${then} in the four weeks before.${words}`;
}
