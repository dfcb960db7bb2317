// IndexedDB, wrapped in a few promise-returning functions: entries, settings, sync state.
// An entry is stored as {id, t, entry}: `t` (ms since epoch of `at`) orders History; tombstones
// have no `t`, so they stay out of that index but are kept for sync. `outbox` maps the id of
// each entry changed on this device to the clock of that change, until a server has it.

const NAME = 'thaw';
const VERSION = 2;

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
  };
  return done(request).then((db) => {
    db.onversionchange = () => db.close();
    return db;
  });
}

function record(entry) {
  return entry.deleted ? { id: entry.id, entry } : { id: entry.id, t: Date.parse(entry.at), entry };
}

/**
 * Write entries and settings in one transaction: all of it is stored, or none. Entries changed
 * on this device (`local`) also go to the outbox, to be pushed when sync is on; `queue` puts
 * more [id, hlc] pairs in the outbox (records kept in settings, such as the devices list).
 */
export async function write(db, { entries = [], settings = {}, local = false, queue = [] } = {}) {
  const tx = db.transaction(['entries', 'settings', 'outbox'], 'readwrite');
  const store = tx.objectStore('entries');
  const outbox = tx.objectStore('outbox');
  for (const entry of entries) {
    store.put(record(entry));
    if (local) outbox.put(entry.hlc, entry.id);
  }
  for (const [id, hlc] of queue) outbox.put(hlc, id);
  const config = tx.objectStore('settings');
  for (const [key, value] of Object.entries(settings)) config.put(value, key);
  await committed(tx);
}

/**
 * Merge versions from another device in one transaction: read what is stored, keep the winner
 * of each, write the winners, drop pushed ids from the outbox (unless changed again since) and
 * store `settings` (the sync cursor) — so the cursor never runs ahead of the merged entries.
 * `decide(stored: Map, incoming)` returns the winners to write, `extraSettings(winners)` more
 * settings to write with them; `queue` puts more [id, hlc] pairs in the outbox (before the
 * pushed ids are dropped, so a record queued again here stays queued).
 */
export function mergeIn(db, {
  incoming, decide, pushed = [], settings = {}, extraSettings = () => ({}), local = false, queue = [],
}) {
  const tx = db.transaction(['entries', 'settings', 'outbox'], 'readwrite');
  const entries = tx.objectStore('entries');
  const outbox = tx.objectStore('outbox');
  const stored = new Map();
  let winners = [];
  const ids = [...new Set(incoming.map((e) => e.id))];
  let waiting = ids.length;
  const writeAll = () => {
    winners = decide(stored, incoming);
    for (const entry of winners) {
      entries.put(record(entry));
      if (local) outbox.put(entry.hlc, entry.id);
    }
    for (const [id, hlc] of queue) outbox.put(hlc, id);
    for (const [id, hlc] of pushed) {
      const request = outbox.get(id);
      request.onsuccess = () => { if (request.result === hlc) outbox.delete(id); };
    }
    const config = tx.objectStore('settings');
    for (const [key, value] of Object.entries({ ...settings, ...extraSettings(winners) })) config.put(value, key);
  };
  if (!waiting) writeAll();
  for (const id of ids) {
    const request = entries.get(id);
    request.onsuccess = () => {
      if (request.result) stored.set(id, request.result.entry);
      if (--waiting === 0) writeAll();
    };
  }
  return committed(tx).then(() => winners);
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
    for (const { entry } of batch) outbox.put(entry.hlc, entry.id);
    await committed(tx);
    if (batch.length < 500) break;
    after = batch.at(-1).id;
  }
}

export async function getEntries(db, ids) {
  const store = db.transaction('entries').objectStore('entries');
  const found = await Promise.all(ids.map((id) => done(store.get(id))));
  return found.filter(Boolean).map((r) => r.entry);
}

export async function getEntry(db, id) {
  const found = await done(db.transaction('entries').objectStore('entries').get(id));
  return found?.entry;
}

/** Live entries, newest first, `limit` at a time; pass the last one's `cursor` for the next page. */
export function pageEntries(db, { limit = 50, after = null } = {}) {
  const index = db.transaction('entries').objectStore('entries').index('by_time');
  const range = after ? IDBKeyRange.upperBound(after, true) : null;
  const request = index.openCursor(range, 'prev');
  const entries = [];
  return new Promise((resolve, reject) => {
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor || entries.length === limit) {
        const last = entries.at(-1);
        resolve({ entries, cursor: cursor && last ? [Date.parse(last.at), last.id] : null });
        return;
      }
      entries.push(cursor.value.entry);
      cursor.continue();
    };
  });
}

/**
 * Every stored entry, tombstones included (for sync, export and Patterns). Read in one
 * transaction, `chunk` records a request: each request's records are decoded in a task of their
 * own, so 9,000 check-ins never hold the main thread in one long task.
 */
export function allEntries(db, { chunk = 500 } = {}) {
  const store = db.transaction('entries').objectStore('entries');
  const entries = [];
  return new Promise((resolve, reject) => {
    const next = (after) => {
      const range = after === undefined ? null : IDBKeyRange.lowerBound(after, true);
      const request = store.getAll(range, chunk);
      request.onerror = () => reject(request.error);
      request.onsuccess = () => {
        const records = request.result;
        for (const record of records) entries.push(record.entry);
        if (records.length < chunk) resolve(entries);
        else next(records.at(-1).id);
      };
    };
    next(undefined);
  });
}

export async function countLive(db) {
  return done(db.transaction('entries').objectStore('entries').index('by_time').count());
}

export async function getSetting(db, key, fallback = undefined) {
  const value = await done(db.transaction('settings').objectStore('settings').get(key));
  return value === undefined ? fallback : value;
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
