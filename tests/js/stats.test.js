import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays, bodyMap, bodyTop, calendar, dayOf, daysBetween, enoughForPatterns, entriesOn, firstDay, inPeriod,
  mostNamed, weekday, weekStart, when, withTags, wordsByMonth, yearPixels,
} from '../../static/js/stats.js';

let n = 0;
function entry(at, feeling, { body = [], tags = [], deleted = false } = {}) {
  n += 1;
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return { id, at, feeling, intensity: 3, body, tags, note: '', hlc: '1732451234567-0000-9f3a6c01d2e4b5a7', deleted };
}

/** A generated history: one check-in a day for 120 days, cycling through a few feelings. */
function history(today = '2026-11-24') {
  const feelings = [
    { core: 'sad', word: 'lonely' }, { core: 'calm', word: 'rested' }, { core: 'numb' },
    { core: 'scared', word: 'anxious' }, { core: 'sad', word: 'weary' }, { core: 'happy' },
  ];
  return Array.from({ length: 120 }, (_, i) => {
    const day = addDays(today, -i);
    const f = feelings[i % feelings.length];
    return entry(`${day}T${String(8 + (i % 12)).padStart(2, '0')}:15:00.000+01:00`, f, {
      body: i % 2 ? [{ region: 'chest', sensations: i % 4 === 1 ? ['tight'] : ['tight', 'heavy'] }] : [{ region: 'stomach', sensations: [] }],
      tags: i % 3 === 0 ? ['work'] : ['rest', 'music'],
    });
  });
}

test('calendar arithmetic: weekdays, week starts, adding days across months and DST', () => {
  assert.equal(weekday('2026-11-23'), 0); // a Monday
  assert.equal(weekday('2026-11-29'), 6);
  assert.equal(weekStart('2026-11-24'), '2026-11-23');
  assert.equal(addDays('2026-03-28', 2), '2026-03-30'); // over the European DST change
  assert.equal(addDays('2026-01-01', -1), '2025-12-31');
  assert.equal(addDays('2024-02-28', 1), '2024-02-29');
});

test('a check-in belongs to the day and hour written in its own time zone', () => {
  const late = entry('2026-11-23T23:30:00.000-05:00', { core: 'calm' }); // 04:30 UTC on the 24th
  const early = entry('2026-11-24T00:30:00.000+09:00', { core: 'sad' }); // 15:30 UTC on the 23rd
  assert.equal(dayOf(late), '2026-11-23');
  assert.equal(dayOf(early), '2026-11-24');
  assert.equal(when([late]).parts.find((p) => p.id === 'evening').total, 1);
  assert.equal(when([early]).parts.find((p) => p.id === 'night').total, 1);
  assert.equal(when([late]).days[0].total, 1, 'Monday where it was felt');
});

test('a daylight-saving change keeps every check-in on its own day and hour', () => {
  const before = entry('2026-03-29T01:30:00.000+01:00', { core: 'calm' });
  const after = entry('2026-03-29T03:30:00.000+02:00', { core: 'sad' }); // one real hour later
  const next = entry('2026-03-30T01:30:00.000+02:00', { core: 'happy' });
  const cal = calendar([before, after, next], '2026-03-30', 2);
  const days = cal.flatMap((w) => w.days);
  assert.equal(days.find((d) => d.day === '2026-03-29').count, 2);
  assert.equal(days.find((d) => d.day === '2026-03-30').count, 1);
  assert.deepEqual(entriesOn([next, after, before], '2026-03-29').map((e) => e.feeling.core), ['calm', 'sad']);
  const { parts } = when([before, after, next]);
  assert.deepEqual(parts.find((p) => p.id === 'night').cores, [
    { core: 'happy', count: 1 }, { core: 'calm', count: 1 }, { core: 'sad', count: 1 }]);
});

test('12-week calendar: whole weeks, Monday first, colours by most named, numb and empty days', () => {
  const today = '2026-11-24';
  const list = [
    entry(`${today}T09:00:00.000+01:00`, { core: 'sad' }),
    entry(`${today}T10:00:00.000+01:00`, { core: 'calm' }),
    entry(`${today}T11:00:00.000+01:00`, { core: 'calm' }),
    entry('2026-11-20T11:00:00.000+01:00', { core: 'numb' }),
    entry('2026-11-19T11:00:00.000+01:00', { core: 'happy' }, { deleted: true }),
    entry('2026-08-01T11:00:00.000+01:00', { core: 'happy' }), // before the 12 weeks
  ];
  const rows = calendar(list, today);
  assert.equal(rows.length, 12);
  assert.ok(rows.every((r) => r.days.length === 7 && weekday(r.start) === 0));
  assert.equal(rows.at(-1).start, '2026-11-23');
  assert.equal(rows[0].start, '2026-09-07');
  const cells = rows.flatMap((r) => r.days);
  const t = cells.find((c) => c.day === today);
  assert.deepEqual(t.cores, ['calm', 'sad']);
  assert.equal(t.count, 3);
  assert.equal(cells.find((c) => c.day === '2026-11-20').numb, true);
  assert.equal(cells.find((c) => c.day === '2026-11-19').count, 0, 'deleted check-ins are not shown');
  assert.equal(cells.find((c) => c.day === '2026-11-29').future, true);
  assert.equal(cells.reduce((s, c) => s + c.count, 0), 4);
});

