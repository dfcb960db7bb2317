import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registerServiceWorker } from '../../static/js/ui/update.js';

/** A page's view of its service worker: a registration with one worker, and the container. */
function fakePage({ controller = null } = {}) {
  const worker = new EventTarget();
  worker.state = 'installing';
  worker.postMessage = (message) => { worker.sent = message; };
  const registration = new EventTarget();
  registration.installing = worker;
  registration.waiting = null;
  const container = new EventTarget();
  container.controller = controller;
  container.register = async () => registration;
  const reloads = [];
  Object.defineProperty(globalThis, 'navigator', { value: { serviceWorker: container }, configurable: true });
  Object.defineProperty(globalThis, 'location', { value: { reload: () => reloads.push(1) }, configurable: true });
  const banner = { hidden: true };
  const button = { onclick: null };
  /** The worker reaches `state`; `claimed` first makes it the page's controller (WebKit's order). */
  const reach = (state, { claimed = false } = {}) => {
    if (claimed) container.controller = worker;
    worker.state = state;
    worker.dispatchEvent(new Event('statechange'));
  };
  const takeOver = (next) => { container.controller = next; container.dispatchEvent(new Event('controllerchange')); };
  return { worker, banner, button, reloads, reach, takeOver };
}

test('the first worker, claiming the page before its "installed" arrives, is no update', async () => {
  const page = fakePage();
  await registerServiceWorker({ banner: page.banner, button: page.button });
  page.reach('installed', { claimed: true }); // WebKit: the controller is set before the event
  page.takeOver(page.worker);
  assert.equal(page.banner.hidden, true, 'no "A new version is ready" on a first visit');
  assert.deepEqual(page.reloads, [], 'the page is not reloaded under the person');
});

test('a new worker while another controls the page is offered, and Reload swaps it', async () => {
  const old = new EventTarget();
  const page = fakePage({ controller: old });
  await registerServiceWorker({ banner: page.banner, button: page.button });
  page.reach('installed');
  assert.equal(page.banner.hidden, false);
  page.button.onclick();
  assert.deepEqual(page.worker.sent, { type: 'SKIP_WAITING' });
  page.takeOver(page.worker);
  assert.deepEqual(page.reloads, [1]);
});
