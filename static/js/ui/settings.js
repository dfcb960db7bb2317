// Settings: sync with another device (pair, join after asking, status, pairing link with QR and
// verification code, the devices list, start over with a new key, unpair, delete the synced
// copy) and a plain word on privacy.
import { encode } from '../../vendor/uqr/uqr.js';
import { BadPairingLink, keyFromLink, newVaultKey } from '../vault.js';
import { SyncError } from '../sync.js';
import { DeadLink } from '../autosync.js';
import { h, svg } from './dom.js';
import { confirmOnce } from './toast.js';

/** A QR code as SVG squares, drawn here from uqr's module matrix (no markup strings). */
export function qrCode(text, label) {
  const { data, size } = encode(text, { ecc: 'M', border: 2 });
  const cells = [];
  data.forEach((row, y) => row.forEach((dark, x) => {
    if (dark) cells.push(`M${x} ${y}h1v1h-1z`);
  }));
  return svg('svg', { viewBox: `0 0 ${size} ${size}`, class: 'qr', role: 'img', 'aria-label': label },
    svg('rect', { width: size, height: size, class: 'qr-light' }),
    svg('path', { d: cells.join(''), class: 'qr-dark' }));
}

const timeText = (iso) => new Date(iso).toLocaleString(undefined, {
  weekday: 'short', hour: '2-digit', minute: '2-digit', day: 'numeric', month: 'short',
});

function friendly(error) {
  if (error instanceof BadPairingLink || error instanceof SyncError || error instanceof DeadLink) return error.message;
  return `That didn’t work (${error.message}). Nothing was changed.`;
}

/** "482 913": six digits in two groups, read out digit by digit by screen readers. */
const spacedCode = (code) => `${code.slice(0, 3)} ${code.slice(3)}`;
const codeLabel = (code) => `Verification code ${code.split('').join(' ')}`;
const codeElement = (code) => h('span', { class: 'verify-code', role: 'img', 'aria-label': codeLabel(code) }, spacedCode(code));

/**
 * The join screen: what joining means, the code to compare, Join or Don't join. Resolves true
 * only on Join; Escape, closing or "Don't join" leave the device exactly as it was.
 */
