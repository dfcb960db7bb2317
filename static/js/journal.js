// The person's journal on this device: check-ins saved through validation, stamped by the
// device's clock, with the words and tags they added themselves remembered for next time.
import {
  allEntries, countLive, destroy, getEntries, getEntry, getSetting, mergeIn, openDb, outboxEntries, pageEntries, resetOutbox, write,
} from './db.js';
import { createLock } from './journal-lock.js';
import { createEntry, tombstone, validate } from './entry.js';
import { CORES, TAGS } from './feelings.js';
import { createClock, isFarFuture, newNodeId } from './hlc.js';

// Device records and the merge rule are needed only when another device's changes (or an import)
// arrive: loaded then, so the first screen does not download them.
const devicesModule = () => import('./devices.js');
const mergeModule = () => import('./merge.js');

const BUILT_IN_WORDS = new Set(CORES.flatMap((c) => c.words.map(([w]) => w)));
const BUILT_IN_TAGS = new Set(TAGS);
// Check-ins imported per transaction. db.mergeIn spreads a transaction's work over short tasks,
// so this bounds what is held at once (sealed records, with the lock on), how long other writes
// wait, and how often the progress moves; fewer transactions mean fewer waits for a commit.
const IMPORT_SLICE = 2000;

export class InvalidEntry extends Error {
  constructor(problems) {
    super(problems.map((p) => p.message).join(' '));
    this.problems = problems;
  }
}

