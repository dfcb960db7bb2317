// IndexedDB, wrapped in a few promise-returning functions: entries, settings, sync state, and
// the inbox of check-ins saved while locked.
// An entry is stored as {id, t, entry}: `t` (ms since epoch of `at`) orders History; tombstones
// have no `t`, so they stay out of that index but are kept for sync. `outbox` maps the id of
// each entry changed on this device to the clock of that change, until a server has it.

const NAME = 'thaw';
const VERSION = 3;

const done = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});
const committed = (tx) => new Promise((resolve, reject) => {
  tx.oncomplete = () => resolve();
  tx.onerror = () => reject(tx.error);
  tx.onabort = () => reject(tx.error || new Error('The save was interrupted.'));
});

export function openDb(name = NAME) {
  const request = indexedDB.open(name, VERSION);
  request.onupgradeneeded = (event) => {
    const db = request.result;
    if (event.oldVersion < 1) {
      const entries = db.createObjectStore('entries', { keyPath: 'id' });
      entries.createIndex('by_time', ['t', 'id']);
      db.createObjectStore('settings');
    }
    if (event.oldVersion < 2) db.createObjectStore('outbox');
    // Check-ins saved while the app is locked, sealed to a public key (lock.js), until unlock.
    if (event.oldVersion < 3) db.createObjectStore('inbox', { keyPath: 'id' });
  };
  return done(request).then((db) => {
    db.onversionchange = () => db.close();
    return db;
  });
}

/**
 * How records meet the disk. The clear codec keeps entries and settings as they are; the app
 * lock (journal.js) passes one that seals them with the data key. Sealing is asynchronous, so it
 * happens before a transaction opens and opening after it ends: an IndexedDB transaction
 * commits as soon as it waits on anything but its own requests.
 */
export const CLEAR = Object.freeze({
  entryRecord: async (entry) => clearRecord(entry),
  openRecord: async (record) => record.entry,
  settingValue: async (key, value) => value,
  openSetting: async (key, value) => value,
});

function clearRecord(entry) {
  return entry.deleted ? { id: entry.id, entry } : { id: entry.id, t: Date.parse(entry.at), entry };
}

/** The clock and tombstone flag of a stored record, sealed or not: enough to merge by. */
export function peek(record) {
  return record.entry ?? { id: record.id, hlc: record.hlc, deleted: record.deleted };
}

// Writes go one after another per database: sealing happens before each transaction opens, so
// without this a later write could reach the disk before an earlier one.
const queues = new WeakMap();
function serial(db, work) {
  const run = (queues.get(db) ?? Promise.resolve()).then(work);
  queues.set(db, run.catch(() => {}));
  return run;
}

async function sealSettings(codec, settings) {
  const pairs = await Promise.all(Object.entries(settings).map(async ([key, value]) => [key, await codec.settingValue(key, value)]));
  return pairs;
}

/**
 * Write entries and settings in one transaction: all of it is stored, or none. Entries changed
 * on this device (`local`) also go to the outbox, to be pushed when sync is on; `queue` puts
 * more [id, hlc] pairs in the outbox (records kept in settings, such as the devices list);
 * `inboxDone` removes check-ins saved while locked that these entries bring into the journal.
 */
export function write(db, {
  entries = [], settings = {}, local = false, queue = [], inboxDone = [], codec = CLEAR,
} = {}) {
  return serial(db, async () => {
    const records = await Promise.all(entries.map((entry) => codec.entryRecord(entry)));
    const values = await sealSettings(codec, settings);
    const tx = db.transaction(['entries', 'settings', 'outbox', 'inbox'], 'readwrite');
    const store = tx.objectStore('entries');
    const outbox = tx.objectStore('outbox');
    records.forEach((record, i) => {
      store.put(record);
      if (local) outbox.put(entries[i].hlc, entries[i].id);
    });
    for (const [id, hlc] of queue) outbox.put(hlc, id);
    const config = tx.objectStore('settings');
    for (const [key, value] of values) config.put(value, key);
    for (const id of inboxDone) tx.objectStore('inbox').delete(id);
    await committed(tx);
  });
}

// A task's share of a merge: requests (or seals) are started until this many ms have passed,
// the rest wait for the next turn. Counted in time, not records, so a busy phone never holds the
// page long either: 250 puts took ~20 ms on the 2-core test machine when quiet, 250 ms when busy.
const TURN_MS = 20;

/** Give the page a turn (scheduler.yield where there is one: no 4 ms timer clamping). */
const nextTurn = () => (typeof globalThis.scheduler?.yield === 'function'
  ? globalThis.scheduler.yield()
  : new Promise((resolve) => { setTimeout(resolve, 0); }));

