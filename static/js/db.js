// IndexedDB, wrapped in a few promise-returning functions: entries, settings, sync state.
// An entry is stored as {id, t, entry}: `t` (ms since epoch of `at`) orders History; tombstones
// have no `t`, so they stay out of that index but are kept for sync.

const NAME = 'thaw';
const VERSION = 1;

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
  request.onupgradeneeded = () => {
    const db = request.result;
    const entries = db.createObjectStore('entries', { keyPath: 'id' });
    entries.createIndex('by_time', ['t', 'id']);
    db.createObjectStore('settings');
  };
  return done(request).then((db) => {
    db.onversionchange = () => db.close();
    return db;
  });
}

function record(entry) {
  return entry.deleted ? { id: entry.id, entry } : { id: entry.id, t: Date.parse(entry.at), entry };
}

/** Write entries and settings in one transaction: all of it is stored, or none. */
export async function write(db, { entries = [], settings = {} } = {}) {
  const tx = db.transaction(['entries', 'settings'], 'readwrite');
  const store = tx.objectStore('entries');
  for (const entry of entries) store.put(record(entry));
  const config = tx.objectStore('settings');
  for (const [key, value] of Object.entries(settings)) config.put(value, key);
  await committed(tx);
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

/** Every stored entry, tombstones included (for sync and export). */
export async function allEntries(db) {
  const records = await done(db.transaction('entries').objectStore('entries').getAll());
  return records.map((r) => r.entry);
}

export async function countLive(db) {
  return done(db.transaction('entries').objectStore('entries').index('by_time').count());
}

export async function getSetting(db, key, fallback = undefined) {
  const value = await done(db.transaction('settings').objectStore('settings').get(key));
  return value === undefined ? fallback : value;
}

export async function setSetting(db, key, value) {
  return write(db, { settings: { [key]: value } });
}
