// Patterns from a list of check-ins, all computed on the device. DOM-free and clock-free: the
// caller passes `today` (YYYY-MM-DD on the device now). A check-in's day and hour are the ones
// written in its own `at` (local time where it was felt), so time zones and daylight-saving
// changes never move an entry to another day.

const DAY_MS = 86_400_000;
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
export const DAY_PARTS = [
  { id: 'night', label: 'Night (0–6)', from: 0, to: 6 },
  { id: 'morning', label: 'Morning (6–12)', from: 6, to: 12 },
  { id: 'afternoon', label: 'Afternoon (12–18)', from: 12, to: 18 },
  { id: 'evening', label: 'Evening (18–24)', from: 18, to: 24 },
];
export const PERIODS = { 7: 'Last 7 days', 30: 'Last 30 days', 90: 'Last 90 days', all: 'All time' };

/** The local date of a check-in, as written in its `at`. */
export const dayOf = (entry) => entry.at.slice(0, 10);
export const hourOf = (entry) => Number(entry.at.slice(11, 13));

const toUtc = (day) => Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
const fromUtc = (ms) => new Date(ms).toISOString().slice(0, 10);

/** day + n days, as YYYY-MM-DD (calendar arithmetic, no time zones involved). */
export function addDays(day, n) {
  return fromUtc(toUtc(day) + n * DAY_MS);
}

/** 0 = Monday … 6 = Sunday. */
export function weekday(day) {
  return (new Date(toUtc(day)).getUTCDay() + 6) % 7;
}

/** The Monday that starts the week of `day`. */
export function weekStart(day) {
  return addDays(day, -weekday(day));
}

/** The local date now on this device (what `today` should be). */
export function localToday(now = new Date()) {
  return fromUtc(now.getTime() - now.getTimezoneOffset() * 60_000);
}

const live = (entries) => entries.filter((e) => !e.deleted);

function countBy(items, key) {
  const counts = new Map();
  for (const item of items) {
    const k = key(item);
    if (k != null) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
}

/** Check-ins within the last `days` days up to `today` ('all' keeps everything). */
export function inPeriod(entries, period, today) {
  const list = live(entries);
  if (period === 'all') return list.filter((e) => dayOf(e) <= today);
  const first = addDays(today, -(Number(period) - 1));
  return list.filter((e) => dayOf(e) >= first && dayOf(e) <= today);
}

/**
 * A calendar of whole weeks (Monday first) ending with the week of `today`: each day with the
 * cores named that day (most named first), whether all were numb, and how many check-ins.
 */
export function calendar(entries, today, weeks = 12) {
  const first = addDays(weekStart(today), -7 * (weeks - 1));
  const byDay = new Map();
  for (const entry of live(entries)) {
    const day = dayOf(entry);
    if (day < first || day > today) continue;
    if (!byDay.has(day)) byDay.set(day, []);
    byDay.get(day).push(entry);
  }
  const rows = [];
  for (let w = 0; w < weeks; w++) {
    const days = [];
    for (let d = 0; d < 7; d++) {
      const day = addDays(first, w * 7 + d);
      const list = byDay.get(day) ?? [];
      const cores = countBy(list, (e) => e.feeling.core).map(([core]) => core);
      days.push({
        day, count: list.length, cores, future: day > today,
        numb: list.length > 0 && cores.every((c) => c === 'numb'),
      });
    }
    rows.push({ start: days[0].day, days });
  }
  return rows;
}

/** Check-ins on one local day, in time order. */
export function entriesOn(entries, day) {
  return live(entries).filter((e) => dayOf(e) === day).sort((a, b) => (a.at < b.at ? -1 : 1));
}

/** How often each core and each precise word was named. */
export function mostNamed(entries) {
  return {
    cores: countBy(entries, (e) => e.feeling.core).map(([core, count]) => ({ core, count })),
    words: countBy(entries, (e) => (e.feeling.word ? `${e.feeling.core}|${e.feeling.word}` : null))
      .map(([key, count]) => ({ core: key.split('|')[0], word: key.split('|')[1], count })),
  };
}

/**
 * Emotional vocabulary over time: distinct precise words per week for the last `weeks` weeks,
 * and the words first used this month (local month of `today`).
 */
export function vocabulary(entries, today, weeks = 12) {
  const list = live(entries).filter((e) => e.feeling.word && dayOf(e) <= today);
  const first = addDays(weekStart(today), -7 * (weeks - 1));
  const perWeek = new Map();
  const firstUse = new Map();
  for (const e of list) {
    const day = dayOf(e);
    const word = e.feeling.word;
    if (!firstUse.has(word) || day < firstUse.get(word)) firstUse.set(word, day);
    if (day < first) continue;
    const week = weekStart(day);
    if (!perWeek.has(week)) perWeek.set(week, new Set());
    perWeek.get(week).add(word);
  }
  const series = [];
  for (let w = 0; w < weeks; w++) {
    const week = addDays(first, 7 * w);
    series.push({ week, words: perWeek.get(week)?.size ?? 0 });
  }
  const month = today.slice(0, 7);
  const newThisMonth = [...firstUse.entries()]
    .filter(([, day]) => day.startsWith(month))
    .sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0].localeCompare(b[0])))
    .map(([word]) => word);
  return { series, newThisMonth, total: firstUse.size };
}

/** Where in the body, how often, with the sensations named there; optionally for one core. */
export function bodyMap(entries, core = null) {
  const chosen = core ? entries.filter((e) => e.feeling.core === core) : entries;
  const regions = new Map();
  for (const e of chosen) {
    for (const { region, sensations } of e.body) {
      if (!regions.has(region)) regions.set(region, { region, count: 0, sensations: new Map() });
      const r = regions.get(region);
      r.count += 1;
      for (const s of sensations) r.sensations.set(s, (r.sensations.get(s) ?? 0) + 1);
    }
  }
  return [...regions.values()]
    .map((r) => ({
      region: r.region, count: r.count,
      sensations: [...r.sensations.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([word, count]) => ({ word, count })),
    }))
    .sort((a, b) => b.count - a.count || a.region.localeCompare(b.region));
}

/** Check-ins by part of the day, by hour and by day of the week (local time where felt). */
export function when(entries) {
  const hours = Array(24).fill(0);
  const days = Array(7).fill(0);
  for (const e of entries) {
    hours[hourOf(e)] += 1;
    days[weekday(dayOf(e))] += 1;
  }
  const parts = DAY_PARTS.map((p) => ({ ...p, count: hours.slice(p.from, p.to).reduce((a, b) => a + b, 0) }));
  return { hours, days, parts };
}

/** For each tag, how many check-ins carried it and which feelings were named most with it. */
export function withTags(entries, { top = 3 } = {}) {
  const byTag = new Map();
  for (const e of entries) {
    for (const tag of e.tags) {
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push(e);
    }
  }
  return [...byTag.entries()]
    .map(([tag, list]) => ({
      tag, count: list.length,
      cores: countBy(list, (e) => e.feeling.core).slice(0, top).map(([core, count]) => ({ core, count })),
      words: countBy(list, (e) => e.feeling.word ?? null).slice(0, top).map(([word, count]) => ({ word, count })),
    }))
    .sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
}

/** Enough to show patterns? (Fewer than 3 check-ins get a friendly empty state instead.) */
export const enoughForPatterns = (entries) => live(entries).length >= 3;
