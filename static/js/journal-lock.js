// The app lock's state on this device: whether the journal is sealed at rest, the data key while
// unlocked (memory only, dropped on lock by reloading the page), unlocking by passcode or by the
// device's own unlock (WebAuthn PRF), the inbox of check-ins saved while locked, and turning the
// lock on and off in crash-safe slices. The crypto is lock.js, loaded only once a lock exists.
import {
  CLEAR, getSetting, inboxRecords, putInbox, reformSettings, reformSlice, write,
} from './db.js';

/** Settings that stay clear with the lock on: the device's clock, the lock itself, the tries. */
export const CLEAR_SETTINGS = new Set(['node', 'clock', 'lock', 'lockTries']);
export const AUTO_LOCK_MINUTES = [0, 1, 5, 15];

export class Locked extends Error {
  constructor() { super('Thaw is locked.'); }
}

/** A refused unlock: `wait` ms before the next try is allowed (0 if none). */
export class UnlockRefused extends Error {
  constructor(message, wait = 0) { super(message); this.wait = wait; }
}

const isSealedValue = (value) => Boolean(value && typeof value === 'object' && value.sealed);

/** Records and settings sealed with the data key; reads accept clear ones too (mid-migration). */
function sealedCodec(L, key) {
  return {
    holds: (record) => !record.entry,
    entryRecord: async (entry) => {
      const envelope = await L.sealEntry(key, entry);
      return entry.deleted ? envelope : { ...envelope, t: Date.parse(entry.at) };
    },
    openRecord: async (record) => record.entry ?? L.openEntry(key, record),
    settingValue: async (name, value) => (CLEAR_SETTINGS.has(name) ? value : { sealed: await L.sealValue(key, name, value) }),
    openSetting: async (name, value) => (isSealedValue(value) && !CLEAR_SETTINGS.has(name) ? L.openValue(key, name, value.sealed) : value),
  };
}

/** While locked: clear things read as ever, anything sealed (or to be sealed) is refused. */
const LOCKED = Object.freeze({
  holds: () => false,
  entryRecord: async () => { throw new Locked(); },
  openRecord: async (record) => { if (record.entry) return record.entry; throw new Locked(); },
  settingValue: async (name, value) => { if (CLEAR_SETTINGS.has(name)) return value; throw new Locked(); },
  openSetting: async (name, value) => { if (isSealedValue(value)) throw new Locked(); return value; },
});
const CLEAR_CODEC = { ...CLEAR, holds: (record) => Boolean(record.entry) };

