/* Thaw's service worker, rendered by the server with the shell's asset list and content version.
   The shell is precached on install and served from the cache first, so Thaw opens offline.
   The sync API (/api/) is never cached. A module worker (registered with type "module"), so it
   seals a check-in with the app lock's own code rather than a copy of it. */
import { sealForInbox } from {{ (static ~ '/js/lock.js')|tojson }};

const VERSION = {{ version|tojson }};
const CACHE = `thaw-shell-${VERSION}`;
const PREFIX = 'thaw-shell-';
const ASSETS = {{ assets|tojson }};
const SHELL = '/';

// /static/v/<version>/… never changes, so the copy the page just downloaded is the right one;
// anything else ('/', the manifest) is revalidated so one version's files never mix with another's.
const request = (url) => new Request(url, { cache: url.startsWith('/static/v/') ? 'default' : 'no-cache' });

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS.map(request))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names
      .filter((name) => name.startsWith(PREFIX) && name !== CACHE)
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate' && url.pathname === '/') {
    event.respondWith(fromCache(SHELL, request));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(fromCache(url.pathname, request));
  }
});

async function fromCache(key, request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(key);
  return hit || fetch(request);
}

// ---- Reminders (Web Push). A reminder shows one calm notification; a new one replaces an
// unanswered one (same tag). "Numb / can't tell" is saved from here, without opening Thaw: the
// check-in waits in IndexedDB's `inbox` until Thaw next opens, then joins the journal through its
// usual checks (and syncs). With the app lock on, it is sealed to the lock's inbox key first, as a
// check-in made on the lock screen is: readable only after the next unlock.
const REMINDER = { title: 'A moment to notice how you are?', body: 'Whatever is there — or nothing — is worth naming.' };

self.addEventListener('push', (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch { data = {}; }
  const actions = [{ action: 'numb', title: 'Numb / can’t tell' }, { action: 'checkin', title: 'Check in' }];
  event.waitUntil(self.registration.showNotification(String(data.title || REMINDER.title).slice(0, 80), {
    body: String(data.body || REMINDER.body).slice(0, 200),
    tag: 'thaw-reminder', renotify: false, requireInteraction: true,
    icon: '/static/icons/icon-192.png', badge: '/static/icons/favicon-32.png', actions,
  }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(event.action === 'numb' ? saveNumb() : openWheel());
});

async function openWheel() {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
  if (open) {
    await open.focus();
    return open.navigate ? open.navigate('/#checkin').catch(() => null) : null;
  }
  return self.clients.openWindow('/#checkin');
}

function openJournalDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open('thaw');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onupgradeneeded = () => { request.transaction.abort(); }; // never create Thaw's database here
  });
}

async function readSetting(key) {
  try {
    const db = await openJournalDb();
    const value = await new Promise((resolve) => {
      const request = db.transaction('settings').objectStore('settings').get(key);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(undefined);
    });
    db.close();
    return value;
  } catch { return undefined; }
}

const pad = (n) => String(Math.abs(Math.trunc(n))).padStart(2, '0');
/** ISO 8601 with the device's offset, as entry.js writes it. */
function isoWithOffset(date) {
  const offset = -date.getTimezoneOffset();
  const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 23);
  return `${local}${offset >= 0 ? '+' : '-'}${pad(offset / 60)}:${pad(offset % 60)}`;
}

/** A Numb check-in, waiting in the inbox until Thaw opens (the journal checks and stores it);
 * sealed to the inbox key while the app lock is on. */
async function saveNumb() {
  const lock = await readSetting('lock');
  const node = await readSetting('node');
  const now = new Date();
  const entry = {
    id: crypto.randomUUID(), at: isoWithOffset(now), feeling: { core: 'numb' }, intensity: null,
    body: [], tags: [], note: '', deleted: false,
    hlc: `${String(now.getTime()).padStart(13, '0')}-0000-${/^[0-9a-f]{16}$/.test(node || '') ? node : '0000000000000000'}`,
  };
  const record = lock ? await sealForInbox(lock.inbox.publicKey, entry) : { id: entry.id, entry };
  const db = await openJournalDb();
  await new Promise((resolve, reject) => {
    const tx = db.transaction('inbox', 'readwrite');
    tx.objectStore('inbox').put(record);
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
  for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage({ type: 'inbox' });
}

// A module's functions are its own: the tests answer "Numb" through the worker with this (no
// browser here can click a notification's action).
self.thaw = { saveNumb };
