// Boots Thaw: registers the service worker and shows the view named by location.hash.
import { parseRoute, VIEWS } from './routes.js';
import { registerServiceWorker } from './ui/update.js';

function show(route) {
  for (const view of VIEWS) {
    const section = document.getElementById(`view-${view}`);
    section.hidden = view !== route.view;
    const tab = document.querySelector(`.tab[data-tab="${view}"]`);
    if (view === route.view) tab.setAttribute('aria-current', 'page');
    else tab.removeAttribute('aria-current');
  }
}

function boot() {
  const route = () => show(parseRoute(location.hash));
  window.addEventListener('hashchange', route);
  route();
  const root = document.getElementById('checkin-root');
  root.textContent = 'The check-in is on its way. Thaw works offline once it has opened here.';
  registerServiceWorker({
    banner: document.getElementById('update-banner'),
    button: document.getElementById('update-reload'),
  }).catch((error) => console.warn('Offline support is not available here:', error.message));
}

boot();
