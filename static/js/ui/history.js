// History: newest first, grouped by day, a page at a time so thousands of entries stay quick.
import { INTENSITY_LABELS, core as coreById, regionLabel } from '../feelings.js';
import { h } from './dom.js';

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

function bodyText(body) {
  return body.map(({ region, sensations }) =>
    (sensations.length ? `${regionLabel(region)} (${sensations.join(', ')})` : regionLabel(region))).join(', ');
}

export function entryCard(entry) {
  const c = coreById(entry.feeling.core);
  const at = new Date(entry.at);
  const time = at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const name = entry.feeling.word ? `${c.label} · ${entry.feeling.word}` : c.label;
  return h('li', { class: 'entry', dataset: { id: entry.id } },
    h('a', { class: 'entry-card', href: `#checkin/${entry.id}`, style: { '--fill': c.light, '--fill-dark': c.dark } },
      h('span', { class: 'swatch', 'aria-hidden': 'true' }),
      h('span', { class: 'entry-main' },
        h('span', { class: 'entry-top' },
          h('strong', { class: 'entry-feeling' }, name),
          h('time', { datetime: entry.at, class: 'entry-time' }, time)),
        entry.intensity ? h('span', { class: 'entry-intensity' },
          `Intensity ${entry.intensity} of 5 — ${INTENSITY_LABELS[entry.intensity - 1]}`) : null,
        entry.body.length ? h('span', { class: 'entry-body' }, `Body: ${bodyText(entry.body)}`) : null,
        entry.tags.length ? h('span', { class: 'entry-tags' }, entry.tags.map((t) => `#${t}`).join(' ')) : null,
        entry.note ? h('span', { class: 'entry-note' }, entry.note) : null,
        h('span', { class: 'visually-hidden' }, '. Edit')),
    ));
}

export function createHistory({ journal }) {
  const list = h('div', { class: 'history-days' });
  const more = h('button', { type: 'button', class: 'button', hidden: true }, 'Show earlier check-ins');
  const empty = h('p', { class: 'empty-state', hidden: true },
    'No check-ins yet. When you check in, it will be kept here, on this device.');
  const element = h('div', { class: 'history' }, empty, list, more);
  let cursor = null;
  let lastDay = null;
  let lastList = null;
  let generation = 0; // a newer render makes older, still-loading pages stand down

  more.addEventListener('click', () => loadPage());

  function append(entries) {
    for (const entry of entries) {
      const at = new Date(entry.at);
      const key = dayKey(at);
      if (key !== lastDay) {
        lastDay = key;
        lastList = h('ul', { class: 'entries' });
        list.append(h('section', { class: 'day', 'aria-label': dayTitle(at) },
          h('h3', { class: 'day-title' }, dayTitle(at)), lastList));
      }
      lastList.append(entryCard(entry));
    }
  }

  async function loadPage() {
    const mine = generation;
    const page = await journal.page({ limit: PAGE, after: cursor });
    if (mine !== generation) return;
    append(page.entries);
    cursor = page.cursor;
    more.hidden = !cursor;
  }

  return {
    element,
    /** Draw the first page again, from what is stored now. */
    async render() {
      generation += 1;
      const mine = generation;
      const page = await journal.page({ limit: PAGE });
      if (mine !== generation) return;
      cursor = lastDay = lastList = null;
      list.replaceChildren();
      append(page.entries);
      cursor = page.cursor;
      more.hidden = !cursor;
      empty.hidden = page.entries.length > 0;
    },
  };
}