/**
 * Issue `issue(item)` (an IDBRequest) for every item, TURN_MS of them a task: the next batch
 * goes out when the first request of the last one is answered, so the browser's IndexedDB always
 * has work queued while the page gets its turns. `last()` runs once the final batch is out.
 */
function inTurns(items, issue, last = () => {}) {
  const batch = (from) => {
    const start = performance.now();
    const first = issue(items[from]);
    let next = from + 1;
    for (; next < items.length && performance.now() - start < TURN_MS; next += 1) issue(items[next]);
    if (next < items.length) first.addEventListener('success', () => batch(next));
    else last();
  };
  if (items.length) batch(0);
  else last();
}

/**
 * Merge versions from another device in one transaction: read what is stored, keep the winner
 * of each, write the winners, drop pushed ids from the outbox (unless changed again since) and
 * store `settings` (the sync cursor) — so the cursor never runs ahead of the merged entries.
 * `decide(stored: Map, incoming)` returns the winners to write (stored versions are only
 * `peek`ed: a sealed one shows its id, clock and tombstone flag); `queue` puts more [id, hlc]
 * pairs in the outbox (before the pushed ids are dropped, so a record queued again here stays
 * queued). Every version to write is sealed before the transaction opens. Thousands at once are
 * fine: the work is spread over short tasks (inTurns), all in the one transaction.
 * `durability: 'relaxed'` (an import: doing it again completes it) lets the commit return before
 * the disk has it; all or nothing of the transaction still holds.
 */
export function mergeIn(db, {
  incoming, decide, pushed = [], settings = {}, local = false, queue = [], codec = CLEAR, durability = 'default',
}) {
  return serial(db, async () => {
    // Sorted as IndexedDB orders string keys (by UTF-16 code unit), so a key range can cover them.
    const ids = [...new Set(incoming.map((e) => e.id))].sort();
    // Sealing is a WebCrypto call per version: with the lock on, only those that beat what is
    // stored now are sealed (importing a file again seals nothing). A stored version only ever
    // gets newer, so one that loses now loses inside the transaction too.
    const candidates = codec === CLEAR || !ids.length ? incoming : decide(await storedNow(db, ids), incoming);
    const records = new Map();
    for (let i = 0; i < candidates.length;) { // a turn's worth of seals at a time (each ~0.1–2 ms)
      const start = performance.now();
      const sealing = [];
      do {
        const entry = candidates[i];
        sealing.push(codec.entryRecord(entry).then((record) => records.set(entry, record)));
        i += 1;
      } while (i < candidates.length && performance.now() - start < TURN_MS);
      await Promise.all(sealing);
      // WebCrypto's answers can come back without the page getting a turn in between.
      if (i < candidates.length) await nextTurn();
    }
    const values = await sealSettings(codec, settings);
    const tx = db.transaction(['entries', 'settings', 'outbox'], 'readwrite', { durability });
    const entries = tx.objectStore('entries');
    const outbox = tx.objectStore('outbox');
    let winners = [];
    let refused = null;
    const rest = () => {
      for (const [id, hlc] of queue) outbox.put(hlc, id);
      for (const [id, hlc] of pushed) {
        const request = outbox.get(id);
        request.onsuccess = () => { if (request.result === hlc) outbox.delete(id); };
      }
      const config = tx.objectStore('settings');
      for (const [key, value] of values) config.put(value, key);
    };
    const writeAll = (stored) => {
      winners = decide(stored, incoming);
      if (winners.some((entry) => !records.has(entry))) {
        // Cannot happen (see above); were it to, nothing is written rather than a record unsealed.
        refused = new Error('The journal changed during the merge; try again.');
        tx.abort();
        return;
      }
      inTurns(winners, (entry) => {
        if (local) outbox.put(entry.hlc, entry.id);
        return entries.put(records.get(entry));
      }, rest);
    };
    readStored(entries, ids, writeAll);
    await committed(tx).catch((error) => { throw refused ?? error; });
    return winners;
  });
}

// Per id wanted, how many stored keys one getAllKeys may bring (keys are small), and how many
// records one getAll may read, before one get per id is cheaper.
const KEY_SPAN = 16;
const SPAN = 4;
const PER_READ = 500; // records a getAll brings: decoding them is one task

/**
 * Which of `ids` are among `keys` (both sorted), and how many keys lie from the first of them to
 * the last: what one getAll over that range would read.
 */
