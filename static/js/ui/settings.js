// Settings: sync with another device (pair, join, status, pairing link and QR code, unpair,
// delete the synced copy) and a plain word on privacy.
import { encode } from '../../vendor/uqr/uqr.js';
import { BadPairingLink, keyFromLink, newVaultKey } from '../vault.js';
import { SyncError } from '../sync.js';
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
  if (error instanceof BadPairingLink || error instanceof SyncError) return error.message;
  return `That didn’t work (${error.message}). Nothing was changed.`;
}

export function createSettings({ sync, toast }) {
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
  const showLink = h('button', { type: 'button', class: 'button' }, 'Show pairing link');
  const unpair = h('button', { type: 'button', class: 'button' }, 'Unpair this device');
  const erase = h('button', { type: 'button', class: 'button danger' }, 'Delete synced copy from the server');
  const paired = h('div', { class: 'sync-paired' },
    h('p', {}, 'This device is paired: its check-ins sync, encrypted, with your other devices.'),
    lastLine,
    h('div', { class: 'button-row' }, syncNow, showLink),
    linkPanel,
    h('div', { class: 'button-row' }, unpair, erase));

  const element = h('div', { class: 'settings' },
    h('section', { class: 'settings-section', 'aria-labelledby': 'sync-title' },
      h('h3', { id: 'sync-title' }, 'Sync with another device'),
      statusLine, error, unpaired, paired),
    h('section', { class: 'settings-section', 'aria-labelledby': 'privacy-title' },
      h('h3', { id: 'privacy-title' }, 'Privacy'),
      h('p', {}, 'Thaw keeps your check-ins on this device. Nothing is sent anywhere unless you '
        + 'turn on sync, and then only encrypted. No trackers, no analytics.')));

  function drawLink() {
    const link = sync.link();
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
      h('div', { class: 'inline' }, field, copy, share));
    linkPanel.hidden = false;
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

  start.addEventListener('click', () => attempt(start, async () => {
    await sync.pair(newVaultKey());
    drawLink();
  }));
  join.addEventListener('click', () => attempt(join, async () => {
    await sync.pair(joinInput.value);
    joinInput.value = '';
  }));
  syncNow.addEventListener('click', () => sync.syncNow());
  showLink.addEventListener('click', () => (linkPanel.hidden ? drawLink() : (linkPanel.hidden = true)));
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

  sync.onStatus((state) => {
    unpaired.hidden = state.paired;
    paired.hidden = !state.paired;
    if (!state.paired) linkPanel.hidden = true;
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
  });

  return {
    element,
    /** Opened from a pairing link: pair (after asking, if already paired elsewhere). */
    async joinFromLink(link) {
      error.textContent = '';
      let key;
      try {
        key = keyFromLink(link);
      } catch (failure) {
        error.textContent = friendly(failure);
        return;
      }
      if (sync.isPairedWith(key)) { toast.show('This device is already paired with that link.'); return; }
      if (sync.status().paired) {
        const sure = await confirmOnce({
          title: 'Switch to the new pairing?',
          body: 'This device will stop syncing with its current pairing and join the new one.',
          confirm: 'Switch', cancel: 'Keep current',
        });
        if (!sure) return;
      }
      await attempt(join, () => sync.pair(key));
    },
  };
}