test('periods and most named feelings, by core and by word', () => {
  const today = '2026-11-24';
  const list = history(today);
  assert.equal(inPeriod(list, 7, today).length, 7);
  assert.equal(inPeriod(list, 30, today).length, 30);
  assert.equal(inPeriod(list, 'all', today).length, 120);
  const week = mostNamed(inPeriod(list, 7, today));
  assert.deepEqual(week.cores[0], { core: 'sad', count: 3 });
  assert.equal(week.cores.reduce((s, c) => s + c.count, 0), 7);
  const all = mostNamed(list);
  assert.deepEqual(all.words.find((w) => w.word === 'lonely'), { core: 'sad', word: 'lonely', count: 20 });
  assert.ok(!all.words.some((w) => w.word === undefined), 'core-only check-ins have no word');
});

test('different words per month: granularity over the last 12 months', () => {
  const today = '2026-11-24';
  const list = [
    entry('2026-11-03T10:00:00.000+01:00', { core: 'sad', word: 'lonely' }),
    entry('2026-11-10T10:00:00.000+01:00', { core: 'happy', word: 'hopeful' }),
    entry('2026-11-11T10:00:00.000+01:00', { core: 'happy', word: 'Hopeful' }),
    entry('2026-11-12T10:00:00.000+01:00', { core: 'happy' }),
    entry('2026-11-30T10:00:00.000+01:00', { core: 'sad', word: 'weary' }), // later this month: not yet
    entry('2026-10-31T23:30:00.000-05:00', { core: 'loving', word: 'warm' }), // October where felt
    entry('2026-09-02T10:00:00.000+01:00', { core: 'sad', word: 'grieving' }, { deleted: true }),
    entry('2025-11-20T10:00:00.000+01:00', { core: 'sad', word: 'weary' }), // 13 months ago
  ];
  const months = wordsByMonth(list, today);
  assert.equal(months.length, 12);
  assert.equal(months[0].month, '2025-12');
  assert.deepEqual(months.at(-1), { month: '2026-11', words: 2, total: 4 });
  assert.deepEqual(months.at(-2), { month: '2026-10', words: 1, total: 1 });
  assert.equal(months.find((m) => m.month === '2026-09').total, 0);
  assert.deepEqual(wordsByMonth([], '2026-01-05', 3).map((m) => m.month), ['2025-11', '2025-12', '2026-01']);
});

