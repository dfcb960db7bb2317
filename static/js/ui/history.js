// History: newest first, grouped by day, a page at a time so thousands of entries stay quick.
// Each check-in is one compact row (its colour, word, time, the first line of its note), and a
// search at the top finds check-ins by word, tag or note (search.js) among all of them.
import { INTENSITY_LABELS, core as coreById } from '../feelings.js';
import { find, indexEntries, notePreview } from '../search.js';
import { h, svg } from './dom.js';

const PAGE = 50;

function dayKey(date) {
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

function dayTitle(date, today = new Date()) {
  const yesterday = new Date(today);
  yesterday.setDate(today.getDate() - 1);
  if (dayKey(date) === dayKey(today)) return 'Today';
  if (dayKey(date) === dayKey(yesterday)) return 'Yesterday';
  const sameYear = date.getFullYear() === today.getFullYear();
  return date.toLocaleDateString(undefined, {
    weekday: 'long', day: 'numeric', month: 'long', year: sameYear ? undefined : 'numeric',
  });
}

/**
 * One check-in as a compact row that opens it for editing: its colour (a dot; the core is said in
 * words too), core · word, time, the note from its first line on, clipped to one line (in search
 * results, from near what matched) and, small, how strong and the tags.
 */
export function entryRow(entry, { query = '' } = {}) {
  const c = coreById(entry.feeling.core);
  const at = new Date(entry.at);
  const time = at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const { word } = entry.feeling;
  const line = notePreview(entry.note, query);
  const level = entry.intensity;
  const sep = (text) => h('span', { class: 'visually-hidden' }, text); // pauses for screen readers
  return h('li', { class: 'entry', dataset: { id: entry.id } },
    h('a', { class: 'entry-card', href: `#checkin/${entry.id}`, style: { '--fill': c.light } },
      h('span', { class: 'entry-dot', 'aria-hidden': 'true' }),
      h('span', { class: 'entry-main' },
        h('span', { class: 'entry-top' },
          word
            ? h('span', { class: 'entry-feeling' }, h('span', { class: 'entry-core' }, c.label),
              h('span', { class: 'entry-sep' }, ' · '), h('strong', { class: 'entry-word' }, word))
            : h('span', { class: 'entry-feeling' }, h('strong', { class: 'entry-word' }, c.label)),
          sep(', '),
          h('time', { datetime: entry.at, class: 'entry-time' }, time)),
        line ? sep(', ') : null,
        line ? h('span', { class: 'entry-note' }, line) : null,
        level || entry.tags.length ? h('span', { class: 'entry-meta' },
          level ? h('span', { class: 'entry-intensity' },
            h('span', { class: 'pips', 'aria-hidden': 'true' },
              [1, 2, 3, 4, 5].map((i) => h('span', { class: i <= level ? 'pip on' : 'pip' }))),
            sep(`, Intensity ${level} of 5 — ${INTENSITY_LABELS[level - 1]}`)) : null,
          entry.tags.length ? h('span', { class: 'entry-tags' }, sep(', '), entry.tags.map((t) => `#${t}`).join(' ')) : null) : null),
      sep('. Edit')));
}

/** A row for a check-in (Patterns lists a day's check-ins with it too). */
export const entryCard = (entry) => entryRow(entry);

const plural = (n, one, many) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

export function createHistory({ journal }) {
  const input = h('input', {
    id: 'history-search', type: 'search', class: 'search-input', placeholder: 'Search words, tags, notes',
    autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', enterkeyhint: 'search',
  });
  const clear = h('button', { type: 'button', class: 'search-clear', 'aria-label': 'Clear search', hidden: true },
    svg('svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true' }, svg('path', { d: 'M7 7l10 10M17 7L7 17' })));
  const form = h('form', { class: 'history-search', role: 'search', hidden: true },
    h('label', { for: 'history-search', class: 'visually-hidden' }, 'Search check-ins'),
    svg('svg', { class: 'search-icon', viewBox: '0 0 24 24', 'aria-hidden': 'true' },
      svg('circle', { cx: 10.5, cy: 10.5, r: 6 }), svg('path', { d: 'M15 15l5 5' })),
    input, clear);
  // What a search found, said once it is done (and read out: a polite status).
  const status = h('p', { class: 'search-status', role: 'status' });
  const nothingHint = h('p', { class: 'search-hint', hidden: true },
    'Search looks in feeling words, tags and notes. Try another word, or part of one.');
  const list = h('div', { class: 'history-days' });
  const more = h('button', { type: 'button', class: 'button', hidden: true }, 'Show earlier check-ins');
  const empty = h('p', { class: 'empty-state', hidden: true },
    'No check-ins yet. When you check in, it will be kept here, on this device.');
  const element = h('div', { class: 'history' }, form, status, nothingHint, empty, list, more);
  let cursor = null;
  let lastDay = null;
  let lastList = null;
  let generation = 0; // a newer render or search makes older, still-loading ones stand down
  let results = null; // the check-ins the current search found (null: the paged list shows)
  let shown = 0;
  let shownQuery = '';
  let timer = 0;

  // Everything search looks in, read once through the journal (decrypted when the lock is on)
  // and kept while nothing changes: dropped on any change made here (saves, edits, deletes,
  // imports), on render (app.js renders History after sync merges and on every visit) and
  // whenever the page is hidden, so another tab's changes and a locked phone never see an old copy.
  let rows = null;
  let version = 0;
  const forget = () => { rows = null; version += 1; };
  journal.onLocalChange(forget);
  document.addEventListener('visibilitychange', () => { if (document.hidden) forget(); });

  const query = () => input.value.trim();

  more.addEventListener('click', () => (results ? drawResults() : loadPage()));

  function append(entries, options) {
    for (const entry of entries) {
      const at = new Date(entry.at);
      const key = dayKey(at);
      if (key !== lastDay) {
        lastDay = key;
        lastList = h('ul', { class: 'entries' });
        list.append(h('section', { class: 'day', 'aria-label': dayTitle(at) },
          h('h3', { class: 'day-title' }, dayTitle(at)), lastList));
      }
      lastList.append(entryRow(entry, options));
    }
  }

  function startOver() {
    cursor = lastDay = lastList = null;
    list.replaceChildren();
    list.removeAttribute('aria-busy');
  }

  async function loadPage() {
    const mine = generation;
    const page = await journal.page({ limit: PAGE, after: cursor });
    if (mine !== generation) return;
    append(page.entries);
    cursor = page.cursor;
    more.hidden = !cursor;
  }

  async function showPaged(mine) {
    const page = await journal.page({ limit: PAGE });
    if (mine !== generation) return;
    results = null;
    startOver();
    append(page.entries);
    cursor = page.cursor;
    more.hidden = !cursor;
    empty.hidden = page.entries.length > 0;
    form.hidden = page.entries.length === 0;
    status.textContent = '';
    nothingHint.hidden = true;
  }

  async function showSearch(mine, q) {
    list.setAttribute('aria-busy', 'true');
    if (!rows) {
      const made = version;
      const entries = await journal.all();
      if (mine !== generation) return;
      const built = await indexEntries(entries);
      if (mine !== generation) return;
      if (made === version) rows = built;
      else return showSearch(mine, q); // changed while reading: read again
    }
    const found = await find(rows, q, { stale: () => mine !== generation });
    if (found === null || mine !== generation) return;
    results = found;
    shown = 0;
    shownQuery = q;
    startOver();
    drawResults();
    empty.hidden = true;
    form.hidden = false;
    status.classList.toggle('nothing', !found.length);
    status.textContent = found.length
      ? `${plural(found.length, 'check-in matches', 'check-ins match')} “${q}”`
      : `Nothing matches “${q}”`;
    nothingHint.hidden = found.length > 0;
  }

  function drawResults() {
    const next = results.slice(shown, shown + PAGE);
    append(next, { query: shownQuery });
    shown += next.length;
    more.hidden = shown >= results.length;
  }

  /** Show what the field asks for now: the search's results, or the paged list when empty. */
  function update() {
    clearTimeout(timer);
    generation += 1;
    const q = query();
    return q ? showSearch(generation, q) : showPaged(generation);
  }

  input.addEventListener('input', () => {
    clear.hidden = !input.value;
    clearTimeout(timer);
    if (!query()) update(); // cleared: the list comes straight back
    else timer = setTimeout(update, 200); // typing: search once it pauses
  });
  form.addEventListener('submit', (event) => { event.preventDefault(); update(); });
  const clearSearch = () => {
    input.value = '';
    clear.hidden = true;
    update();
    input.focus();
  };
  clear.addEventListener('click', clearSearch);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && input.value) { event.preventDefault(); clearSearch(); }
  });

  return {
    element,
    /** Draw again from what is stored now: the first page, or the search still in the field. */
    render() {
      forget();
      return update();
    },
  };
}
