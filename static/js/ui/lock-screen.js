// The lock screen: nothing of the journal, only "Thaw is locked", the ways to unlock, "Check in
// anyway" (the check-in still works; what is saved is sealed until the next unlock) and, for a
// forgotten passcode, erasing this device. Wrong tries wait 30 s, 1, 2, 5 minutes (kept on disk).
import { h } from './dom.js';
import { confirmOnce } from './toast.js';

const seconds = (ms) => Math.ceil(ms / 1000);
function waitText(ms) {
  const s = seconds(ms);
  return s < 60 ? `${s} ${s === 1 ? 'second' : 'seconds'}` : `${Math.ceil(s / 60)} ${Math.ceil(s / 60) === 1 ? 'minute' : 'minutes'}`;
}

export function createLockScreen({ journal, onUnlocked }) {
  const lock = journal.lock;
  const state = lock.state();
  const passcode = h('input', {
    type: 'password', id: 'unlock-passcode', autocomplete: 'current-password', required: true,
    inputmode: state.kind === 'digits' ? 'numeric' : null, enterkeyhint: 'go', 'aria-describedby': 'unlock-message',
  });
  const unlock = h('button', { type: 'submit', class: 'button primary' }, 'Unlock');
  const message = h('p', { id: 'unlock-message', class: 'form-error', role: 'alert' });
  const device = h('button', { type: 'button', class: 'button', hidden: !state.device }, 'Unlock with this device’s screen lock');
  const erase = h('button', { type: 'button', class: 'button danger' }, 'Erase Thaw on this device and start over');
  let timer = null;

  const form = h('form', { class: 'unlock-form', novalidate: true },
    h('label', { for: 'unlock-passcode' }, 'Passcode'),
    h('div', { class: 'inline' }, passcode, unlock),
    message);

  const element = h('div', { class: 'lock-screen' },
    h('div', { class: 'card lock-card' },
      h('p', {}, 'Your journal is encrypted on this device. Unlock to see it.'),
      form,
      device),
    h('div', { class: 'card lock-card' },
      h('p', {}, h('a', { class: 'button', href: '#checkin' }, 'Check in anyway')),
      h('p', { class: 'hint' }, 'A check-in saved while Thaw is locked is sealed: it joins your journal, and syncs, when you unlock.')),
    h('details', { class: 'forgot' },
      h('summary', {}, 'Forgot your passcode?'),
      h('p', {}, 'No one can recover it, not even Thaw: the passcode is the key to the encryption.'),
      h('p', {}, 'If this device syncs with another one, erase it here, then join again from that device '
        + '(Settings → Sync with another device → Show pairing link): your journal comes back.'),
      h('p', {}, 'If it does not sync, erasing removes every check-in on this device for good.'),
      erase));

  /** Hold the Unlock button while a wait after wrong tries runs, counting down calmly. */
  async function holdIfWaiting() {
    clearInterval(timer);
    const tick = async () => {
      const left = await lock.waitLeft();
      unlock.disabled = passcode.disabled = left > 0;
      if (left > 0) message.textContent = `Too many tries. You can try again in ${waitText(left)}.`;
      else { clearInterval(timer); if (message.dataset.waiting) message.textContent = ''; }
      message.dataset.waiting = left > 0 ? 'yes' : '';
    };
    await tick();
    if (unlock.disabled) timer = setInterval(tick, 1000);
  }

  async function attempt(run) {
    unlock.disabled = device.disabled = true;
    message.dataset.waiting = '';
    message.textContent = 'Unlocking…';
    try {
      await run();
      clearInterval(timer);
      message.textContent = '';
      passcode.value = '';
      onUnlocked();
    } catch (error) {
      message.textContent = error.message;
      if (error.wait) await holdIfWaiting();
      passcode.select();
    } finally {
      device.disabled = false;
      if (!message.dataset.waiting) unlock.disabled = false;
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!passcode.value) { message.textContent = 'Type your passcode first.'; passcode.focus(); return; }
    attempt(() => lock.unlockWithPasscode(passcode.value));
  });
  device.addEventListener('click', () => attempt(async () => {
    const { devicePrf } = await import('./device-unlock.js');
    let output = null;
    try { output = await devicePrf(state.device); } catch { output = null; }
    if (!output) throw new Error('The screen lock was not used. You can try again, or use your passcode.');
    await lock.unlockWithDevice(output);
  }));
  erase.addEventListener('click', async () => {
    const first = await confirmOnce({
      title: 'Erase Thaw on this device?',
      body: 'Every check-in, setting and pairing on this device will be deleted. This cannot be undone.',
      confirm: 'Erase',
    });
    if (!first) return;
    const second = await confirmOnce({
      title: 'Are you sure?',
      body: 'Without your passcode, nothing erased here can be brought back, except by joining again from another device that syncs with this one.',
      confirm: 'Yes, erase everything',
    });
    if (!second) return;
    await journal.destroy();
    sessionStorage.setItem('thaw-erased', '1'); // the next page says it was done
    history.replaceState(null, '', `${location.pathname}#checkin`);
    location.reload();
  });

  holdIfWaiting();
  return {
    element,
    focus() { if (!passcode.disabled) passcode.focus(); },
  };
}
