import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { addDays } from '../../static/js/stats.js';
import { numbTrend, trendSentence } from '../../static/js/trend.js';

let n = 0;
function entry(at, feeling, { deleted = false } = {}) {
  n += 1;
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return { id, at, feeling, intensity: null, body: [], tags: [], note: '', hlc: '1732451234567-0000-9f3a6c01d2e4b5a7', deleted };
}
const TODAY = '2026-11-24'; // a Tuesday: weeks run Wednesday to Tuesday
const on = (back, feeling, hour = 10) => entry(`${addDays(TODAY, -back)}T${String(hour).padStart(2, '0')}:00:00.000+01:00`, feeling);
const numb = { core: 'numb' };

/** `numbCount` numb and `named` named check-ins spread over the four weeks starting `back` days ago. */
function stretch(back, numbCount, named, words = ['lonely', 'weary', 'hopeful', 'calm']) {
  const list = [];
  for (let i = 0; i < numbCount; i++) list.push(on(back - (i % 28), numb));
  for (let i = 0; i < named; i++) {
    const word = words[i % words.length];
    list.push(on(back - ((i * 3) % 28), word === 'calm' ? { core: 'calm' } : { core: word === 'hopeful' ? 'happy' : 'sad', word }));
  }
  return list;
}

test('weekly numb share and different feelings, with empty weeks, one check-in and all numb', () => {
  const list = [
    on(0, numb), on(1, { core: 'sad', word: 'lonely' }), on(6, { core: 'sad', word: 'Lonely' }), // this week
    on(7, { core: 'calm' }), // last week: a single check-in, core only
    on(14, numb), on(15, numb), on(20, numb), // all numb
    on(30, { core: 'happy', word: 'hopeful' }, 23),
    on(1, { core: 'angry' }, 9), // deleted below
    on(84, { core: 'sad' }), // just before the 12 weeks
    on(-1, numb), // tomorrow: not counted
  ];
  list[8].deleted = true;
  const { weeks } = numbTrend(list, TODAY);
  assert.equal(weeks.length, 12);
  assert.equal(weeks.at(-1).start, '2026-11-18');
  assert.equal(weeks.at(-1).end, TODAY);
  assert.equal(weeks[0].start, addDays(TODAY, -83));
  const [thisWeek, lastWeek, third] = [weeks.at(-1), weeks.at(-2), weeks.at(-3)];
  assert.deepEqual([thisWeek.total, thisWeek.numb, thisWeek.words], [3, 1, 1], 'lonely and Lonely are one word');
  assert.equal(thisWeek.share, 1 / 3);
  assert.deepEqual([lastWeek.total, lastWeek.numb, lastWeek.share, lastWeek.words], [1, 0, 0, 1]);
  assert.deepEqual([third.total, third.numb, third.share, third.words], [3, 3, 1, 0]);
  assert.deepEqual(third.cores, [{ core: 'numb', count: 3 }]);
  const empty = weeks.at(-4);
  assert.deepEqual([empty.total, empty.numb, empty.share, empty.words], [0, 0, null, 0]);
  assert.equal(weeks.at(-5).total, 1);
  assert.equal(weeks.reduce((s, w) => s + w.total, 0), 8);
});

test('the last four weeks against the four before: falling, with the numbers to say so', () => {
  const list = [...stretch(27, 6, 14), ...stretch(55, 11, 7)];
  const trend = numbTrend(list, TODAY);
  assert.deepEqual([trend.recent.numb, trend.recent.total], [6, 20]);
  assert.deepEqual([trend.before.numb, trend.before.total], [11, 18]);
  assert.equal(trend.direction, 'down');
  assert.equal(trend.recent.words, 4);
  assert.equal(trendSentence(trend),
    'Fewer numb check-ins in the last four weeks: 6 of 20, down from 11 of 18 in the four weeks before. You named 4 different feelings.');
  // The four-week sums are the sums of the last four weekly bars.
  assert.equal(trend.weeks.slice(-4).reduce((s, w) => s + w.total, 0), 20);
  assert.equal(trend.weeks.slice(-8, -4).reduce((s, w) => s + w.numb, 0), 11);
});

test('rising numbness is said plainly, without a verdict', () => {
  const trend = numbTrend([...stretch(27, 11, 7, ['lonely']), ...stretch(55, 6, 14)], TODAY);
  assert.equal(trend.direction, 'up');
  assert.equal(trendSentence(trend),
    'More numb check-ins in the last four weeks: 11 of 18, up from 6 of 20 in the four weeks before. Numb is a real answer, and noticing it counts. You named 1 feeling.');
});

