import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays, bodyMap, calendar, dayOf, enoughForPatterns, entriesOn, inPeriod, mostNamed, vocabulary,
  weekday, weekStart, when, withTags,
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
  assert.deepEqual(when([late]).hours[23], 1);
  assert.deepEqual(when([early]).hours[0], 1);
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
  const { hours } = when([before, after, next]);
  assert.equal(hours[1], 2);
  assert.equal(hours[3], 1);
  assert.equal(hours[2], 0);
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

test('vocabulary: distinct words per week and the words new this month', () => {
  const today = '2026-11-24';
  const list = [
    ...history(today).filter((e) => e.at < '2026-11-01'),
    entry('2026-11-03T10:00:00.000+01:00', { core: 'sad', word: 'lonely' }),
    entry('2026-11-10T10:00:00.000+01:00', { core: 'happy', word: 'hopeful' }),
    entry('2026-11-11T10:00:00.000+01:00', { core: 'happy', word: 'hopeful' }),
    entry('2026-11-24T10:00:00.000+01:00', { core: 'loving', word: 'bluesy-own' }),
  ];
  const v = vocabulary(list, today);
  assert.equal(v.series.length, 12);
  assert.deepEqual(v.newThisMonth, ['hopeful', 'bluesy-own']);
  assert.equal(v.series.at(-1).week, '2026-11-23');
  assert.equal(v.series.at(-1).words, 1);
  assert.equal(v.series.find((s) => s.week === '2026-11-09').words, 1);
  assert.equal(v.total, 6);
});

test('body map, for all feelings or one, with the sensations named there', () => {
  const list = history();
  const all = bodyMap(list);
  assert.deepEqual(all.map((r) => [r.region, r.count]), [['chest', 60], ['stomach', 60]]);
  assert.deepEqual(all[0].sensations, [{ word: 'tight', count: 60 }, { word: 'heavy', count: 30 }]);
  const calm = bodyMap(list, 'calm');
  assert.equal(calm.reduce((s, r) => s + r.count, 0), 20);
  assert.deepEqual(bodyMap(list, 'angry'), []);
});

test('what comes with what: feelings named most with each tag', () => {
  const tags = withTags(history());
  assert.deepEqual(tags.map((t) => [t.tag, t.count]), [['music', 80], ['rest', 80], ['work', 40]]);
  const work = tags.find((t) => t.tag === 'work');
  assert.deepEqual(work.cores, [{ core: 'sad', count: 20 }, { core: 'scared', count: 20 }]);
});

test('time of day and day of week', () => {
  const w = when(history());
  assert.equal(w.days.reduce((a, b) => a + b, 0), 120);
  assert.ok(w.days.every((d) => d >= 17 && d <= 18));
  assert.equal(w.parts.find((p) => p.id === 'morning').count, 40);
  assert.equal(w.parts.reduce((s, p) => s + p.count, 0), 120);
});

test('empty and one-entry histories', () => {
  const today = '2026-11-24';
  assert.equal(enoughForPatterns([]), false);
  assert.equal(calendar([], today).flatMap((r) => r.days).every((d) => d.count === 0), true);
  assert.deepEqual(mostNamed([]), { cores: [], words: [] });
  assert.deepEqual(vocabulary([], today).newThisMonth, []);
  assert.deepEqual(bodyMap([]), []);
  assert.deepEqual(withTags([]), []);
  const one = [entry(`${today}T07:00:00.000+00:00`, { core: 'numb' })];
  assert.equal(enoughForPatterns(one), false);
  assert.equal(when(one).parts[1].count, 1);
  assert.deepEqual(mostNamed(one).cores, [{ core: 'numb', count: 1 }]);
  assert.equal(enoughForPatterns([...one, ...one, ...one]), true);
});
