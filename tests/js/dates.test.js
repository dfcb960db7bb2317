import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoDay, momentOf, monthOf, parseTime, timeIn, wordsDay } from '../../static/js/dates.js';

test('day and month in the phone’s language, genitive forms included', () => {
  const cases = [
    ['7 września', 9, 7], ['16 de octubre', 10, 16], ['9 January', 1, 9], ['Aug 31', 8, 31],
    ['7. September', 9, 7], ['3 sept.', 9, 3], ['1er mai', 5, 1], ['12 décembre', 12, 12],
    ['3 de março', 3, 3], ['12 dicembre', 12, 12], ['25 aprile', 4, 25], ['7 сентября', 9, 7],
    ['1 мая', 5, 1], ['15 März', 3, 15], ['15 Mär', 3, 15], ['2 lutego', 2, 2], ['9月7日', 9, 7],
    ['30 listopada', 11, 30], ['4 oktober', 10, 4],
  ];
  for (const [text, month, day] of cases) {
    assert.deepEqual(wordsDay(text), { year: null, month, day }, text);
  }
  assert.deepEqual(wordsDay('2026 Sun Feb 8 4:04 PM'), { year: 2026, month: 2, day: 8 });
  assert.deepEqual(wordsDay('22nd Sep 2020'), { year: 2020, month: 9, day: 22 });
  assert.equal(wordsDay('no date here'), null);
  assert.equal(wordsDay('7'), null);
  assert.equal(monthOf('WRZEŚNIA'), 9);
  assert.equal(monthOf('sierpnia'), 8);
});

test('ISO days are checked against the calendar', () => {
  assert.deepEqual(isoDay('2024-02-29'), { year: 2024, month: 2, day: 29 });
  assert.equal(isoDay('2023-02-29'), null);
  assert.equal(isoDay('2024-13-01'), null);
  assert.equal(isoDay('March 3'), null);
});

test('times in 24- and 12-hour forms, with any spacing and case', () => {
  assert.deepEqual(parseTime('21:05'), [21, 5]);
  assert.deepEqual(parseTime('9:03'), [9, 3]);
  assert.deepEqual(parseTime('9:23 PM'), [21, 23]);
  assert.deepEqual(parseTime('7:24 pm'), [19, 24]);
  assert.deepEqual(parseTime('5:01 AM'), [5, 1]);
  assert.deepEqual(parseTime('12:05 am'), [0, 5]);
  assert.deepEqual(parseTime('12:05 PM'), [12, 5]);
  assert.deepEqual(parseTime('9:23\u202fPM'), [21, 23], 'narrow no-break space, as new phones write it');
  assert.deepEqual(parseTime('오후 9:23'), [21, 23]);
  assert.equal(parseTime('25:99'), null);
  assert.equal(parseTime('13:00 pm'), null);
  assert.equal(parseTime('late'), null);
  assert.deepEqual(timeIn('2026 Wed Jul 22 08:15 AM'), [8, 15]);
});

test('a wall-clock time with an offset, or in this device’s zone', () => {
  const day = { year: 2023, month: 11, day: 19 };
  const placed = momentOf(day, [10, 45], -300);
  assert.equal(placed.at, '2023-11-19T10:45:00.000-05:00');
  assert.equal(placed.ms, Date.parse('2023-11-19T15:45:00Z'));
  const local = momentOf(day, [10, 45]);
  assert.match(local.at, /^2023-11-19T10:45:00\.000[+-]\d{2}:\d{2}$/);
  assert.equal(local.ms, new Date(2023, 10, 19, 10, 45).getTime());
});
