// Boots Thaw: opens the journal, shows the check-in, routes by location.hash, registers the worker.
// Only the first screen's modules are imported here; every other screen (and sync) is loaded with
// import() when first opened, and the worker precaches them all once the first screen is shown.
import { openJournal } from './journal.js';
import { parseRoute, TABS, VIEWS } from './routes.js';
import { createCheckin } from './ui/checkin.js';
import { h } from './ui/dom.js';
import { confirmOnce, createToast } from './ui/toast.js';
import { registerServiceWorker } from './ui/update.js';

const $ = (id) => document.getElementById(id);
let navigated = false; // true once the person has moved inside the app (so Back stays in it)

/** A loader that runs `make` once, on first use, and hands everyone the same promise.
    A failed load (offline before the worker has cached the module) is tried again next time. */
function lazy(make) {
  let made = null;
  const load = () => (made ??= make().catch((error) => { made = null; throw error; }));
  load.loaded = () => made !== null;
  return load;
}

/** Resolves once the page has loaded and painted: the time to start background work. */
function afterFirstPaint() {
  const loaded = document.readyState === 'complete'
    ? Promise.resolve()
    : new Promise((resolve) => window.addEventListener('load', resolve, { once: true }));
  return loaded.then(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve))));
}

const PARENT_TAB = { practices: 'patterns', support: 'settings', summary: 'settings' };

/** The styles of every screen but the check-in (css/screens.css): loaded when one is first shown
    (or the moment after Save), so the first visit downloads only what the check-in needs. A
    failed load (offline before the worker cached it) is a TypeError, like a failed import(). */
const screenStyles = lazy(() => new Promise((resolve, reject) => {
  const base = document.querySelector('meta[name=thaw-static]').content;
  const link = h('link', { rel: 'stylesheet', href: `${base}/css/screens.css` });
  link.addEventListener('load', resolve);
  link.addEventListener('error', () => { link.remove(); reject(new TypeError('could not fetch css/screens.css')); });
  document.head.append(link);
}));

const standalone = () => matchMedia('(display-mode: standalone)').matches || navigator.standalone === true;

let lastTab = null; // the tab a person came from: a practice or an edit keeps it highlighted

function showView(name, { editing = false } = {}) {
  for (const view of VIEWS) $(`view-${view}`).hidden = view !== name;
  const own = TABS.includes(name) && !editing;
  const current = own ? name : (editing ? 'history' : lastTab ?? PARENT_TAB[name]);
  if (own) lastTab = name;
  for (const view of TABS) {
    const tab = document.querySelector(`.tab[data-tab="${view}"]`);
    if (view === current) tab.setAttribute('aria-current', 'page');
    else tab.removeAttribute('aria-current');
  }
}

async function askToPersist() {
  // After the first check-in: ask the browser not to evict this person's history.
  if (!navigator.storage?.persist || (await navigator.storage.persisted())) return;
  await navigator.storage.persist();
}

