// Registers the service worker and offers "A new version is ready — reload" when one waits.

export async function registerServiceWorker({ banner, button }) {
  if (!('serviceWorker' in navigator)) return null;
  const registration = await navigator.serviceWorker.register('/sw.js', { scope: '/', type: 'module' });
  let reloading = false;

  const offer = (worker) => {
    // WebKit may deliver the first worker's 'installed' after it has already claimed this page:
    // a worker in charge is no new version (offering it would reload the page mid-check-in).
    if (worker === navigator.serviceWorker.controller) return;
    banner.hidden = false;
    button.onclick = () => worker.postMessage({ type: 'SKIP_WAITING' });
  };
  const watch = (worker) => {
    worker.addEventListener('statechange', () => {
      if (worker.state === 'installed' && navigator.serviceWorker.controller) offer(worker);
    });
  };

  if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
  if (registration.installing) watch(registration.installing);
  registration.addEventListener('updatefound', () => watch(registration.installing));
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // Only the person's tap on "Reload" swaps a running page's worker, so this is expected.
    if (reloading || banner.hidden) return;
    reloading = true;
    location.reload();
  });
  return registration;
}
