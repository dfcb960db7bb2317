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

// Day strings → UTC midnight in ms, remembered: pictures of 9,000 check-ins ask about the same
// few thousand days over and over. Bounded so it cannot grow without end.
const utcOf = new Map();
function toUtc(day) {
  let ms = utcOf.get(day);
  if (ms === undefined) {
    ms = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
    if (utcOf.size >= 50_000) utcOf.clear();
    utcOf.set(day, ms);
  }
  return ms;
}
const fromUtc = (ms) => new Date(ms).toISOString().slice(0, 10);

/** day + n days, as YYYY-MM-DD (calendar arithmetic, no time zones involved). */
export function addDays(day, n) {
  return fromUtc(toUtc(day) + n * DAY_MS);
}

/** Whole days from `a` to `b` (both YYYY-MM-DD); negative when `b` is earlier. */
export function daysBetween(a, b) {
  return Math.round((toUtc(b) - toUtc(a)) / DAY_MS);
}

/** 0 = Monday … 6 = Sunday. */
export function weekday(day) {
  return (((toUtc(day) / DAY_MS + 3) % 7) + 7) % 7; // 1 January 1970 was a Thursday
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

/** The order feelings are stacked in every picture, so a colour sits in the same place each time. */
export const CORE_ORDER = ['numb', 'happy', 'calm', 'loving', 'surprised', 'sad', 'scared', 'angry', 'ashamed'];
const rank = (core) => { const i = CORE_ORDER.indexOf(core); return i < 0 ? CORE_ORDER.length : i; };

/** A Map of core → count as [{core, count}] in CORE_ORDER. */
export function inCoreOrder(counts) {
  return [...counts.entries()].filter(([, n]) => n > 0).sort((a, b) => rank(a[0]) - rank(b[0]) || String(a[0]).localeCompare(String(b[0])))
    .map(([core, count]) => ({ core, count }));
}

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
 * Where in the body, how often, with the sensations named there and the feelings they came
 * with (for colouring a heat map); optionally for one core.
 */
export function bodyMap(entries, core = null) {
  const chosen = core ? entries.filter((e) => e.feeling.core === core) : entries;
  const regions = new Map();
  for (const e of chosen) {
    for (const { region, sensations } of e.body) {
      if (!regions.has(region)) regions.set(region, { region, count: 0, sensations: new Map(), cores: new Map() });
      const r = regions.get(region);
      r.count += 1;
      r.cores.set(e.feeling.core, (r.cores.get(e.feeling.core) ?? 0) + 1);
      for (const s of sensations) r.sensations.set(s, (r.sensations.get(s) ?? 0) + 1);
    }
  }
  return [...regions.values()]
    .map((r) => ({
      region: r.region, count: r.count,
      sensations: [...r.sensations.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([word, count]) => ({ word, count })),
      cores: inCoreOrder(r.cores),
    }))
    .sort((a, b) => b.count - a.count || a.region.localeCompare(b.region));
}

/**
 * What a body map says in words: the places named most (all of them when tied), leaving out
 * "nowhere I can tell", which is an answer but not a place, counted apart.
 */
export function bodyTop(regions) {
  const places = regions.filter((r) => r.region !== 'nowhere');
  const max = places[0]?.count ?? 0;
  return {
    top: max ? places.filter((r) => r.count === max).map((r) => r.region) : [],
    count: max,
    nowhere: regions.find((r) => r.region === 'nowhere')?.count ?? 0,
  };
}

/**
 * How check-ins felt at each time: for each part of the day and each day of the week (local
 * time where felt), how many check-ins and the share of each core — not how often Thaw was opened
 * so much as what was felt then.
 */
export function when(entries) {
  const parts = DAY_PARTS.map((p) => ({ ...p, counts: new Map(), total: 0 }));
  const days = WEEKDAYS.map((label, i) => ({ id: i, label, counts: new Map(), total: 0 }));
  const partOf = Array.from({ length: 24 }, (_, hour) => parts.find((p) => hour >= p.from && hour < p.to));
  for (const e of entries) {
    const core = e.feeling.core;
    for (const bucket of [partOf[hourOf(e)], days[weekday(dayOf(e))]]) {
      if (!bucket) continue;
      bucket.total += 1;
      bucket.counts.set(core, (bucket.counts.get(core) ?? 0) + 1);
    }
  }
  const finish = ({ counts, ...rest }) => ({ ...rest, cores: inCoreOrder(counts) });
  return { parts: parts.map(finish), days: days.map(finish) };
}

/**
 * What comes with what: for each tag used at least `min` times, how many check-ins carried it and
 * the feelings named with it (in CORE_ORDER); tags used fewer times are listed apart, because a
 * mix of one or two check-ins says nothing.
 */
export function withTags(entries, { min = 3 } = {}) {
  const byTag = new Map();
  for (const e of entries) {
    for (const tag of e.tags) {
      if (!byTag.has(tag)) byTag.set(tag, { tag, count: 0, counts: new Map() });
      const t = byTag.get(tag);
      t.count += 1;
      t.counts.set(e.feeling.core, (t.counts.get(e.feeling.core) ?? 0) + 1);
    }
  }
  const all = [...byTag.values()].sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
  return {
    shown: all.filter((t) => t.count >= min).map((t) => ({ tag: t.tag, count: t.count, cores: inCoreOrder(t.counts) })),
    fewer: all.filter((t) => t.count < min).map((t) => ({ tag: t.tag, count: t.count })),
  };
}

/**
 * Granularity over time: how many different precise words were named in each of the last
 * `months` calendar months (ending with the month of `today`), and how many check-ins there were.
 */
export function wordsByMonth(entries, today, months = 12) {
  const end = today.slice(0, 7);
  const keys = [];
  let [y, m] = [Number(end.slice(0, 4)), Number(end.slice(5, 7))];
  for (let i = 0; i < months; i++) {
    keys.unshift(`${y}-${String(m).padStart(2, '0')}`);
    m -= 1;
    if (m === 0) { m = 12; y -= 1; }
  }
  const byMonth = new Map(keys.map((k) => [k, { words: new Set(), total: 0 }]));
  for (const e of entries) {
    if (e.deleted) continue;
    const bucket = byMonth.get(e.at.slice(0, 7));
    if (!bucket || dayOf(e) > today) continue;
    bucket.total += 1;
    if (e.feeling.word) bucket.words.add(e.feeling.word.toLowerCase());
  }
  return keys.map((month) => ({ month, words: byMonth.get(month).words.size, total: byMonth.get(month).total }));
}

/**
 * A year in pixels: the 12 calendar months ending with `endMonth` (YYYY-MM), each a list of its
 * days with the cores named that day (most named first) — 12 × up to 31 cells on one screen.
 */
export function yearPixels(entries, endMonth) {
  let [y, m] = [Number(endMonth.slice(0, 4)), Number(endMonth.slice(5, 7))];
  const months = [];
  for (let i = 0; i < 12; i++) {
    months.unshift({ month: `${y}-${String(m).padStart(2, '0')}`, length: new Date(Date.UTC(y, m, 0)).getUTCDate() });
    m -= 1;
    if (m === 0) { m = 12; y -= 1; }
  }
  const first = `${months[0].month}-01`;
  const last = `${endMonth}-31`;
  const byDay = new Map();
  for (const e of entries) {
    if (e.deleted) continue;
    const day = dayOf(e);
    if (day < first || day > last) continue;
    if (!byDay.has(day)) byDay.set(day, new Map());
    const counts = byDay.get(day);
    counts.set(e.feeling.core, (counts.get(e.feeling.core) ?? 0) + 1);
  }
  return months.map(({ month, length }) => {
    const days = [];
    for (let d = 1; d <= length; d++) {
      const day = `${month}-${String(d).padStart(2, '0')}`;
      const counts = byDay.get(day);
      const cores = counts ? [...counts.entries()].sort((a, b) => b[1] - a[1] || rank(a[0]) - rank(b[0])).map(([c]) => c) : [];
      const count = counts ? [...counts.values()].reduce((s, n) => s + n, 0) : 0;
      days.push({ day, count, cores, numb: count > 0 && cores.every((c) => c === 'numb') });
    }
    return { month, days };
  });
}

/** The local day of the earliest check-in, or null. */
export function firstDay(entries) {
  let first = null;
  for (const e of entries) if (!e.deleted && (first === null || dayOf(e) < first)) first = dayOf(e);
  return first;
}

/** Enough to show patterns? (Fewer than 3 check-ins get a friendly empty state instead.) */
export const enoughForPatterns = (entries) => live(entries).length >= 3;
