// Reminders, DOM-free: the schedule the server is sent (pwa/reminders/schedule.py reads it),
// built from what a person chose and checked first, so a mistake is said calmly here.
export const MODES = ['random', 'fixed', 'if_not_yet'];
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const MAX_PER_DAY = 5;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class ReminderProblem extends Error {}

const minutes = (t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));

/** {mode, count, start, end, times, time, quietDays, pausedUntil} → the schedule, or ReminderProblem. */
export function buildSchedule({ mode, count = 2, start = '10:00', end = '21:00', times = [], time = '20:00', quietDays = [], pausedUntil = null }) {
  const extra = {};
  const quiet = WEEKDAYS.filter((d) => quietDays.includes(d));
  if (quiet.length === 7) throw new ReminderProblem('Leave at least one day with reminders, or turn them off.');
  if (quiet.length) extra.quiet_days = quiet;
  if (pausedUntil) extra.paused_until = pausedUntil;
  if (mode === 'random') {
    if (!HHMM.test(start) || !HHMM.test(end)) throw new ReminderProblem('Choose when the day’s window starts and ends.');
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1 || n > MAX_PER_DAY) throw new ReminderProblem(`Choose 1 to ${MAX_PER_DAY} moments a day.`);
    if (minutes(end) <= minutes(start)) throw new ReminderProblem('The window has to end after it starts.');
    // The server keeps windows to 22 hours, so a day's last moment and the next day's first stay apart.
    if (minutes(end) - minutes(start) > 22 * 60) throw new ReminderProblem('Keep the window to 22 hours at most, so the night stays quiet.');
    // Moments are at least an hour apart, so the window must hold them.
    if (minutes(end) - minutes(start) < (n - 1) * 60) throw new ReminderProblem(`${n} moments an hour apart need a window of at least ${n - 1} hours.`);
    return { mode, count: n, window: { start, end }, ...extra };
  }
  if (mode === 'fixed') {
    const chosen = [...new Set(times.filter(Boolean))].sort();
    if (!chosen.length) throw new ReminderProblem('Add at least one time.');
    if (chosen.length > MAX_PER_DAY) throw new ReminderProblem(`Up to ${MAX_PER_DAY} times a day.`);
    if (!chosen.every((t) => HHMM.test(t))) throw new ReminderProblem('A time is not complete.');
    return { mode, times: chosen, ...extra };
  }
  if (mode === 'if_not_yet') {
    if (!HHMM.test(time)) throw new ReminderProblem('Choose a time.');
    return { mode, time, ...extra };
  }
  throw new ReminderProblem('Choose how you would like to be reminded.');
}

/** The local date a week after `today` (YYYY-MM-DD): reminders resume on it. */
export function weekAfter(today) {
  const [y, m, d] = today.split('-').map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 7));
  return next.toISOString().slice(0, 10);
}

/** A one-line description of a schedule, for Settings. */
export function describe(schedule) {
  if (!schedule) return 'Off.';
  const quiet = schedule.quiet_days?.length ? `, not on ${schedule.quiet_days.join(', ')}` : '';
  const paused = schedule.paused_until ? ` Paused until ${schedule.paused_until}.` : '';
  if (schedule.mode === 'random') return `${schedule.count} random ${schedule.count === 1 ? 'moment' : 'moments'} a day between ${schedule.window.start} and ${schedule.window.end}${quiet}.${paused}`;
  if (schedule.mode === 'fixed') return `At ${schedule.times.join(', ')}${quiet}.${paused}`;
  return `At ${schedule.time}, only if you have not checked in that day${quiet}.${paused}`;
}
