// Keeps a paired device in sync by itself: after a save, when the app opens, when the device
// comes back online and when the app becomes visible. Failures back off and retry; the UI only
// ever reads the status this module reports. Only a deletion notice that verifies under this
// device's own key unpairs it: any other failure keeps the key and keeps trying.
import { cleanName, newDevice } from './devices.js';
import { backoff, createVault, deleteVault, syncError, SyncError, syncOnce } from './sync.js';
import {
  deriveVault, keyFromLink, makeNotice, newVaultKey, pairingLink, verificationCode, verifyNotice,
} from './vault.js';

const STAMP_EVERY = 15 * 60_000; // a device's "last synced" in the shared list moves at most this often

/** A link that was deleted or replaced: said plainly, and nothing on this device changes. */
export class DeadLink extends Error {}

export function createAutoSync({ journal, fetchFn = (...a) => fetch(...a), base = '', deviceName = () => 'Device' }) {
  let vault = null; // {key, deviceId, vaultId, token, encKey, noticeKey} while paired
  let running = null;
  let again = false;
  let failures = 0;
  let timer = null;
  const listeners = new Set();
  const status = { paired: false, running: false, lastSynced: null, progress: null, message: '', kind: null };

  const online = () => navigator.onLine !== false;
  const report = (change) => {
    Object.assign(status, change);
    for (const listener of listeners) listener({ ...status });
  };

  async function load() {
    const pairing = await journal.setting('pairing', null);
    if (pairing) {
      // A device paired before the devices list existed gets its place in the list now.
      const deviceId = pairing.deviceId ?? globalThis.crypto.randomUUID();
      if (!pairing.deviceId) await journal.setSettings({ pairing: { ...pairing, deviceId } });
      vault = { key: pairing.key, deviceId, ...(await deriveVault(pairing.key)) };
    }
    report({ paired: Boolean(vault), lastSynced: await journal.setting('lastSynced', null) });
  }

  async function forget(message) {
    clearTimeout(timer);
    vault = null;
    await journal.setSettings({ pairing: null, syncCursor: 0, lastSynced: null });
    await journal.resetOutbox(false);
    await journal.clearDevices();
    report({ paired: false, running: false, progress: null, lastSynced: null, message, kind: message ? 'deleted' : null });
  }

  /** True when a 410's notice was made with this vault's key: the pairing really was deleted. */
  const verified = (current, error) => error instanceof SyncError && error.kind === 'gone'
    && verifyNotice(current.noticeKey, current.vaultId, error.notice);

  /** This device's record in the shared list, stamped with the time of this sync now and then. */
  async function stampDevice(current) {
    const mine = journal.devices().find((d) => d.id === current.deviceId);
    const now = new Date();
    if (mine && mine.lastSynced && now - Date.parse(mine.lastSynced) < STAMP_EVERY) return;
    const record = mine ?? newDevice({ id: current.deviceId, name: deviceName(), hlc: '0000000000000-0000-0000000000000000', now });
    await journal.saveDevice({ ...record, lastSynced: now.toISOString() }, { quiet: true, rename: !mine });
  }

  /** Old vaults left behind by "start over": deleted (with their notice) as soon as possible. */
  async function retireOld() {
    const retiring = await journal.setting('retiring', []);
    if (!retiring.length) return;
    const left = [];
    for (const key of retiring) {
      try {
        await deleteWithNotice(await deriveVault(key));
      } catch (error) {
        if (!(error instanceof SyncError) || error.kind === 'offline' || error.kind === 'unreachable' || error.kind === 'busy') left.push(key);
      }
    }
    await journal.setSettings({ retiring: left });
  }

  async function deleteWithNotice(target) {
    const notice = await makeNotice(target.noticeKey, target.vaultId);
    try {
      await deleteVault({ fetchFn, base, vault: target, online: online(), notice });
    } catch (error) {
      if (await verified(target, error)) return; // already deleted, with this key's notice
      if (!(error instanceof SyncError) || error.kind !== 'lost') throw error;
      // Gone without a notice (erased by hand or by an older Thaw): make it again, then delete
      // it with the notice, so every other device holding the key learns the pairing ended.
      await createVault({ fetchFn, base, vault: target, online: online() });
      await deleteVault({ fetchFn, base, vault: target, online: online(), notice });
    }
  }

  async function run() {
    if (!vault) return;
    const current = vault;
    report({ running: true, progress: null });
    try {
      await stampDevice(current).catch(() => {}); // the list's time stamp never stops a sync
      const result = await syncOnce({
        store: journal, vault: current, fetchFn, base, online: online(),
        onProgress: (progress) => report({ progress }),
      });
      failures = 0;
      const lastSynced = new Date().toISOString();
      await journal.setSettings({ lastSynced });
      report({ running: false, lastSynced, message: '', kind: null });
      for (const listener of mergeListeners) if (result.merged || result.future) listener(result);
      retireOld().catch(() => {});
    } catch (error) {
      report({ running: false });
      if (!(error instanceof SyncError)) {
        report({ message: `Sync stopped: ${error.message}. Your entries on this device are safe.`, kind: 'error' });
        return;
      }
      if (await verified(current, error)) {
        if (vault === current) await forget(syncError('deleted').message);
        return;
      }
      failures += 1;
      report({ message: error.message, kind: error.kind });
      schedule(error.retryAfter ? error.retryAfter * 1000 : backoff(failures));
    }
  }

  const mergeListeners = new Set();

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(() => api.syncNow(), ms);
  }

  /** Make the vault on the server; a link whose vault was deleted with a notice is dead. */
  async function ensureVault(derived) {
    try {
      await createVault({ fetchFn, base, vault: derived, online: online() });
    } catch (error) {
      if (await verified(derived, error)) {
        throw new DeadLink('This pairing link no longer works: it was deleted or replaced by a new key. '
          + 'Nothing was changed here. Make a new link on your own device.');
      }
      throw error;
    }
  }

  /** Switch this device to `key`: nothing is queued before the vault exists on the server. */
  async function adopt(key, derived, name) {
    const deviceId = globalThis.crypto.randomUUID();
    vault = { key, deviceId, ...derived };
    await journal.setSettings({ pairing: { key, deviceId }, syncCursor: 0, lastSynced: null });
    await journal.clearDevices();
    await journal.resetOutbox(true);
    await journal.saveDevice(newDevice({ id: deviceId, name, hlc: '0000000000000-0000-0000000000000000' }), { quiet: true, rename: true });
    failures = 0;
    report({ paired: true, message: '', kind: null, lastSynced: null });
  }

  const api = {
    onStatus(listener) { listeners.add(listener); listener({ ...status }); },
    onMerged(listener) { mergeListeners.add(listener); },
    status: () => ({ ...status }),
    link: () => (vault ? pairingLink(location.origin, vault.key) : null),
    /** The six-digit code of the current pairing (shown beside its link). */
    code: () => (vault ? verificationCode(vault.key) : Promise.resolve(null)),
    /** What a link would join, without changing anything: {key, code}; BadPairingLink if none. */
    async inspect(link) {
      const key = keyFromLink(link);
      return { key, code: await verificationCode(key) };
    },

    /** Sync now; if a sync is running, run once more after it. Never throws. */
    syncNow() {
      if (!vault) return Promise.resolve();
      if (running) { again = true; return running; }
      clearTimeout(timer);
      running = run().finally(() => {
        running = null;
        if (again) { again = false; api.syncNow(); }
      });
      return running;
    },

    /**
     * Pair with a vault key (new, or from a link the person chose to join); BadPairingLink,
     * DeadLink or SyncError change nothing. Only now is anything queued or stored.
     */
    async pair(linkOrKey, { name = deviceName() } = {}) {
      const key = keyFromLink(linkOrKey);
      const derived = await deriveVault(key);
      if (!online()) throw syncError('offline');
      await ensureVault(derived);
      await adopt(key, derived, name);
      api.syncNow();
    },

    isPairedWith: (key) => Boolean(vault && vault.key === key),
    unpair: () => forget(''),

    /** Erase the server's copy, leaving a notice: every device unpairs (this one now, the rest at next sync). */
    async deleteRemote() {
      if (!vault) return;
      await deleteWithNotice(vault);
      await forget('');
    },

    /**
     * Start over with a new key: a new vault gets the whole journal, the old vault is deleted
     * with its notice (now, or at the next chance), and devices holding only the old link stop.
     */
    async startOver() {
      if (!vault) return;
      if (!online()) throw syncError('offline');
      const old = vault;
      await running;
      await api.syncNow(); // bring in what the other devices sent before the old vault goes
      if (vault !== old) return; // the pairing ended meanwhile
      const mine = journal.devices().find((d) => d.id === old.deviceId);
      const key = newVaultKey();
      const derived = await deriveVault(key);
      await createVault({ fetchFn, base, vault: derived, online: online() });
      await journal.setSettings({ retiring: [...(await journal.setting('retiring', [])), old.key] });
      await adopt(key, derived, mine?.name ?? deviceName());
      await retireOld();
      await api.syncNow();
    },

    /** The devices sharing this pairing, this one marked, in the order they joined. */
    devices() {
      const mine = vault?.deviceId;
      return journal.devices()
        .map((d) => ({ ...d, thisDevice: d.id === mine, lastSynced: d.id === mine ? status.lastSynced ?? d.lastSynced : d.lastSynced }))
        .sort((a, b) => (a.joined < b.joined ? -1 : a.joined > b.joined ? 1 : 0));
    },
    /** Give a device in the list a new name (any device may rename any other). */
    async rename(id, name) {
      const record = journal.devices().find((d) => d.id === id);
      if (!record) throw new Error('That device is no longer in the list.');
      const clean = cleanName(name);
      if (!clean) throw new Error('Give the device a name, such as “Phone” or “Laptop”.');
      await journal.saveDevice({ ...record, name: clean }, { rename: true });
    },

    async start() {
      await load();
      journal.onLocalChange(() => api.syncNow());
      window.addEventListener('online', () => api.syncNow());
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') api.syncNow();
      });
      api.syncNow();
    },
  };
  return api;
}