export async function openJournal(name) {
  const db = await openDb(name);
  let node = await getSetting(db, 'node');
  if (!node) {
    node = newNodeId();
    await write(db, { settings: { node } });
  }
  const clock = createClock({ node, last: await getSetting(db, 'clock', null) });
  if (clock.repaired()) await write(db, { settings: { clock: null } }); // broken state: start again
  // The app lock (journal-lock.js) decides how records meet the disk: `codec` is db.js's CLEAR
  // without a lock, else one that seals with the data key (and refuses while locked).
  const lock = await createLock(db, { onUnlock: load });
  const codec = () => lock.codec();
  const put = (options) => write(db, { ...options, codec: codec() });
  // The devices sharing this pairing (devices.js), by id; kept in settings, never among entries.
  let devices = new Map();
  const deviceSettings = () => ({ devices: Object.fromEntries(devices) });
  const setAsideListeners = new Set();
  /** Changes whose clock is far in the future are counted and reported, never stored. */
  const setAside = (count, source) => {
    if (count) for (const listener of setAsideListeners) listener({ count, source });
  };
  const own = { words: {}, tags: [] };
  /** Read what settings hold of the person (sealed while the lock is on: read after unlocking). */
  async function load() {
    own.words = await getSetting(db, 'ownWords', {}, codec()) ?? {};
    own.tags = await getSetting(db, 'ownTags', [], codec()) ?? [];
    devices = new Map(Object.entries(await getSetting(db, 'devices', {}, codec()) ?? {}));
  }
  if (!lock.locked()) await load();

  /** Validate, then store the entry, the clock and any new own words and tags at once. */
  async function store(entry) {
    const result = validate(entry);
    if (!result.ok) throw new InvalidEntry(result.problems);
    const saved = result.entry;
    if (lock.locked()) {
      // Locked: sealed so that this app can write it but not read it; it joins at the next unlock.
      await lock.keepSealed(saved, { clock: clock.last() });
      return saved;
    }
    const settings = { clock: clock.last() };
    if (!saved.deleted) Object.assign(settings, remember(saved));
    await put({ entries: [saved], settings, local: true });
    for (const listener of listeners) listener(saved);
    return saved;
  }

  const listeners = new Set();

  function remember(entry) {
    const changed = {};
    const { core, word } = entry.feeling;
    if (word && !ownWordsFor(core).includes(word) && !BUILT_IN_WORDS.has(word)) {
      own.words = { ...own.words, [core]: [...ownWordsFor(core), word] };
      changed.ownWords = own.words;
    }
    const fresh = entry.tags.filter((t) => !BUILT_IN_TAGS.has(t) && !own.tags.includes(t));
    if (fresh.length) {
      own.tags = [...own.tags, ...fresh];
      changed.ownTags = own.tags;
    }
    return changed;
  }

  const ownWordsFor = (core) => own.words[core] ?? [];

  /** Own words and tags that merged or imported check-ins bring (written after the merge:
      sealing cannot wait inside its transaction; a crash in between forgets only a suggestion). */
  async function rememberAll(entries) {
    const changed = entries.reduce((acc, e) => (e.deleted ? acc : Object.assign(acc, remember(e))), {});
    if (Object.keys(changed).length) await put({ settings: changed });
  }

  /** Check-ins waiting in the inbox (saved while locked, or answered from a reminder) join the
      journal, then sync like any local change: at unlock, on open, and when the worker says so. */
  async function joinSealed() {
    if (lock.locked()) return;
    const sealed = await lock.openSealed();
    if (!sealed.length) return;
    const now = Date.now();
    const valid = sealed.map((e) => validate(e)).filter((r) => r.ok && !isFarFuture(r.entry.hlc, now)).map((r) => r.entry);
    for (const entry of valid) clock.receive(entry.hlc);
    const settings = { clock: clock.last() };
    for (const entry of valid) Object.assign(settings, remember(entry));
    await put({ entries: valid, settings, local: true, inboxDone: sealed.map((e) => e.id) });
    for (const listener of listeners) listener(null);
  }
  lock.afterUnlock(joinSealed);
  await joinSealed().catch((error) => console.warn('Waiting check-ins could not join yet:', error.message));

  return {
    db,
    lock,
    ownWords: (core) => [...ownWordsFor(core)],
    ownTags: () => [...own.tags],
    /** Remember a word the person added under a core, before any check-in uses it. */
    async addOwnWord(core, word) {
      if (BUILT_IN_WORDS.has(word) || ownWordsFor(core).includes(word)) return;
      own.words = { ...own.words, [core]: [...ownWordsFor(core), word] };
      if (!lock.locked()) await put({ settings: { ownWords: own.words } }); // else kept with the check-in
    },
    async addOwnTag(tag) {
      if (BUILT_IN_TAGS.has(tag) || own.tags.includes(tag)) return;
      own.tags = [...own.tags, tag];
      if (!lock.locked()) await put({ settings: { ownTags: own.tags } });
    },
    /** A new check-in from the person's choices; `at` defaults to now. */
    add(fields, at) {
      return store(createEntry(fields, { hlc: clock.now(), at }));
    },
    /** Change some fields of a stored check-in; the rest stays exactly as it was. */
    async update(id, changes) {
      const current = await getEntry(db, id, codec());
      if (!current || current.deleted) throw new Error('That check-in is no longer here.');
      return store({ ...current, ...changes, id, hlc: clock.now(), deleted: false });
    },
    /** Delete as a tombstone; returns what was there so it can be restored. */
    async remove(id) {
      const current = await getEntry(db, id, codec());
      if (!current || current.deleted) return null;
      await store(tombstone(current, clock.now()));
      return current;
    },
    /** Undo a delete: the old check-in comes back with a newer clock than its tombstone. */
    restore(previous) {
      return store({ ...previous, hlc: clock.now(), deleted: false });
    },
    get: (id) => getEntry(db, id, codec()),
    page: (options) => pageEntries(db, options, codec()),
    all: () => allEntries(db, {}, codec()),
    /** How many check-ins (not deleted) this device holds. */
    count: () => countLive(db),
    /** Bring in check-ins waiting in the inbox (the worker saved a reminder's answer). */
    joinWaiting: joinSealed,
    /** Called with each entry saved on this device (sync listens, to push soon). */
    onLocalChange(listener) { listeners.add(listener); },

    /** Everything a person may take with them. */
    async exportData() {
      return { entries: await allEntries(db, {}, codec()), ownWords: own.words, ownTags: own.tags };
    },
    /**
     * Bring in checked entries (by id and clock: nothing duplicated, nothing newer lost) and
     * own words and tags. Written in id order, `IMPORT_SLICE` a transaction with the clock (the
     * first also with own words and tags); `onProgress(done, total)` after each. A slice written
     * stays if a later one fails: importing again finishes the job and adds nothing twice. New
     * or newer entries sync like local changes.
     */
    async importEntries(entries, { ownWords = {}, ownTags = [], onProgress = () => {} } = {}) {
      const { importPlan } = await import('./transfer.js'); // import code stays off the first screen
      for (const [core, words] of Object.entries(ownWords)) {
        for (const word of Array.isArray(words) ? words : []) {
          if (typeof word === 'string' && !BUILT_IN_WORDS.has(word) && !ownWordsFor(core).includes(word)) {
            own.words = { ...own.words, [core]: [...ownWordsFor(core), word] };
          }
        }
      }
      own.tags = [...new Set([...own.tags, ...ownTags.filter((t) => !BUILT_IN_TAGS.has(t))])];
      // A row whose clock is more than 24 h ahead is set aside: it could never be beaten by a
      // later edit and would drag this device's clock (and every paired device's) with it.
      const now = Date.now();
      const { isDeviceRecord } = await devicesModule();
      const usable = entries.filter((entry) => !isFarFuture(entry.hlc, now) && !isDeviceRecord(entry));
      // In id order, each slice's ids lie in a narrow key range, which db.mergeIn reads in one
      // or two requests rather than one per check-in. (A stable sort: a repeated id keeps its order.)
      usable.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      // Only a paired device queues them for sync; pairing later puts every entry in the outbox
      // anyway (resetOutbox), so an unpaired import skips a third of its writes.
      const paired = Boolean(await getSetting(db, 'pairing', null, codec()));
      const totals = { added: 0, updated: 0, alreadyHad: 0 };
      try {
        for (let i = 0; i < usable.length || i === 0; i += IMPORT_SLICE) {
          const slice = usable.slice(i, i + IMPORT_SLICE);
          for (const entry of slice) clock.receive(entry.hlc);
          let plan = null;
          const written = await mergeIn(db, {
            incoming: slice,
            local: paired,
            codec: codec(),
            durability: 'relaxed', // a slice lost to a power cut is written again by the next import
            // Own words and tags once, with the first slice (sealed with the lock on: not for free).
            settings: i === 0 ? { clock: clock.last(), ownWords: own.words, ownTags: own.tags } : { clock: clock.last() },
            decide: (stored, list) => { plan = importPlan(stored, list); return plan.toWrite; },
          });
          for (const key of Object.keys(totals)) totals[key] += plan[key];
          await rememberAll(written);
          onProgress(Math.min(i + IMPORT_SLICE, usable.length), usable.length);
          if (!usable.length) break;
        }
      } finally {
        for (const listener of listeners) listener(null); // once: views forget what they read
      }
      const future = entries.length - usable.length;
      setAside(future, 'import');
      return { ...totals, future };
    },
    /** Delete every check-in, setting and sync detail on this device. */
    destroy: () => destroy(db),

    // -- what sync needs (the store interface of sync.js) --
    outbox: () => outboxEntries(db),
    /** Entries and device records by id (sync seals both the same way). */
    async getMany(ids) {
      const found = await getEntries(db, ids.filter((id) => !devices.has(id)), codec());
      return [...found, ...ids.filter((id) => devices.has(id)).map((id) => devices.get(id))];
    },
    /** Called with {count, source} when changes with far-future clocks were set aside. */
    onSetAside(listener) { setAsideListeners.add(listener); },

    // -- the devices sharing the pairing (shown in Settings, synced like entries) --
    devices: () => [...devices.values()].map((d) => ({ ...d })),
    /**
     * Store a device record with a new clock, queued for the next push. `quiet` skips the
     * local-change listeners (a sync stamp rides along with the sync that is running).
     */
    async saveDevice(record, { quiet = false, rename = false } = {}) {
      const { checkDevice } = await devicesModule();
      const hlc = clock.now();
      const saved = { ...record, hlc, ...(rename ? { nameHlc: hlc } : {}) };
      const checked = checkDevice(saved);
      if (!checked) throw new Error('That device record is not valid.');
      devices = new Map(devices).set(checked.id, checked);
      await put({ settings: { ...deviceSettings(), clock: clock.last() }, queue: [[checked.id, hlc]] });
      if (!quiet) for (const listener of listeners) listener(null);
      return checked;
    },
    /** Forget every device record (leaving or starting a pairing). */
    async clearDevices() {
      devices = new Map();
      await put({ settings: deviceSettings() });
    },
    setting: (key, fallback) => getSetting(db, key, fallback, codec()),
    setSettings: (settings) => put({ settings }),
    resetOutbox: (fill) => resetOutbox(db, { fill }),
    /**
     * Store versions from other devices (last writer wins), forget pushed changes, and move the
     * cursor — one transaction. Invalid versions are skipped, never stored. Returns the winners.
     */
    async mergeRemote(incoming, { pushed = [], settings = {} } = {}) {
      const [{ checkDevice, isDeviceRecord, mergeDevices }, { mergeAll }] = await Promise.all([devicesModule(), mergeModule()]);
      const valid = [];
      const deviceRecords = [];
      let invalid = 0;
      let future = 0;
      const now = Date.now();
      for (const entry of incoming) {
        if (isFarFuture(entry?.hlc, now)) { future += 1; continue; }
        if (isDeviceRecord(entry)) {
          const record = checkDevice(entry);
          if (record) deviceRecords.push(record); else invalid += 1;
          continue;
        }
        const result = validate(entry);
        if (result.ok) valid.push(result.entry); else invalid += 1;
      }
      for (const entry of [...valid, ...deviceRecords]) clock.receive(entry.hlc);
      // Device records merge field by field; one that gained something here goes back out.
      const queue = [];
      const more = {};
      if (deviceRecords.length) {
        const merged = mergeDevices(devices, deviceRecords);
        for (const id of merged.repush) {
          const hlc = clock.now();
          merged.devices.set(id, { ...merged.devices.get(id), hlc });
          queue.push([id, hlc]);
        }
        devices = merged.devices;
        Object.assign(more, deviceSettings());
      }
      const winners = await mergeIn(db, {
        incoming: valid,
        pushed,
        queue,
        settings: { ...settings, ...more, clock: clock.last() },
        codec: codec(),
        decide: (stored, list) => mergeAll(stored, list),
      });
      await rememberAll(winners);
      setAside(future, 'sync');
      return { winners, invalid, future, devices: deviceRecords.length };
    },
  };
}
