// Keeps a paired device in sync by itself: after a save, when the app opens, when the device
// comes back online and when the app becomes visible. Failures back off and retry; the UI only
// ever reads the status this module reports.
import { backoff, createVault, deleteVault, syncError, SyncError, syncOnce } from './sync.js';
import { deriveVault, keyFromLink, pairingLink } from './vault.js';

export function createAutoSync({ journal, fetchFn = (...a) => fetch(...a), base = '' }) {
  let vault = null; // {key, vaultId, token, encKey} while paired
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
    if (pairing) vault = { key: pairing.key, ...(await deriveVault(pairing.key)) };
    report({ paired: Boolean(vault), lastSynced: await journal.setting('lastSynced', null) });
  }

  async function forget(message) {
    clearTimeout(timer);
    vault = null;
    await journal.setSettings({ pairing: null, syncCursor: 0, lastSynced: null });
    await journal.resetOutbox(false);
    report({ paired: false, running: false, progress: null, lastSynced: null, message, kind: message ? 'deleted' : null });
  }

  async function run() {
    if (!vault) return;
    const current = vault;
    report({ running: true, progress: null });
    try {
      const result = await syncOnce({
        store: journal, vault: current, fetchFn, base, online: online(),
        onProgress: (progress) => report({ progress }),
      });
      failures = 0;
      const lastSynced = new Date().toISOString();
      await journal.setSettings({ lastSynced });
      report({ running: false, lastSynced, message: '', kind: null });
      for (const listener of mergeListeners) if (result.merged) listener(result);
    } catch (error) {
      report({ running: false });
      if (!(error instanceof SyncError)) {
        report({ message: `Sync stopped: ${error.message}. Your entries on this device are safe.`, kind: 'error' });
        return;
      }
      if (error.kind === 'deleted') {
        if (vault === current) await forget(error.message);
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

  const api = {
    onStatus(listener) { listeners.add(listener); listener({ ...status }); },
    onMerged(listener) { mergeListeners.add(listener); },
    status: () => ({ ...status }),
    link: () => (vault ? pairingLink(location.origin, vault.key) : null),

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

    /** Pair with a vault key (new or from a link); BadPairingLink or SyncError changes nothing. */
    async pair(linkOrKey) {
      const key = keyFromLink(linkOrKey);
      const derived = await deriveVault(key);
      if (!online()) throw syncError('offline');
      await createVault({ fetchFn, base, vault: derived, online: online() });
      vault = { key, ...derived };
      await journal.setSettings({ pairing: { key }, syncCursor: 0, lastSynced: null });
      await journal.resetOutbox(true);
      failures = 0;
      report({ paired: true, message: '', kind: null, lastSynced: null });
      api.syncNow();
    },

    isPairedWith: (key) => Boolean(vault && vault.key === key),
    unpair: () => forget(''),

    /** Erase the server's copy; every device unpairs (this one now, the others at next sync). */
    async deleteRemote() {
      if (!vault) return;
      try {
        await deleteVault({ fetchFn, base, vault, online: online() });
      } catch (error) {
        if (!(error instanceof SyncError) || error.kind !== 'deleted') throw error;
      }
      await forget('');
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
