/* Thaw's service worker, rendered by the server with the shell's asset list and content version.
   The shell is precached on install and served from the cache first, so Thaw opens offline.
   The sync API (/api/) is never cached. */
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
