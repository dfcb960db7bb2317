// Boots Thaw: opens the journal, builds the views, routes by location.hash, registers the worker.
import { createAutoSync } from './autosync.js';
import { defaultName } from './devices.js';
import { openJournal } from './journal.js';
import { suggest } from './practices.js';
import { parseRoute, TABS, VIEWS } from './routes.js';
import { createCheckin } from './ui/checkin.js';
import { createHistory } from './ui/history.js';
import { createPatterns } from './ui/patterns.js';
import { createPractices, suggestionCard } from './ui/practices.js';
import { createDataSection } from './ui/data.js';
import { createSettings } from './ui/settings.js';
import { createSummary } from './ui/summary.js';
import { h } from './ui/dom.js';
import { confirmOnce, createToast } from './ui/toast.js';
import { registerServiceWorker } from './ui/update.js';

const $ = (id) => document.getElementById(id);
let navigated = false; // true once the person has moved inside the app (so Back stays in it)

const PARENT_TAB = { practices: 'patterns', support: 'settings', summary: 'settings' };

function showView(name) {
  for (const view of VIEWS) $(`view-${view}`).hidden = view !== name;
  const current = TABS.includes(name) ? name : PARENT_TAB[name];
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
  let journal;
  try {
    journal = await openJournal();
  } catch (error) {
    $('checkin-root').textContent = 'This browser will not let Thaw keep check-ins on the device '
      + `(${error.message}). In a private window, storage is often switched off.`;
    return;
  }

  const leaveEditor = () => {
    if (navigated) history.back(); else location.replace('#history');
  };
  const history_ = createHistory({ journal });
  const checkin = createCheckin({
    journal,
    toast,
    title: $('checkin-title'),
    hint: $('checkin-hint'),
    onSaved: (entry, wasEditing) => {
      if (wasEditing) { leaveEditor(); return; }
      askToPersist().catch(() => {});
      $('suggestion-slot').replaceChildren(suggestionCard(suggest(entry), {}));
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
            if (parseRoute(location.hash).view === 'history') await history_.render();
            toast.show('Check-in restored.');
          },
        },
      });
    },
  });
  $('checkin-root').replaceChildren(h('div', { id: 'suggestion-slot' }), checkin.element);
  $('history-root').replaceChildren(history_.element);
  // A new check-in starting puts the last suggestion away.
  checkin.element.addEventListener('click', (event) => {
    if (event.target.closest('.wheel')) $('suggestion-slot').replaceChildren();
  });
  const patterns = createPatterns({ journal });
  $('patterns-root').replaceChildren(patterns.element);
  const practices = createPractices();
  $('practices-root').replaceChildren(practices.element);

  journal.onLocalChange(() => checkin.refreshChoices()); // e.g. own tags brought in by an import
  const sync = createAutoSync({ journal, deviceName: () => defaultName(navigator.userAgent, {
    mobile: navigator.userAgentData?.mobile ?? null,
    coarse: matchMedia('(pointer: coarse)').matches,
    width: Math.min(screen.width, screen.height),
  }) });
  const settings = createSettings({ sync, toast, countCheckins: () => journal.count() });
  // Changes whose clock was far in the future were set aside (never stored): said once, calmly.
  journal.onSetAside(({ count, source }) => {
    const n = count.toLocaleString('en');
    toast.show(source === 'import'
      ? `${n} ${count === 1 ? 'check-in' : 'check-ins'} in the file ${count === 1 ? 'was' : 'were'} ignored because ${count === 1 ? 'its' : 'their'} time was far in the future.`
      : `${n} ${count === 1 ? 'change' : 'changes'} from another device ${count === 1 ? 'was' : 'were'} ignored because ${count === 1 ? 'its' : 'their'} time was far in the future.`,
    { ms: 10000 });
  });
  $('settings-root').replaceChildren(settings.element, createDataSection({ journal, toast }).element);
  const summary = createSummary({ journal });
  $('summary-root').replaceChildren(summary.element);
  sync.onMerged(() => {
    patterns.forget(); // what Patterns read before the merge is out of date, whatever the view
    const { view, param } = parseRoute(location.hash);
    if (view === 'history') history_.render();
    if (view === 'patterns') patterns.render();
    if (view === 'checkin' && !param && !checkin.isEditing()) checkin.refreshChoices();
  });
  let shownMessage = '';
  sync.onStatus((state) => {
    // A pairing deleted elsewhere is worth one calm line wherever the person is.
    if (state.kind === 'deleted' && state.message && state.message !== shownMessage) toast.show(state.message, { ms: 10000 });
    shownMessage = state.message;
  });

  // A pairing link (#pair=<key>) opens the join screen, which asks first; the key leaves the
  // address bar and the history entry at once, so a reload or Back never asks again.
  const takePairingLink = () => {
    if (!location.hash.startsWith('#pair=')) return null;
    const link = location.href;
    history.replaceState(null, '', `${location.pathname}#settings`);
    return link;
  };
  const pairingLink = takePairingLink();

  async function route() {
    const { view, param } = parseRoute(location.hash);
    showView(view);
    if (view === 'checkin' && param) {
      const entry = await journal.get(param);
      if (entry && !entry.deleted) checkin.edit(entry);
      else { toast.show('That check-in is no longer here.'); location.replace('#history'); }
    } else if (view === 'checkin') {
      checkin.startNew();
    } else if (view === 'history') {
      await history_.render();
    } else if (view === 'patterns') {
      await patterns.render();
    } else if (view === 'practices') {
      practices.show(param);
    } else if (view === 'summary') {
      await summary.render();
    }
    if (view !== 'practices') practices.leave();
    if (view !== 'checkin') $('suggestion-slot').replaceChildren();
    document.body.dataset.ready = view;
  }
  window.addEventListener('hashchange', () => {
    const link = takePairingLink();
    if (link) {
      route().then(() => settings.joinFromLink(link));
      return;
    }
    navigated = true;
    route().then(() => $(`${parseRoute(location.hash).view}-title`).focus({ preventScroll: false }));
  });
  await route();
  await sync.start();
  if (pairingLink) await settings.joinFromLink(pairingLink);
}

boot();
registerServiceWorker({ banner: $('update-banner'), button: $('update-reload') })
  .catch((error) => console.warn('Offline support is not available here:', error.message));