test('about the same, and none numb at all', () => {
  const same = numbTrend([...stretch(27, 6, 14), ...stretch(55, 6, 13)], TODAY);
  assert.equal(same.direction, 'same');
  assert.equal(trendSentence(same),
    'About the same share of numb check-ins in the last four weeks: 6 of 20, and 6 of 19 in the four weeks before. You named 4 different feelings.');
  const none = numbTrend([...stretch(27, 0, 5), ...stretch(55, 0, 9)], TODAY);
  assert.equal(none.direction, 'same');
  assert.equal(trendSentence(none),
    'No numb check-ins in the last four weeks (5 check-ins), nor in the four weeks before (9). You named 4 different feelings.');
});

test('too little data: said kindly, no comparison', () => {
  const few = numbTrend([...stretch(27, 2, 2), ...stretch(55, 9, 9)], TODAY);
  assert.equal(few.direction, 'too-little');
  const text = trendSentence(few);
  assert.equal(text,
    'Not enough check-ins yet to compare, and that’s fine. So far there are 4 check-ins in the last four weeks and 18 check-ins in the four before. With 5 or more in each, this card can show how numb check-ins change. You named 2 different feelings.');
  assert.doesNotMatch(text, /fewer|more numb|down|up from/i);
  const one = numbTrend([on(3, numb)], TODAY);
  assert.equal(one.direction, 'too-little');
  assert.match(trendSentence(one), /there is 1 check-in in the last four weeks and 0 check-ins in the four before\. .*Every check-in was numb \/ can’t tell — and that is a real answer\.$/);
  assert.equal(trendSentence(numbTrend([], TODAY)),
    'Not enough check-ins yet to compare, and that’s fine. There are no check-ins in the last eight weeks yet. With 5 or more in each, this card can show how numb check-ins change.');
});

test('the four-week edge: day 27 back is recent, day 28 back is before', () => {
  const trend = numbTrend([on(27, numb), on(28, { core: 'sad' })], TODAY);
  assert.deepEqual([trend.recent.total, trend.recent.numb, trend.before.total, trend.before.numb], [1, 1, 1, 0]);
});

// Across a daylight-saving change (Europe: 29 March 2026, 02:00 → 03:00), run in node with the
// device's time zone set, the weeks must hold the same check-ins in Berlin, New York and UTC.
const DST_SCRIPT = `
import { localToday } from './static/js/stats.js';
import { numbTrend } from './static/js/trend.js';
const e = (at, core) => ({ id: at, at, feeling: { core }, intensity: null, body: [], tags: [], note: '', hlc: 'x', deleted: false });
const entries = [
  e('2026-03-24T23:30:00.000+01:00', 'numb'),  // the last evening of a week, before the change
  e('2026-03-25T00:30:00.000+01:00', 'sad'),   // the first hour of the next week
  e('2026-03-29T01:30:00.000+01:00', 'numb'),  // just before clocks go forward
  e('2026-03-29T03:30:00.000+02:00', 'calm'),  // an hour later in real time, after the change
  e('2026-03-31T23:59:00.000+02:00', 'numb'),  // the last minute of "today"
];
const today = localToday(new Date('2026-03-31T21:59:00Z')); // 23:59 in Berlin (summer time)
const { weeks } = numbTrend(entries, today, 2);
console.log(JSON.stringify({ today, weeks: weeks.map((w) => [w.start, w.end, w.total, w.numb]) }));
`;

test('time zones across daylight saving: same weeks in Berlin, New York and UTC', () => {
  const run = (tz) => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', DST_SCRIPT], {
    cwd: new URL('../..', import.meta.url), env: { ...process.env, TZ: tz }, encoding: 'utf8',
  }));
  const berlin = run('Europe/Berlin');
  assert.equal(berlin.today, '2026-03-31');
  assert.deepEqual(berlin.weeks, [['2026-03-18', '2026-03-24', 1, 1], ['2026-03-25', '2026-03-31', 4, 2]]);
  // Elsewhere "today" is the device's own date; given the same day, the weeks are identical.
  assert.equal(run('America/New_York').today, '2026-03-31');
  assert.equal(run('UTC').today, '2026-03-31');
  assert.equal(run('Asia/Tokyo').today, '2026-04-01');
  assert.deepEqual(run('America/New_York').weeks, berlin.weeks);
});
