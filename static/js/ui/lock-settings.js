// Settings → Lock Thaw: choose a passcode (and the device's own unlock where the browser can),
// auto-lock, Lock now, change the passcode, turn the lock off. Turning it on or off re-stores
// every check-in in slices, with progress; a crash midway is finished after the next unlock.
import { AUTO_LOCK_MINUTES } from '../journal-lock.js';
import { h } from './dom.js';

const AUTO_LOCK_LABELS = { 0: 'Immediately', 1: 'After 1 minute', 5: 'After 5 minutes', 15: 'After 15 minutes' };

function passwordField(id, label, autocomplete) {
  const input = h('input', { type: 'password', id, autocomplete, required: true });
  return { input, element: h('div', { class: 'field' }, h('label', { for: id }, label), input) };
}

function autoLockSelect(value, onChange) {
  const select = h('select', { id: 'auto-lock' },
    AUTO_LOCK_MINUTES.map((m) => h('option', { value: String(m), selected: m === value }, AUTO_LOCK_LABELS[m])));
  select.addEventListener('change', () => onChange(Number(select.value)));
  return h('div', { class: 'field' },
    h('label', { for: 'auto-lock' }, 'Lock when Thaw has been in the background'), select);
}

export function createLockSettings({ journal, toast, lockNow, onChange = () => {} }) {
  const lock = journal.lock;
  const element = h('section', { class: 'settings-section', 'aria-labelledby': 'lock-settings-title' });
  const status = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  let busy = false;

  const progress = (total) => (seen) => {
    status.textContent = `Working on your check-ins… ${Math.min(seen, total).toLocaleString('en')} of ${total.toLocaleString('en')}`;
  };

  async function run(button, work, done) {
    if (busy) return;
    busy = true;
    button.disabled = true;
    error.textContent = '';
    try {
      await work();
      status.textContent = '';
      if (done) toast.show(done);
      render();
      onChange();
    } catch (failure) {
      error.textContent = failure.message;
      status.textContent = '';
    } finally {
      busy = false;
      button.disabled = false;
    }
  }

  function offView() {
    const first = passwordField('lock-new', 'Choose a passcode', 'new-password');
    const again = passwordField('lock-again', 'Type it again', 'new-password');
    first.input.setAttribute('aria-describedby', 'lock-rules');
    let minutes = 5;
    const turnOn = h('button', { type: 'button', class: 'button primary' }, 'Turn on lock');
    turnOn.addEventListener('click', () => {
      if (first.input.value !== again.input.value) { error.textContent = 'The two passcodes are not the same. Type them again.'; return; }
      run(turnOn, async () => {
        status.textContent = 'Protecting the key (this takes a moment)…';
        const total = await journal.count();
        await lock.turnOn({ passcode: first.input.value, autoLock: minutes, onProgress: progress(total) });
      }, 'The lock is on. Your journal is encrypted on this device.');
    });
    return [
      h('p', {}, 'A passcode keeps your journal private when someone else holds this phone. Your check-ins are then encrypted on this device, and you can still check in while Thaw is locked.'),
      h('p', { class: 'warning' }, h('strong', {}, 'No one can recover a forgotten passcode. '),
        'If this device syncs, you can erase it and join again from your other device; otherwise its journal would be lost.'),
      first.element,
      again.element,
      h('p', { class: 'hint', id: 'lock-rules' }, 'At least 6 digits, or a passphrase of at least 8 characters.'),
      autoLockSelect(minutes, (m) => { minutes = m; }),
      h('div', { class: 'button-row' }, turnOn),
    ];
  }

  function onView() {
    const state = lock.state();
    const now = h('button', { type: 'button', class: 'button' }, 'Lock now');
    now.addEventListener('click', () => lockNow());
    const deviceBox = h('div', { class: 'device-unlock' });
    if (state.device) {
      const remove = h('button', { type: 'button', class: 'button quiet' }, 'Stop using the screen lock');
      remove.addEventListener('click', () => run(remove, () => lock.removeDevice(), 'Only your passcode unlocks Thaw now.'));
      deviceBox.append(h('p', {}, 'This device’s screen lock also unlocks Thaw.'), remove);
    } else {
      import('./device-unlock.js').then(async ({ deviceUnlockAvailable, createDeviceCredential }) => {
        if (!(await deviceUnlockAvailable())) return;
        const add = h('button', { type: 'button', class: 'button' }, 'Also unlock with this device’s screen lock');
        add.addEventListener('click', () => run(add, async () => {
          await lock.addDevice(await createDeviceCredential());
        }, 'This device’s screen lock now unlocks Thaw too.'));
        deviceBox.append(add, h('p', { class: 'hint' }, 'Fingerprint, face or the device PIN. Your passcode keeps working.'));
      }).catch(() => {});
    }
    const current = passwordField('lock-current', 'Current passcode', 'current-password');
    const next = passwordField('lock-next', 'New passcode', 'new-password');
    const again = passwordField('lock-next-again', 'Type the new one again', 'new-password');
    const change = h('button', { type: 'button', class: 'button' }, 'Change passcode');
    change.addEventListener('click', () => {
      if (next.input.value !== again.input.value) { error.textContent = 'The two new passcodes are not the same. Type them again.'; return; }
      run(change, () => lock.changePasscode(current.input.value, next.input.value), 'Passcode changed.');
    });
    const offCurrent = passwordField('lock-off-current', 'Current passcode', 'current-password');
    const off = h('button', { type: 'button', class: 'button danger' }, 'Turn lock off');
    off.addEventListener('click', () => run(off, async () => {
      const total = await journal.count();
      await lock.turnOff(offCurrent.input.value, { onProgress: progress(total) });
    }, 'The lock is off. Your journal is no longer encrypted on this device.'));
    return [
      h('p', {}, 'The lock is on: Thaw asks for your passcode when it opens and after the time below in the background. Your journal is encrypted on this device.'),
      autoLockSelect(state.autoLock, (m) => lock.setAutoLock(m).then(onChange)),
      h('div', { class: 'button-row' }, now),
      deviceBox,
      h('details', { class: 'lock-more' }, h('summary', {}, 'Change passcode'),
        current.element, next.element, again.element,
        h('p', { class: 'hint' }, 'At least 6 digits, or a passphrase of at least 8 characters.'),
        h('div', { class: 'button-row' }, change)),
      h('details', { class: 'lock-more' }, h('summary', {}, 'Turn lock off'),
        h('p', {}, 'Your journal will be stored without encryption on this device again.'),
        offCurrent.element, h('div', { class: 'button-row' }, off)),
    ];
  }

  function render() {
    element.replaceChildren(h('h3', { id: 'lock-settings-title' }, 'Lock Thaw'), ...(lock.on() ? onView() : offView()), error, status);
  }
  render();
  return { element, render };
}