test('a year in pixels: 12 months ending this month, every day of each, coloured by what was named', () => {
  const list = [
    entry('2026-02-28T10:00:00.000+01:00', { core: 'calm' }),
    entry('2026-02-28T11:00:00.000+01:00', { core: 'sad' }),
    entry('2026-02-28T12:00:00.000+01:00', { core: 'sad' }),
    entry('2026-11-24T10:00:00.000+01:00', { core: 'numb' }),
    entry('2025-11-30T10:00:00.000+01:00', { core: 'happy' }), // 12 months back: left out
  ];
  const year = yearPixels(list, '2026-11');
  assert.deepEqual(year.map((m) => m.month.slice(5)), ['12', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11']);
  assert.deepEqual(year.map((m) => m.days.length), [31, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30]);
  const feb = year[2].days[27];
  assert.deepEqual([feb.day, feb.count, feb.cores, feb.numb], ['2026-02-28', 3, ['sad', 'calm'], false]);
  assert.equal(year[11].days[23].numb, true);
  assert.equal(year.flatMap((m) => m.days).reduce((s, d) => s + d.count, 0), 4);
  assert.equal(yearPixels(list, '2024-02')[11].days.length, 29, 'a leap February');
  assert.equal(firstDay(list), '2025-11-30');
  assert.equal(firstDay([]), null);
  assert.equal(daysBetween('2026-03-28', '2026-03-30'), 2);
});

test('body map, for all feelings or one, with the sensations named there', () => {
  const list = history();
  const all = bodyMap(list);
  assert.deepEqual(all.map((r) => [r.region, r.count]), [['chest', 60], ['stomach', 60]]);
  assert.deepEqual(all[0].sensations, [{ word: 'tight', count: 60 }, { word: 'heavy', count: 30 }]);
  // Chest on odd days: calm, scared and happy in turn.
  assert.deepEqual(all[0].cores, [{ core: 'happy', count: 20 }, { core: 'calm', count: 20 }, { core: 'scared', count: 20 }]);
  const calm = bodyMap(list, 'calm');
  assert.equal(calm.reduce((s, r) => s + r.count, 0), 20);
  assert.deepEqual(bodyMap(list, 'angry'), []);
});

test('the place that came up most: ties are all named, and "nowhere" is not a place', () => {
  const e = (...regions) => entry('2026-11-20T10:00:00.000+01:00', { core: 'scared' }, { body: regions.map((region) => ({ region, sensations: [] })) });
  const tie = bodyMap([e('chest'), e('stomach'), e('throat'), e('nowhere'), e('nowhere')]);
  assert.deepEqual(bodyTop(tie), { top: ['chest', 'stomach', 'throat'], count: 1, nowhere: 2 });
  assert.deepEqual(bodyTop(bodyMap([e('chest', 'throat'), e('chest')])), { top: ['chest'], count: 2, nowhere: 0 });
  assert.deepEqual(bodyTop(bodyMap([e('nowhere')])), { top: [], count: 0, nowhere: 1 });
  assert.deepEqual(bodyTop([]), { top: [], count: 0, nowhere: 0 });
});

test('what comes with what: the feelings with each tag used at least 3 times; the rest apart', () => {
  const { shown, fewer } = withTags(history());
  assert.deepEqual(shown.map((t) => [t.tag, t.count]), [['music', 80], ['rest', 80], ['work', 40]]);
  const work = shown.find((t) => t.tag === 'work');
  assert.deepEqual(work.cores, [{ core: 'sad', count: 20 }, { core: 'scared', count: 20 }]);
  assert.deepEqual(fewer, []);
  const few = withTags([
    entry('2026-11-20T10:00:00.000+01:00', { core: 'sad' }, { tags: ['art', 'work'] }),
    entry('2026-11-21T10:00:00.000+01:00', { core: 'numb' }, { tags: ['work'] }),
    entry('2026-11-22T10:00:00.000+01:00', { core: 'sad' }, { tags: ['work', 'art'] }),
  ]);
  assert.deepEqual(few.shown, [{ tag: 'work', count: 3, cores: [{ core: 'numb', count: 1 }, { core: 'sad', count: 2 }] }]);
  assert.deepEqual(few.fewer, [{ tag: 'art', count: 2 }]);
});

test('how check-ins felt at each time of day and on each weekday', () => {
  const w = when(history());
  assert.equal(w.days.reduce((a, d) => a + d.total, 0), 120);
  assert.ok(w.days.every((d) => d.total >= 17 && d.total <= 18));
  const morning = w.parts.find((p) => p.id === 'morning');
  assert.equal(morning.total, 40);
  // Hours 8–11 fall on days 0–3 of each 12: sad, calm, numb, scared — shown in the fixed order.
  assert.deepEqual(morning.cores.map((c) => c.core), ['numb', 'calm', 'sad', 'scared']);
  assert.equal(morning.cores.reduce((s, c) => s + c.count, 0), 40);
  assert.equal(w.parts.reduce((s, p) => s + p.total, 0), 120);
  assert.deepEqual(w.parts.find((p) => p.id === 'night').cores, []);
});

test('empty and one-entry histories', () => {
  const today = '2026-11-24';
  assert.equal(enoughForPatterns([]), false);
  assert.equal(calendar([], today).flatMap((r) => r.days).every((d) => d.count === 0), true);
  assert.deepEqual(mostNamed([]), { cores: [], words: [] });
  assert.deepEqual(wordsByMonth([], today).map((m) => m.words), Array(12).fill(0));
  assert.deepEqual(bodyMap([]), []);
  assert.deepEqual(withTags([]), { shown: [], fewer: [] });
  const one = [entry(`${today}T07:00:00.000+00:00`, { core: 'numb' })];
  assert.equal(enoughForPatterns(one), false);
  assert.equal(when(one).parts[1].total, 1);
  assert.deepEqual(mostNamed(one).cores, [{ core: 'numb', count: 1 }]);
  assert.equal(enoughForPatterns([...one, ...one, ...one]), true);
});