export function askToJoin({ code, checkins, pairedNow }) {
  return new Promise((resolve) => {
    const no = h('button', { type: 'button', class: 'button' }, 'Don’t join');
    const yes = h('button', { type: 'button', class: 'button primary' }, 'Join');
    const count = checkins === 1 ? 'The 1 check-in on this device' : `The ${checkins.toLocaleString('en')} check-ins on this device`;
    const dialog = h('dialog', { class: 'dialog join-dialog', 'aria-labelledby': 'join-title', 'aria-describedby': 'join-what' },
      h('h2', { id: 'join-title' }, 'Join this pairing?'),
      h('p', { id: 'join-what' }, 'Everything you check in on this device will be shared with the devices that have '
        + 'this link. Only join a link you made yourself, on your own device.'),
      checkins ? h('p', {}, `${count} will be shared too.`) : null,
      pairedNow ? h('p', {}, 'This device will stop syncing with its current pairing.') : null,
      h('div', { class: 'join-code' },
        h('p', { class: 'small-label' }, 'Your other device shows this code beside its pairing link:'),
        codeElement(code),
        h('p', { class: 'hint' }, 'If the codes are not the same, or you did not make this link, don’t join.')),
      h('div', { class: 'dialog-actions' }, no, yes));
    const finish = (answer) => { dialog.close(); dialog.remove(); resolve(answer); };
    yes.addEventListener('click', () => finish(true));
    no.addEventListener('click', () => finish(false));
    dialog.addEventListener('cancel', (event) => { event.preventDefault(); finish(false); });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}

const dayText = (iso) => new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

/**
 * Settings' sync section. `unlock(reason)` is asked before showing the pairing link or starting
 * over ('show-link' | 'start-over'); it resolves false to stop (the app lock plugs in there).
 */
export function createSettings({ sync, toast, countCheckins = async () => 0, unlock = async () => true }) {
  const statusLine = h('p', { class: 'sync-status', role: 'status', 'aria-live': 'polite' });
  const lastLine = h('p', { class: 'hint' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const linkPanel = h('div', { class: 'pair-panel', hidden: true });

  const start = h('button', { type: 'button', class: 'button primary' }, 'Start syncing');
  const joinInput = h('input', { type: 'text', id: 'join-link', autocomplete: 'off', spellcheck: 'false', inputmode: 'url' });
  const join = h('button', { type: 'button', class: 'button' }, 'Join');
  const unpaired = h('div', { class: 'sync-unpaired' },
    h('p', {}, 'Your entries are encrypted on this device before they leave it. '
      + 'The server stores only scrambled data it cannot read.'),
    start,
    h('label', { for: 'join-link', class: 'small-label' }, 'Already syncing on another device? Paste its pairing link'),
    h('div', { class: 'inline' }, joinInput, join));

  const syncNow = h('button', { type: 'button', class: 'button' }, 'Sync now');
  const showLink = h('button', { type: 'button', class: 'button', 'aria-expanded': 'false' }, 'Show pairing link');
  const unpair = h('button', { type: 'button', class: 'button' }, 'Unpair this device');
  const erase = h('button', { type: 'button', class: 'button danger' }, 'Delete synced copy from the server');
  const restart = h('button', { type: 'button', class: 'button' }, 'Start over with a new key');
  const deviceList = h('ul', { class: 'device-list', 'aria-labelledby': 'devices-title' });
  const paired = h('div', { class: 'sync-paired' },
    h('p', {}, 'This device is paired: its check-ins sync, encrypted, with your other devices.'),
    lastLine,
    h('div', { class: 'button-row' }, syncNow, showLink),
    linkPanel,
    h('h4', { id: 'devices-title' }, 'Your devices'),
    deviceList,
    h('h4', {}, 'If a link got out'),
    h('p', { class: 'hint' }, 'Starting over makes a new key and moves your journal to a new synced copy. '
      + 'The old link stops working; open the new one on each of your devices.'),
    h('div', { class: 'button-row' }, restart),
    h('div', { class: 'button-row' }, unpair, erase));

  const element = h('div', { class: 'settings' },
    h('section', { class: 'settings-section', 'aria-labelledby': 'sync-title' },
      h('h3', { id: 'sync-title' }, 'Sync with another device'),
      statusLine, error, unpaired, paired),
    h('section', { class: 'settings-section', 'aria-labelledby': 'privacy-title' },
      h('h3', { id: 'privacy-title' }, 'Privacy'),
      h('p', {}, 'Thaw keeps your check-ins on this device. Nothing is sent anywhere unless you '
        + 'turn on sync, and then only encrypted. No trackers, no analytics.')));

  async function drawLink() {
    const link = sync.link();
    const code = await sync.code();
    if (!link || !code) return;
    const field = h('input', { type: 'text', id: 'pair-link', readonly: true, value: link });
    const copy = h('button', { type: 'button', class: 'button' }, 'Copy');
    copy.addEventListener('click', async () => {
      field.select();
      try {
        await navigator.clipboard.writeText(link);
        toast.show('Pairing link copied.');
      } catch {
        toast.show('Select the link and copy it by hand.');
      }
    });
    const share = navigator.share ? h('button', { type: 'button', class: 'button' }, 'Share…') : null;
    share?.addEventListener('click', () => navigator.share({ title: 'Thaw pairing link', url: link }).catch(() => {}));
    linkPanel.replaceChildren(
      h('p', {}, 'On your other device, scan this code or open the link. Anyone with this link can '
        + 'read and change your synced check-ins, so share it only with yourself.'),
      qrCode(link, 'QR code of the pairing link'),
      h('label', { for: 'pair-link', class: 'small-label' }, 'Pairing link'),
      h('div', { class: 'inline' }, field, copy, share),
      h('div', { class: 'join-code' },
        h('p', { class: 'small-label' }, 'Verification code'),
        codeElement(code),
        h('p', { class: 'hint' }, 'Your other device shows the same code before it joins.')));
    linkPanel.hidden = false;
    showLink.setAttribute('aria-expanded', 'true');
  }

  function hideLink() {
    linkPanel.hidden = true;
    linkPanel.replaceChildren();
    showLink.setAttribute('aria-expanded', 'false');
  }

  function drawDevices() {
    const rows = sync.devices().map((device) => deviceRow(device));
    deviceList.replaceChildren(...(rows.length ? rows : [h('li', { class: 'hint' }, 'Devices appear here after their first sync.')]));
  }

  function deviceRow(device) {
    const when = [`Joined ${dayText(device.joined)}`];
    when.push(device.lastSynced ? `last synced ${timeText(device.lastSynced)}` : 'not synced yet');
    const rename = h('button', { type: 'button', class: 'button', 'aria-label': `Rename ${device.name}` }, 'Rename');
    const row = h('li', { class: 'device', dataset: { id: device.id } },
      h('div', { class: 'device-text' },
        h('span', { class: 'device-name' }, device.name),
        device.thisDevice ? h('span', { class: 'device-this' }, ' · this device') : null,
        h('span', { class: 'hint device-when' }, `${when.join(' · ')}.`)),
      rename);
    rename.addEventListener('click', () => row.replaceWith(renameForm(device)));
    return row;
  }

  function renameForm(device) {
    const id = `device-name-${device.id}`;
    const input = h('input', { type: 'text', id, value: device.name, maxlength: 40, autocomplete: 'off' });
    const save = h('button', { type: 'submit', class: 'button primary' }, 'Save name');
    const cancel = h('button', { type: 'button', class: 'button' }, 'Cancel');
    const problem = h('p', { class: 'form-error', role: 'alert' });
    const form = h('form', {},
      h('label', { for: id, class: 'small-label' }, device.thisDevice ? 'Name for this device' : `New name for “${device.name}”`),
      input, problem, h('div', { class: 'button-row' }, cancel, save));
    const item = h('li', { class: 'device device-rename', dataset: { id: device.id } }, form);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await sync.rename(device.id, input.value);
        drawDevices();
        deviceList.querySelector(`li[data-id="${device.id}"] button`)?.focus();
      } catch (failure) {
        problem.textContent = failure.message;
      }
    });
    cancel.addEventListener('click', () => { drawDevices(); });
    setTimeout(() => { input.focus(); input.select(); }, 0);
    return item;
  }

  async function attempt(button, work) {
    error.textContent = '';
    button.disabled = true;
    try {
      await work();
    } catch (failure) {
      error.textContent = friendly(failure);
    } finally {
      button.disabled = false;
    }
  }

  /** Ask first, then join: the only way a link pairs this device. */
  async function offerJoin(link) {
    error.textContent = '';
    let found;
    try {
      found = await sync.inspect(link);
    } catch (failure) {
      error.textContent = friendly(failure);
      return false;
    }
    if (sync.isPairedWith(found.key)) { toast.show('This device is already paired with that link.'); return false; }
    const checkins = await countCheckins().catch(() => 0);
    const yes = await askToJoin({ code: found.code, checkins, pairedNow: sync.status().paired });
    if (!yes) { toast.show('Not joined. Nothing on this device changed.'); return false; }
    let joined = false;
    await attempt(join, async () => { await sync.pair(found.key); joined = true; });
    return joined;
  }

  /** Show the pairing link with its QR code and verification code (after unlock, if any). */
  async function showPairingLink() {
    if (!(await unlock('show-link'))) return;
    await drawLink();
  }

  /** Start over with a new key, after asking (and unlock, if any); the new link is shown. */
  async function startOver() {
    if (!(await unlock('start-over'))) return;
    const sure = await confirmOnce({
      title: 'Start over with a new key?',
      body: 'Thaw makes a new key and moves your whole journal to a new synced copy. The old copy is '
        + 'deleted from the server, so the old link stops working and your other devices stop syncing '
        + 'until you open the new link on them.',
      confirm: 'Start over', cancel: 'Keep the current key',
    });
    if (!sure) return;
    await attempt(restart, async () => {
      hideLink();
      statusLine.textContent = 'Starting over with a new key…';
      await sync.startOver();
      await drawLink();
      toast.show('Done. Open the new link on each of your devices.', { ms: 8000 });
    });
  }

  start.addEventListener('click', () => attempt(start, async () => {
    await sync.pair(newVaultKey());
    await drawLink();
  }));
  join.addEventListener('click', async () => {
    if (await offerJoin(joinInput.value)) joinInput.value = '';
  });
  syncNow.addEventListener('click', () => sync.syncNow());
  showLink.addEventListener('click', () => (linkPanel.hidden ? showPairingLink() : hideLink()));
  restart.addEventListener('click', () => startOver());
  unpair.addEventListener('click', async () => {
    const sure = await confirmOnce({
      title: 'Unpair this device?',
      body: 'It stops syncing. Your check-ins stay on this device.',
      confirm: 'Unpair', cancel: 'Keep syncing',
    });
    if (sure) await attempt(unpair, () => sync.unpair());
  });
  erase.addEventListener('click', async () => {
    const sure = await confirmOnce({
      title: 'Delete the synced copy?',
      body: 'The encrypted copy on the server is erased and every device stops syncing. '
        + 'Check-ins already on your devices stay there.',
      confirm: 'Delete synced copy', cancel: 'Keep it',
    });
    if (sure) {
      await attempt(erase, async () => {
        await sync.deleteRemote();
        toast.show('The synced copy was deleted. This device is no longer paired.');
      });
    }
  });

  let wasRunning = false;
  sync.onStatus((state) => {
    unpaired.hidden = state.paired;
    paired.hidden = !state.paired;
    if (!state.paired) hideLink();
    lastLine.textContent = state.lastSynced ? `Last synced ${timeText(state.lastSynced)}.` : 'Not synced yet.';
    let line = state.message;
    if (state.running && state.progress && state.progress.total > 0) {
      line = `Synced ${state.progress.received.toLocaleString('en')} of ${state.progress.total.toLocaleString('en')}`;
    } else if (state.running) {
      line = 'Syncing…';
    } else if (state.paired && !state.message) {
      line = state.lastSynced ? 'Up to date.' : '';
    }
    statusLine.textContent = line;
    statusLine.dataset.kind = state.kind ?? (state.running ? 'running' : 'ok');
    syncNow.disabled = state.running;
    // The list is redrawn when a sync ends (it may bring names from other devices), unless a
    // rename is being typed.
    if (state.paired && !state.running && (wasRunning || !deviceList.childElementCount)
      && !deviceList.querySelector('form')) drawDevices();
    wasRunning = state.running;
  });

  return {
    element,
    /** Opened from a pairing link: the join screen first; nothing changes unless Join is chosen. */
    joinFromLink: (link) => offerJoin(link),
    showPairingLink,
    startOver,
  };
}
