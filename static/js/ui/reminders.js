// Settings → Reminders: off by default; random moments, fixed times or "only if I haven't checked
// in today", quiet days, a week's pause, a test reminder. The browser's push subscription and the
// schedule go to Thaw's server (never a feeling); the reminder's id and secret stay on the device
// (sealed with the app lock on).
import { isIos } from '../install.js';
import { MAX_PER_DAY, ReminderProblem, WEEKDAYS, buildSchedule, describe, weekAfter } from '../reminders.js';
import { localToday } from '../stats.js';
import { fromBase64Url } from '../vault.js';
import { h } from './dom.js';

const API = '/api/v1/reminders';
const DAY_NAMES = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

async function call(method, path, { secret, body } = {}) {
  const response = await fetch(`${API}${path}`, {
    method,
    headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...(secret ? { Authorization: `Bearer ${secret}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const reply = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw Object.assign(new Error(reply?.error?.message ?? 'Thaw’s server could not be reached.'), { status: response.status });
  return reply;
}

const onIos = () => isIos(navigator.userAgent, navigator.maxTouchPoints);
const pushless = () => !('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window);

/**
 * Whether reminders can ever work in this browser: not where there is no Push API at all (e.g.
 * WebKitGTK), except on an iPhone, where Safari has it once Thaw is on the Home Screen.
 */
export const remindable = () => onIos() || !pushless();

/** Why reminders cannot work here, in one plain line, or null when they can. */
export function whyNot() {
  const standalone = matchMedia('(display-mode: standalone)').matches || navigator.standalone === true;
  if (onIos() && !standalone) return 'On iPhone and iPad, reminders work once Thaw is on the Home Screen: Share → Add to Home Screen, then open it from there.';
  if (pushless()) return 'This browser cannot show reminders from a web app.';
  if (Notification.permission === 'denied') return 'Notifications are blocked for Thaw. Allow them in this browser’s site settings, then come back here.';
  return null;
}

/** After a check-in: an "only if not yet" reminder stays quiet today. Best effort, offline too. */
export async function reportCheckIn(journal) {
  const reminder = await journal.setting('reminder', null);
  if (reminder?.schedule?.mode !== 'if_not_yet') return;
  await call('POST', `/${reminder.id}/checked-in`, { secret: reminder.secret, body: { date: localToday() } }).catch(() => {});
}

export function createRemindersSection({ journal, toast }) {
  const element = h('section', { class: 'settings-section', 'aria-labelledby': 'reminders-title' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  let reminder = null;
  let busy = false;

  async function run(button, work, done) {
    if (busy) return;
    busy = true;
    button.disabled = true;
    error.textContent = '';
    try {
      await work();
      if (done) toast.show(done);
      render();
    } catch (failure) {
      error.textContent = failure instanceof ReminderProblem || failure.status ? failure.message
        : `Reminders could not be set up here (${failure.message}).`;
    } finally {
      busy = false;
      button.disabled = false;
    }
  }

  async function subscription() {
    if (await Notification.requestPermission() !== 'granted') {
      throw new ReminderProblem('Thaw needs permission to show notifications for reminders. Nothing was changed.');
    }
    const registration = await navigator.serviceWorker.ready;
    const existing = await registration.pushManager.getSubscription();
    if (existing) return existing;
    const { public_key: key } = await call('GET', '/key');
    return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromBase64Url(key) });
  }

  async function save(schedule) {
    const body = {
      subscription: (await subscription()).toJSON(),
      time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      schedule,
    };
    if (reminder) {
      await call('PUT', `/${reminder.id}`, { secret: reminder.secret, body });
      reminder = { ...reminder, schedule };
    } else {
      const { id, secret } = await call('POST', '', { body });
      reminder = { id, secret, schedule };
    }
    await journal.setSettings({ reminder });
  }

  async function turnOff() {
    if (reminder) await call('DELETE', `/${reminder.id}`, { secret: reminder.secret }).catch((e) => { if (e.status !== 404) throw e; });
    const registration = await navigator.serviceWorker.ready;
    await (await registration.pushManager.getSubscription())?.unsubscribe();
    reminder = null;
    await journal.setSettings({ reminder: null });
  }

  function form() {
    const current = reminder?.schedule ?? { mode: 'random', count: 2, window: { start: '10:00', end: '21:00' } };
    const mode = h('select', { id: 'reminder-mode' },
      h('option', { value: 'random', selected: current.mode === 'random' }, 'At random moments'),
      h('option', { value: 'fixed', selected: current.mode === 'fixed' }, 'At fixed times'),
      h('option', { value: 'if_not_yet', selected: current.mode === 'if_not_yet' }, 'Only if I haven’t checked in today'));
    const count = h('select', { id: 'reminder-count' },
      Array.from({ length: MAX_PER_DAY }, (_, i) => h('option', { value: String(i + 1), selected: (current.count ?? 2) === i + 1 }, String(i + 1))));
    const start = h('input', { type: 'time', id: 'reminder-start', value: current.window?.start ?? '10:00' });
    const end = h('input', { type: 'time', id: 'reminder-end', value: current.window?.end ?? '21:00' });
    const times = h('input', { type: 'text', id: 'reminder-times', inputmode: 'numeric', value: (current.times ?? ['09:00', '20:00']).join(', '), 'aria-describedby': 'reminder-times-hint' });
    const time = h('input', { type: 'time', id: 'reminder-time', value: current.time ?? '20:00' });
    const days = WEEKDAYS.map((d) => h('button', {
      type: 'button', class: 'chip', 'aria-pressed': String(!(current.quiet_days ?? []).includes(d)), dataset: { day: d },
      onclick: (event) => event.currentTarget.setAttribute('aria-pressed', String(event.currentTarget.getAttribute('aria-pressed') !== 'true')),
    }, DAY_NAMES[d]));
    const random = h('div', { class: 'reminder-mode' },
      h('div', { class: 'field' }, h('label', { for: 'reminder-count' }, 'Moments a day'), count),
      h('div', { class: 'inline' },
        h('div', { class: 'field' }, h('label', { for: 'reminder-start' }, 'From'), start),
        h('div', { class: 'field' }, h('label', { for: 'reminder-end' }, 'Until'), end)),
      h('p', { class: 'hint' }, 'Never two within an hour.'));
    const fixed = h('div', { class: 'reminder-mode field' }, h('label', { for: 'reminder-times' }, 'Times'), times,
      h('p', { class: 'hint', id: 'reminder-times-hint' }, `Up to ${MAX_PER_DAY}, like 09:00, 20:00.`));
    const once = h('div', { class: 'reminder-mode field' }, h('label', { for: 'reminder-time' }, 'At'), time);
    const show = () => { random.hidden = mode.value !== 'random'; fixed.hidden = mode.value !== 'fixed'; once.hidden = mode.value !== 'if_not_yet'; };
    mode.addEventListener('change', show);
    show();
    const choices = () => ({
      mode: mode.value, count: Number(count.value), start: start.value, end: end.value,
      times: times.value.split(/[\s,;]+/).filter(Boolean), time: time.value,
      quietDays: days.filter((d) => d.getAttribute('aria-pressed') !== 'true').map((d) => d.dataset.day),
      pausedUntil: current.paused_until ?? null,
    });
    const saveButton = h('button', { type: 'button', class: 'button primary' }, reminder ? 'Save reminders' : 'Turn on reminders');
    saveButton.addEventListener('click', () => run(saveButton, () => save(buildSchedule(choices())), 'Reminders saved. They come gently, as you chose.'));
    return [
      h('div', { class: 'field' }, h('label', { for: 'reminder-mode' }, 'Remind me'), mode),
      random, fixed, once,
      h('div', { class: 'field' }, h('p', { class: 'small-label', id: 'reminder-days' }, 'On these days'),
        h('div', { class: 'chips', role: 'group', 'aria-labelledby': 'reminder-days' }, days)),
      h('div', { class: 'button-row' }, saveButton),
    ];
  }

  function actions() {
    const test = h('button', { type: 'button', class: 'button' }, 'Send a test reminder');
    test.addEventListener('click', () => run(test, () => call('POST', `/${reminder.id}/test`, { secret: reminder.secret }), 'A test reminder is on its way.'));
    const pause = h('button', { type: 'button', class: 'button' }, reminder.schedule.paused_until ? 'Resume now' : 'Pause for a week');
    pause.addEventListener('click', () => run(pause, () => {
      const { paused_until: _, ...rest } = reminder.schedule;
      return save(reminder.schedule.paused_until ? rest : { ...rest, paused_until: weekAfter(localToday()) });
    }));
    const off = h('button', { type: 'button', class: 'button danger' }, 'Turn off reminders');
    off.addEventListener('click', () => run(off, turnOff, 'Reminders are off.'));
    return h('div', { class: 'button-row' }, test, pause, off);
  }

  function render() {
    const blocked = whyNot();
    element.replaceChildren(...[
      h('h3', { id: 'reminders-title' }, 'Reminders'),
      h('p', {}, 'Being asked at a random moment is how noticing grows. Off unless you turn it on.'),
      reminder ? h('p', { class: 'reminder-now' }, describe(reminder.schedule)) : null,
      ...(blocked ? [h('p', { class: 'warning' }, blocked)] : [...form(), reminder ? actions() : null]),
      h('p', { class: 'hint' }, 'Thaw’s server keeps only where to send reminders, your time zone and this schedule: never a feeling, and nothing that links it to your journal or sync.'),
      error,
    ].filter(Boolean));
  }

  journal.setting('reminder', null).then((stored) => { reminder = stored; render(); }).catch(() => render());
  render();
  return { element, render };
}