export async function createLock(db, { onUnlock = async () => {} } = {}) {
  let config = await getSetting(db, 'lock', null);
  let key = null;
  let L = config ? await import('./lock.js') : null;
  const unlocked = [];
  const crypto = async () => (L ??= await import('./lock.js'));
  // Other tabs of Thaw hear of every change (and of Lock now), so none keeps writing the old way.
  const channel = globalThis.BroadcastChannel ? new BroadcastChannel('thaw-lock') : null;
  const saveConfig = (next) => write(db, { settings: { lock: next } }).then(() => {
    config = next;
    channel?.postMessage('changed');
  });

  function codec() {
    if (!config) return CLEAR;
    if (!key) return LOCKED;
    const sealed = sealedCodec(L, key);
    // Turning the lock off writes clear from its first moment, so nothing sealed is left behind.
    return config.migrating === 'off' ? { ...CLEAR_CODEC, openRecord: sealed.openRecord, openSetting: sealed.openSetting } : sealed;
  }

  /** Every record and setting into the form the lock asks for, slice by slice (resumable). */
  async function migrate(onProgress = () => {}) {
    const direction = config.migrating;
    const from = sealedCodec(L, key);
    const to = direction === 'off' ? CLEAR_CODEC : from;
    for (let pass = 0; pass < 3; pass += 1) { // a second pass catches writes that raced the first
      let after = null;
      let changed = 0;
      let seen = 0;
      do {
        const slice = await reformSlice(db, { after, limit: 200, from, to });
        after = slice.last;
        changed += slice.changed;
        seen += slice.seen;
        onProgress(seen);
      } while (after !== null);
      if (!changed && pass) break;
    }
    await reformSettings(db, { from, to });
    if (direction === 'off') {
      await saveConfig(null);
      key = null;
    } else {
      await saveConfig({ ...config, migrating: null });
    }
  }

  async function becomeUnlocked(dataKey) {
    key = dataKey;
    await onUnlock();
    if (config.migrating) await migrate();
    for (const run of unlocked) await run();
  }

  /** Count a wrong try (the wait survives a reload) and refuse with a calm message. */
  async function refuse() {
    const next = L.nextLockout(await getSetting(db, 'lockTries', null), Date.now(), false);
    await write(db, { settings: { lockTries: next } });
    const wait = L.waitLeft(next, Date.now());
    throw new UnlockRefused(wait
      ? 'That passcode is not the one set for Thaw. Please wait a moment before trying again.'
      : 'That passcode is not the one set for Thaw. Try again.', wait);
  }

  /** The data key from a passcode, or UnlockRefused (wrong, or still waiting after wrong tries). */
  async function keyFromPasscode(passcode) {
    await crypto();
    const tries = await getSetting(db, 'lockTries', null);
    const now = Date.now();
    const wait = L.waitLeft(tries, now);
    // A clock moved back never makes the wait longer than the longest step.
    if (tries && tries.until - now > wait) await write(db, { settings: { lockTries: { ...tries, until: now + wait } } });
    if (wait) throw new UnlockRefused('Please wait a moment before trying again.', wait);
    let dataKey;
    try {
      dataKey = await L.unwrapDataKey(await L.passcodeKey(passcode, config.salt, config.iterations), config.passcode, 'passcode');
    } catch (error) {
      if (error instanceof L.WrongPasscode) await refuse();
      throw error;
    }
    if (tries?.failures) await write(db, { settings: { lockTries: null } });
    return dataKey;
  }

  return {
    on: () => Boolean(config),
    locked: () => Boolean(config) && !key,
    codec,
    state: () => ({
      on: Boolean(config),
      locked: Boolean(config) && !key,
      autoLock: config?.autoLock ?? 5,
      device: config?.device ? { id: config.device.id, salt: config.device.salt } : null,
      kind: config?.kind ?? null,
      migrating: config?.migrating ?? null,
    }),
    /** Milliseconds before another try is allowed (a wait after 5 wrong tries). */
    async waitLeft() {
      if (!config) return 0;
      return (await crypto()).waitLeft(await getSetting(db, 'lockTries', null), Date.now());
    },
    /** `run` is called when another tab changed the lock or locked Thaw; `announce` tells them. */
    onChangedElsewhere(run) { if (channel) channel.onmessage = () => run(); },
    announce() { channel?.postMessage('locked'); },
    /** Run after every unlock (check-ins saved while locked join the journal). */
    afterUnlock(run) { unlocked.push(run); },
    async unlockWithPasscode(passcode) {
      if (!this.locked()) return;
      await becomeUnlocked(await keyFromPasscode(passcode));
    },
    /** `prfOutput`: the 32 bytes WebAuthn's PRF extension gave for this device's credential. */
    async unlockWithDevice(prfOutput) {
      if (!this.locked() || !config.device) return;
      await crypto();
      let dataKey;
      try {
        dataKey = await L.unwrapDataKey(await L.deviceKey(prfOutput), config.device.wrapped, 'device');
      } catch {
        throw new UnlockRefused('This device’s screen lock did not open Thaw. Use your passcode.');
      }
      await becomeUnlocked(dataKey);
    },
    /** A check-in saved while locked, sealed to the inbox's public key: readable only after unlock. */
    async keepSealed(entry, settings) {
      await putInbox(db, await L.sealForInbox(config.inbox.publicKey, entry), settings);
    },
    /**
     * The inbox's check-ins: sealed ones (saved while locked; opening needs the data key) and
     * clear ones (a "Numb" answered from a reminder while the lock was off). One that cannot be
     * opened stays there.
     */
    async openSealed() {
      const records = await inboxRecords(db);
      const sealed = records.filter((r) => !r.entry);
      const privateKey = sealed.length && key ? await L.openInboxKey(key, config.inbox.privateKey) : null;
      const opened = await Promise.all(records.map((r) => (r.entry ? r.entry
        : privateKey ? L.openFromInbox(privateKey, r).catch(() => null) : null)));
      return opened.filter(Boolean);
    },
    /** Turn the lock on: a new data key wrapped by the passcode, then every record sealed. */
    async turnOn({ passcode, autoLock = 5, onProgress }) {
      if (config) throw new Error('The lock is already on.');
      await crypto();
      const check = L.checkPasscode(passcode);
      if (!check.ok) throw new UnlockRefused(check.message);
      const dataKey = await L.newDataKey();
      const salt = L.newSalt();
      const wrapped = await L.wrapDataKey(await L.passcodeKey(passcode, salt), dataKey, 'passcode');
      const inbox = await L.newInbox(dataKey);
      key = dataKey;
      await saveConfig({
        v: 1, salt, iterations: L.PBKDF2_ITERATIONS, passcode: wrapped, kind: /^\d+$/.test(passcode) ? 'digits' : 'phrase',
        inbox, device: null, autoLock, migrating: 'on',
      });
      await migrate(onProgress);
    },
    /** New passcode: the same data key wrapped again (fast at any journal size). */
    async changePasscode(current, next) {
      await keyFromPasscode(current);
      const check = L.checkPasscode(next);
      if (!check.ok) throw new UnlockRefused(check.message);
      const salt = L.newSalt();
      const wrapped = await L.wrapDataKey(await L.passcodeKey(next, salt), key, 'passcode');
      await saveConfig({ ...config, salt, iterations: L.PBKDF2_ITERATIONS, passcode: wrapped, kind: /^\d+$/.test(next) ? 'digits' : 'phrase' });
    },
    /** Turn the lock off (asks the passcode again): every record opened back to clear. */
    async turnOff(current, { onProgress } = {}) {
      await keyFromPasscode(current);
      await saveConfig({ ...config, migrating: 'off' });
      await migrate(onProgress);
    },
    async setAutoLock(minutes) {
      if (!AUTO_LOCK_MINUTES.includes(minutes)) throw new Error('Not an auto-lock time.');
      await saveConfig({ ...config, autoLock: minutes });
    },
    /** Also unlock with the device's screen lock: the data key wrapped by the PRF output too. */
    async addDevice({ id, salt, prfOutput }) {
      const wrapped = await L.wrapDataKey(await L.deviceKey(prfOutput), key, 'device');
      await saveConfig({ ...config, device: { id, salt, wrapped } });
    },
    async removeDevice() {
      await saveConfig({ ...config, device: null });
    },
  };
}