async function boot() {
  const toast = createToast($('toast'));
  if (sessionStorage.getItem('thaw-erased')) { // Delete everything / Erase, just before this reload
    sessionStorage.removeItem('thaw-erased');
    toast.show('Everything on this device was deleted. Thaw starts fresh.', { ms: 8000 });
  }
  let journal;
  try {
    journal = await openJournal();
  } catch (error) {
    $('checkin-root').textContent = 'This browser will not let Thaw keep check-ins on the device '
      + `(${error.message}). In a private window, storage is often switched off.`;
    return;
  }

  // Open, build, show: three short tasks, not one long one.
  const nextTask = () => new Promise((resolve) => { setTimeout(resolve, 0); });
  await nextTask();

  const lock = journal.lock;
  // Locked: the lock screen (or the sealed check-in) until unlocked; nothing of the journal is read.
  if (lock.locked()) document.body.dataset.locked = '';
  const lockButton = $('lock-now');
  const showLockButton = () => { lockButton.hidden = !lock.on() || lock.locked(); };
  /** Lock: the page reloads, so the data key and everything decrypted leave memory with it. */
  const lockNow = () => {
    lock.announce();
    history.replaceState(null, '', `${location.pathname}#lock`);
    location.reload();
  };
  lockButton.addEventListener('click', lockNow);
  // Another tab turned the lock on or off, or locked: this one starts again from the disk.
  lock.onChangedElsewhere(() => location.reload());
  showLockButton();

  /** True once: after the third check-in, if reminders were never offered (nor set up). */
  async function offerReminders() {
    if (lock.locked() || (await journal.count()) !== 3) return false;
    // Never offered where they cannot work (no Push API, e.g. WebKitGTK): a dead end otherwise.
    if (!(await import('./ui/reminders.js')).remindable()) return false;
    if (await journal.setting('reminderOffered', false) || await journal.setting('reminder', null)) return false;
    await journal.setSettings({ reminderOffered: true });
    return true;
  }

  /** The install hint's card, or null (ui/install-hint.js decides: a later day, in a tab, once).
   * Chromium's own dialog is kept by the page's start script as `thawInstall` (it can be offered
   * before this module runs), for the hint rather than the browser's moment of choice. */
  const offerInstall = async () => (lock.locked() || standalone() ? null
    : (await import('./ui/install-hint.js')).installOffer({ journal, prompt: window.thawInstall ?? null }));
  window.addEventListener('appinstalled', () => journal.setSettings({ installHintDone: true })); // installed: done

  const leaveEditor = () => {
    if (navigated) history.back(); else location.replace('#history');
  };
  const history_ = lazy(async () => {
    const { createHistory } = await import('./ui/history.js');
    const view = createHistory({ journal });
    $('history-root').replaceChildren(view.element);
    return view;
  });
  let suggestionTurn = 0; // a suggestion still loading is dropped once a new check-in starts
  const checkin = createCheckin({
    journal,
    toast,
    title: $('checkin-title'),
    hint: $('checkin-hint'),
    onSaved: (entry, wasEditing) => {
      if (wasEditing) { leaveEditor(); return; }
      // The moment repeats "Saved: …" (not "Saved and sealed"): that toast can step back.
      const savedToast = lock.locked() ? null : toast.current();
      askToPersist().catch(() => {});
      const turn = ++suggestionTurn;
      if (!lock.locked()) import('./ui/reminders.js').then(({ reportCheckIn }) => reportCheckIn(journal)).catch(() => {});
      // The moment after Save, at the top with a fresh wheel below it; the practice if it loads;
      // after the third check-in, once, the offer of a gentle reminder.
      // Otherwise, on a later visit in a browser tab, once, the install hint.
      const reminding = offerReminders();
      const installing = reminding.then((offer) => (offer ? null : offerInstall())).catch(() => null);
      Promise.all([import('./ui/moment.js'), import('./practices.js'), import('./ui/practices.js'), reminding, installing, screenStyles()])
        .then(([{ momentCard, reminderOffer }, { suggest }, { suggestionCard }, offer, install]) => {
          if (turn !== suggestionTurn) return;
          const moment = momentCard(entry, lock.locked() ? null : suggestionCard(suggest(entry), {}),
            offer ? reminderOffer({ onNo: () => journal.setSettings({ reminderOffered: true }) }) : install);
          $('suggestion-slot').replaceChildren(moment);
          toast.quiet(savedToast);
          const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
          $('view-checkin').scrollIntoView({ block: 'start', behavior: still ? 'auto' : 'smooth' });
          moment.focus({ preventScroll: true });
        }).catch(() => {}); // offline before the worker cached it: the toast said it was saved
    },
    onCancel: leaveEditor,
    onDelete: async (entry) => {
      const sure = await confirmOnce({
        title: 'Delete this check-in?',
        body: 'It will be removed here and, if you sync, from your other devices too.',
        confirm: 'Delete',
      });
      if (!sure) return;
      const previous = await journal.remove(entry.id);
      checkin.startNew();
      leaveEditor();
      toast.show('Check-in deleted.', {
        ms: 8000,
        action: {
          label: 'Undo',
          run: async () => {
            await journal.restore(previous);
            if (parseRoute(location.hash).view === 'history') await (await history_()).render();
            toast.show('Check-in restored.');
          },
        },
      });
    },
  });
  await nextTask();
  $('checkin-root').replaceChildren(h('div', { id: 'suggestion-slot' }), checkin.element);
  // A new check-in starting puts the last suggestion away.
  checkin.element.addEventListener('click', (event) => {
    if (event.target.closest('.wheel')) { suggestionTurn += 1; $('suggestion-slot').replaceChildren(); }
  });
  const patterns = lazy(async () => {
    const { createPatterns } = await import('./ui/patterns.js');
    const view = createPatterns({ journal });
    $('patterns-root').replaceChildren(view.element);
    return view;
  });
  const practices = lazy(async () => {
    const { createPractices } = await import('./ui/practices.js');
    const view = createPractices();
    $('practices-root').replaceChildren(view.element);
    return view;
  });
  const summary = lazy(async () => {
    const { createSummary } = await import('./ui/summary.js');
    const view = createSummary({ journal });
    $('summary-root').replaceChildren(view.element);
    return view;
  });

  journal.onLocalChange(() => checkin.refreshChoices()); // e.g. own tags brought in by an import
  // The worker saved a reminder's "Numb" while Thaw was open: it joins the journal now.
  navigator.serviceWorker?.addEventListener('message', async (event) => {
    if (event.data?.type !== 'inbox') return;
    await journal.joinWaiting();
    const { view } = parseRoute(location.hash);
    if (view === 'history' && history_.loaded()) (await history_()).render();
  });
  // Changes whose clock was far in the future were set aside (never stored): said once, calmly.
  journal.onSetAside(({ count, source }) => {
    const n = count.toLocaleString('en');
    toast.show(source === 'import'
      ? `${n} ${count === 1 ? 'check-in' : 'check-ins'} in the file ${count === 1 ? 'was' : 'were'} ignored because ${count === 1 ? 'its' : 'their'} time was far in the future.`
      : `${n} ${count === 1 ? 'change' : 'changes'} from another device ${count === 1 ? 'was' : 'were'} ignored because ${count === 1 ? 'its' : 'their'} time was far in the future.`,
    { ms: 10000 });
  });
  // Sync (and its crypto) loads at start only on a paired device (autosync keeps the pairing in
  // the 'pairing' setting), else when Settings opens.
  const sync = lazy(async () => {
    const [{ createAutoSync }, { defaultName }] = await Promise.all([
      import('./autosync.js'), import('./devices.js')]);
    const autoSync = createAutoSync({ journal, deviceName: () => defaultName(navigator.userAgent, {
      mobile: navigator.userAgentData?.mobile ?? null,
      coarse: matchMedia('(pointer: coarse)').matches,
      width: Math.min(screen.width, screen.height),
    }) });
    autoSync.onMerged(async () => {
      // What Patterns read before the merge is out of date, whatever the view.
      if (patterns.loaded()) (await patterns()).forget();
      const { view, param } = parseRoute(location.hash);
      if (view === 'history' && history_.loaded()) (await history_()).render();
      if (view === 'patterns' && patterns.loaded()) (await patterns()).render();
      if (view === 'checkin' && !param && !checkin.isEditing()) checkin.refreshChoices();
    });
    let shownMessage = '';
    autoSync.onStatus((state) => {
      // A pairing deleted elsewhere is worth one calm line wherever the person is.
      if (state.kind === 'deleted' && state.message && state.message !== shownMessage) toast.show(state.message, { ms: 10000 });
      shownMessage = state.message;
    });
    await autoSync.start();
    return autoSync;
  });
  const settings = lazy(async () => {
    const [{ createSettings }, { createDataSection }, { createLockSettings }, { createRemindersSection }, autoSync] = await Promise.all([
      import('./ui/settings.js'), import('./ui/data.js'), import('./ui/lock-settings.js'), import('./ui/reminders.js'), sync()]);
    const view = createSettings({ sync: autoSync, toast, countCheckins: () => journal.count() });
    const lockSection = createLockSettings({ journal, toast, lockNow, onChange: showLockButton });
    $('settings-root').replaceChildren(view.element, createRemindersSection({ journal, toast }).element,
      lockSection.element, createDataSection({ journal, toast }).element);
    return view;
  });

  // Auto-lock: in the background longer than the chosen time (0 = at once) → locked.
  let hiddenAt = null;
  let autoLockTimer = null;
  document.addEventListener('visibilitychange', () => {
    if (!lock.on() || lock.locked()) return;
    const limit = lock.state().autoLock * 60_000;
    if (document.visibilityState === 'hidden') {
      hiddenAt = Date.now();
      if (limit === 0) lockNow();
      else autoLockTimer = setTimeout(lockNow, limit);
    } else {
      clearTimeout(autoLockTimer);
      if (hiddenAt !== null && Date.now() - hiddenAt >= limit) lockNow();
      hiddenAt = null;
    }
  });

  // A pairing link (#pair=<key>) opens the join screen, which asks first; the key leaves the
  // address bar and the history entry at once, so a reload or Back never asks again.
  const takePairingLink = () => {
    if (!location.hash.startsWith('#pair=')) return null;
    const link = location.href;
    history.replaceState(null, '', `${location.pathname}#settings`);
    return link;
  };
  let pairingLink = takePairingLink();
  let wanted = location.hash;
  if (lock.locked()) history.replaceState(null, '', `${location.pathname}#lock`);
  const lockScreen = lazy(async () => {
    const { createLockScreen } = await import('./ui/lock-screen.js');
    const view = createLockScreen({ journal, onUnlocked });
    $('lock-root').replaceChildren(view.element);
    return view;
  });
  async function onUnlocked() {
    delete document.body.dataset.locked;
    $('lock-root').replaceChildren();
    showLockButton();
    checkin.refreshChoices();
    const target = parseRoute(wanted).view === 'lock' ? '#checkin' : (wanted || '#checkin');
    wanted = null;
    if (location.hash === target) await route(); else location.replace(target);
    if (pairingLink) (await settings()).joinFromLink(pairingLink);
    else if (await journal.setting('pairing', null)) sync();
    pairingLink = null;
  }

  async function route() {
    let { view } = parseRoute(location.hash);
    try {
      view = await show();
    } catch (error) {
      // Only a module that could not be fetched (offline, not cached yet) is answered here.
      if (!(error instanceof TypeError && /import|fetch/i.test(error.message))) throw error;
      $(`${view}-root`)?.replaceChildren(h('p', { class: 'card' },
        'This part of Thaw has not been saved on this device yet, and there is no connection. '
        + 'It will open once you are back online; your check-ins are safe.'));
    }
    document.body.dataset.ready = view;
  }
  /** Show the route's view and return its name (the lock screen's while locked). */
  async function show() {
    const { view, param } = parseRoute(location.hash);
    $('checkin-locked').hidden = !lock.locked();
    // Locked: only the lock screen, the sealed check-in, and support (it holds nothing of the journal).
    if (view !== 'checkin') await screenStyles(); // before the view shows: never unstyled
    if (lock.locked() && view !== 'checkin' && view !== 'support') {
      showView('lock');
      (await lockScreen()).focus();
      return 'lock';
    }
    if (view === 'lock') { location.replace('#checkin'); return 'checkin'; }
    showView(view, { editing: view === 'checkin' && Boolean(param) && !lock.locked() });
    if (view === 'checkin' && param && lock.locked()) {
      checkin.startNew();
    } else if (view === 'checkin' && param) {
      const entry = await journal.get(param);
      if (entry && !entry.deleted) checkin.edit(entry);
      else { toast.show('That check-in is no longer here.'); location.replace('#history'); }
    } else if (view === 'checkin') {
      checkin.startNew();
    } else if (view === 'history') {
      await (await history_()).render();
    } else if (view === 'patterns') {
      await (await patterns()).render();
    } else if (view === 'practices') {
      (await practices()).show(param);
    } else if (view === 'summary') {
      await (await summary()).render();
    } else if (view === 'settings') {
      await settings();
      if (param === 'reminders') $('reminders-title')?.scrollIntoView({ block: 'start' });
    }
    if (view !== 'practices' && practices.loaded()) (await practices()).leave();
    if (view !== 'checkin') $('suggestion-slot').replaceChildren();
    return view;
  }
  window.addEventListener('hashchange', () => {
    const link = takePairingLink();
    if (link && lock.locked()) { pairingLink = link; route(); return; } // asked after the unlock
    if (link) {
      route().then(async () => (await settings()).joinFromLink(link));
      return;
    }
    navigated = true;
    document.body.dataset.navigated = ''; // from now on a newly shown view fades in
    route().then(() => $(`${document.body.dataset.ready}-title`)?.focus({ preventScroll: false }));
  });
  await route();
  if (lock.locked()) return; // sync and a pairing link wait for the unlock
  if (pairingLink) (await settings()).joinFromLink(pairingLink);
  else if (await journal.setting('pairing', null)) sync();
}

// The worker precaches every file, lazily loaded ones included, so it starts only once the first
// screen is shown: its downloads never compete with what the person is waiting for.
boot()
  .catch((error) => console.error(error))
  .then(afterFirstPaint)
  .then(() => registerServiceWorker({ banner: $('update-banner'), button: $('update-reload') }))
  .catch((error) => console.warn('Offline support is not available here:', error.message));