export function sortedHits(ids, keys) {
  const hits = [];
  let first = -1;
  let last = -1;
  for (let i = 0, k = 0; i < ids.length && k < keys.length;) {
    if (ids[i] === keys[k]) {
      if (first < 0) first = k;
      last = k;
      hits.push(ids[i]);
      i += 1;
      k += 1;
    } else if (ids[i] < keys[k]) i += 1;
    else k += 1;
  }
  return { hits, span: hits.length ? last - first + 1 : 0 };
}

/**
 * Read the stored versions of `ids` (sorted, unique) in `store`'s transaction, then call
 * `then(stored: Map of id → peek)`. Every request is a round trip to the browser's IndexedDB
 * and a task on this thread: a get per id costs more than the writes after it. So the keys from
 * the first id to the last come in one request (an import sorted by id gives each slice a narrow
 * range), and the records of those found in a few more; one get per id only when the range
 * holds far more than the ids (a sync page of random ids on a large journal).
 */
function readStored(store, ids, then) {
  const stored = new Map();
  const keep = (record) => { if (record) stored.set(record.id, peek(record)); };
  const each = (list) => {
    let waiting = list.length;
    if (!waiting) { then(stored); return; }
    inTurns(list, (id) => {
      const request = store.get(id);
      request.onsuccess = () => {
        keep(request.result);
        if (--waiting === 0) then(stored);
      };
      return request;
    });
  };
  if (ids.length < 8) { each(ids); return; }
  const cap = ids.length * KEY_SPAN;
  const keys = store.getAllKeys(IDBKeyRange.bound(ids[0], ids.at(-1)), cap + 1);
  keys.onsuccess = () => {
    if (keys.result.length > cap) { each(ids); return; }
    const { hits, span } = sortedHits(ids, keys.result);
    if (!hits.length) { then(stored); return; }
    if (span > hits.length * SPAN) { each(hits); return; }
    const wanted = new Set(hits);
    const last = hits.at(-1);
    const read = (range) => {
      const found = store.getAll(range, PER_READ);
      found.onsuccess = () => {
        for (const record of found.result) if (wanted.has(record.id)) keep(record);
        const after = found.result.at(-1)?.id;
        if (found.result.length < PER_READ || after === last) then(stored);
        else read(IDBKeyRange.bound(after, last, true));
      };
    };
    read(IDBKeyRange.bound(hits[0], last));
  };
}

/** The stored versions of `ids` (sorted, unique), `peek`ed, read in a transaction of their own. */
function storedNow(db, ids) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction('entries');
    tx.onabort = () => reject(tx.error);
    readStored(tx.objectStore('entries'), ids, resolve);
  });
}

/** Ids changed on this device and not yet pushed, with the clock of that change. */
export function outboxEntries(db) {
  const store = db.transaction('outbox').objectStore('outbox');
  return Promise.all([done(store.getAllKeys()), done(store.getAll())])
    .then(([ids, clocks]) => ids.map((id, i) => [id, clocks[i]]));
}

/**
 * Put every stored entry into the outbox (when a device starts syncing), or empty it. Done in
 * batches of 500, each its own transaction, so thousands of entries never freeze the page.
 */
export async function resetOutbox(db, { fill }) {
  const clearing = db.transaction('outbox', 'readwrite');
  clearing.objectStore('outbox').clear();
  await committed(clearing);
  let after = null;
  while (fill) {
    const tx = db.transaction(['entries', 'outbox'], 'readwrite');
    const range = after === null ? null : IDBKeyRange.lowerBound(after, true);
    const batch = await done(tx.objectStore('entries').getAll(range, 500));
    const outbox = tx.objectStore('outbox');
    for (const record of batch) outbox.put(peek(record).hlc, record.id);
    await committed(tx);
    if (batch.length < 500) break;
    after = batch.at(-1).id;
  }
}

/** Open records `chunk` at a time, yielding between chunks, so thousands never make one long task. */
async function openAll(records, codec, chunk = 250) {
  const out = [];
  for (let i = 0; i < records.length; i += chunk) {
    out.push(...await Promise.all(records.slice(i, i + chunk).map((r) => codec.openRecord(r))));
  }
  return out;
}

export async function getEntries(db, ids, codec = CLEAR) {
  const store = db.transaction('entries').objectStore('entries');
  const found = await Promise.all(ids.map((id) => done(store.get(id))));
  return openAll(found.filter(Boolean), codec);
}

export async function getEntry(db, id, codec = CLEAR) {
  const found = await done(db.transaction('entries').objectStore('entries').get(id));
  return found ? codec.openRecord(found) : undefined;
}

