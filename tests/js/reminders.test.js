import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReminderProblem, buildSchedule, describe, weekAfter } from '../../static/js/reminders.js';

test('random moments inside a window that can hold them an hour apart', () => {
  assert.deepEqual(buildSchedule({ mode: 'random', count: 3, start: '10:00', end: '21:00' }),
    { mode: 'random', count: 3, window: { start: '10:00', end: '21:00' } });
  assert.throws(() => buildSchedule({ mode: 'random', count: 3, start: '21:00', end: '10:00' }), /end after it starts/);
  assert.throws(() => buildSchedule({ mode: 'random', count: 5, start: '10:00', end: '12:00' }), /at least 4 hours/);
  assert.throws(() => buildSchedule({ mode: 'random', count: 6 }), ReminderProblem);
  assert.throws(() => buildSchedule({ mode: 'random', count: 2, start: '00:00', end: '23:30' }), /22 hours/);
});

test('fixed times: sorted, no repeats, up to five', () => {
  assert.deepEqual(buildSchedule({ mode: 'fixed', times: ['20:00', '08:30', '20:00'] }), { mode: 'fixed', times: ['08:30', '20:00'] });
  assert.throws(() => buildSchedule({ mode: 'fixed', times: ['01:00', '02:00', '03:00', '04:00', '05:00', '06:00'] }), /Up to 5/);
  assert.throws(() => buildSchedule({ mode: 'fixed', times: [] }), /at least one/);
});

test('only if not yet, quiet days and a pause', () => {
  assert.deepEqual(buildSchedule({ mode: 'if_not_yet', time: '20:00', quietDays: ['sun', 'sat'], pausedUntil: '2026-12-09' }),
    { mode: 'if_not_yet', time: '20:00', quiet_days: ['sat', 'sun'], paused_until: '2026-12-09' });
  assert.throws(() => buildSchedule({ mode: 'fixed', times: ['09:00'], quietDays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }), /at least one day/);
  assert.equal(weekAfter('2026-12-28'), '2027-01-04');
  assert.equal(describe({ mode: 'fixed', times: ['08:30'], quiet_days: ['sat'] }), 'At 08:30, not on sat.');
});