/** Live entries, newest first, `limit` at a time; pass the last one's `cursor` for the next page. */
export function pageEntries(db, { limit = 50, after = null } = {}, codec = CLEAR) {
  const index = db.transaction('entries').objectStore('entries').index('by_time');
  const range = after ? IDBKeyRange.upperBound(after, true) : null;
  const request = index.openCursor(range, 'prev');
  const records = [];
  return new Promise((resolve, reject) => {
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor || records.length === limit) {
        const last = records.at(-1);
        resolve({ records, cursor: cursor && last ? [last.t, last.id] : null });
        return;
      }
      records.push(cursor.value);
      cursor.continue();
    };
  }).then(async ({ records: found, cursor }) => ({ entries: await openAll(found, codec), cursor }));
}

/** Every stored record as it is on disk (sealed or clear), read 500 a request in one transaction. */
export function allRecords(db, { chunk = 500, store: name = 'entries' } = {}) {
  const store = db.transaction(name).objectStore(name);
  const records = [];
  return new Promise((resolve, reject) => {
    const next = (after) => {
      const range = after === undefined ? null : IDBKeyRange.lowerBound(after, true);
      const request = store.getAll(range, chunk);
      request.onerror = () => reject(request.error);
      request.onsuccess = () => {
        const found = request.result;
        for (const record of found) records.push(record);
        if (found.length < chunk) resolve(records);
        else next(found.at(-1).id);
      };
    };
    next(undefined);
  });
}

/**
 * Every stored entry, tombstones included (for sync, export and Patterns). Read in one
 * transaction, `chunk` records a request, then opened a chunk at a time: 9,000 check-ins never
 * hold the main thread in one long task.
 */
export async function allEntries(db, { chunk = 500 } = {}, codec = CLEAR) {
  const records = await allRecords(db, { chunk });
  if (codec === CLEAR) return records.map((r) => r.entry);
  return openAll(records, codec);
}

/**
 * Re-store up to `limit` records after id `after` in the form `to` writes (sealing them when the
 * lock is turned on, opening them when it is turned off); records `to` already `holds` are left.
 * One slice per transaction; a crash between slices leaves each record whole in one form or the
 * other, and every reader accepts both. Returns {last: the last id read, or null at the end,
 * seen, changed}.
 */
export function reformSlice(db, { after = null, limit = 200, from, to }) {
  return serial(db, async () => {
    const read = db.transaction('entries');
    const range = after === null ? null : IDBKeyRange.lowerBound(after, true);
    const batch = await done(read.objectStore('entries').getAll(range, limit));
    const todo = batch.filter((record) => !to.holds(record));
    const records = await Promise.all(todo.map(async (r) => to.entryRecord(await from.openRecord(r))));
    if (records.length) {
      const tx = db.transaction('entries', 'readwrite');
      for (const record of records) tx.objectStore('entries').put(record);
      await committed(tx);
    }
    return { last: batch.length < limit ? null : batch.at(-1).id, seen: batch.length, changed: records.length };
  });
}

/** Re-store every setting in the form `to` writes (see reformSlice). */
export function reformSettings(db, { from, to }) {
  return serial(db, async () => {
    const read = db.transaction('settings').objectStore('settings');
    const [keys, values] = await Promise.all([done(read.getAllKeys()), done(read.getAll())]);
    const opened = await Promise.all(keys.map(async (key, i) => [key, await to.settingValue(key, await from.openSetting(key, values[i]))]));
    const tx = db.transaction('settings', 'readwrite');
    for (const [key, value] of opened) tx.objectStore('settings').put(value, key);
    await committed(tx);
  });
}

/** Keep a check-in sealed while locked (lock.js sealForInbox) until the next unlock. */
export function putInbox(db, sealed, settings = {}) {
  return serial(db, async () => {
    const tx = db.transaction(['inbox', 'settings'], 'readwrite');
    tx.objectStore('inbox').put(sealed);
    for (const [key, value] of Object.entries(settings)) tx.objectStore('settings').put(value, key);
    await committed(tx);
  });
}

export const inboxRecords = (db) => allRecords(db, { store: 'inbox' });

export async function countLive(db) {
  return done(db.transaction('entries').objectStore('entries').index('by_time').count());
}

export async function getSetting(db, key, fallback = undefined, codec = CLEAR) {
  const value = await done(db.transaction('settings').objectStore('settings').get(key));
  return value === undefined ? fallback : codec.openSetting(key, value);
}

/** Close and delete the whole database: every entry, setting and sync detail on this device. */
export function destroy(db, name = NAME) {
  db.close();
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('Thaw is open in another tab; close it and try again.'));
  });
}
