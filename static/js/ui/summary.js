// A printable summary for a therapist or a trusted person: a chosen period's calendar, most
// named feelings and body map, and notes only if the person ticks them. The browser prints it
// or saves it as PDF.
import { regionLabel } from '../feelings.js';
import { PERIODS, addDays, bodyMap, calendar, dayOf, inPeriod, localToday, mostNamed } from '../stats.js';
import { bars, bodyFigure, calendarGrid, coreLabel, fill, fmtDay, plural } from './charts.js';
import { choiceChips } from './chips.js';
import { h } from './dom.js';

export function createSummary({ journal }) {
  let period = '30';
  let withNotes = false;
  let entries = [];
  const page = h('div', { class: 'summary-page' });
  const notes = h('input', { type: 'checkbox', id: 'summary-notes' });
  const periods = choiceChips({
    label: 'Period', required: true,
    options: Object.entries(PERIODS).map(([value, text]) => ({ value, text })),
    onChange: (value) => { period = value; draw(); },
  });
  periods.set(period);
  notes.addEventListener('change', () => { withNotes = notes.checked; draw(); });
  const print = h('button', { type: 'button', class: 'button primary', onclick: () => window.print() }, 'Print or save as PDF');
  const controls = h('div', { class: 'card no-print summary-controls' },
    h('p', { class: 'period-label' }, 'Summary of:'), periods.element,
    h('label', { class: 'check' }, notes, ' Include my notes'),
    h('div', { class: 'button-row' }, print, h('a', { class: 'button quiet', href: '#settings' }, 'Back to Settings')));
  const element = h('div', { class: 'summary' }, controls, page);

  function draw() {
    const today = localToday();
    const list = inPeriod(entries, period, today).sort((a, b) => (a.at < b.at ? -1 : 1));
    const first = period === 'all' ? (list[0] ? dayOf(list[0]) : today) : addDays(today, -(Number(period) - 1));
    const days = Math.round((Date.parse(today) - Date.parse(first)) / 86_400_000) + 1;
    const weeks = Math.min(53, Math.max(1, Math.ceil((days + 6) / 7)));
    const named = mostNamed(list);
    const regions = bodyMap(list);
    const noted = list.filter((e) => e.note);
    // Sections left out (notes not ticked) are null: append only what is there, never "null".
    page.replaceChildren(...[
      h('header', { class: 'summary-head' },
        h('h3', {}, 'Thaw — a summary of check-ins'),
        h('p', {}, `${fmtDay(first, { day: 'numeric', month: 'long', year: 'numeric' })} to ${fmtDay(today, { day: 'numeric', month: 'long', year: 'numeric' })} · ${plural(list.length, 'check-in')}`),
        h('p', { class: 'hint' }, 'Feelings as the person named them, in their own time. Not a diagnosis or a score.')),
      h('section', { class: 'card', 'aria-labelledby': 'sum-cal' },
        h('h4', { id: 'sum-cal' }, weeks === 53 && days > 371 ? 'Calendar (last year of the period)' : 'Calendar'),
        calendarGrid(calendar(list, today, weeks), { today, label: `Calendar: ${plural(new Set(list.map(dayOf)).size, 'day')} with a feeling named` })),
      h('section', { class: 'card', 'aria-labelledby': 'sum-named' },
        h('h4', { id: 'sum-named' }, 'Most named feelings'),
        list.length ? bars(named.cores.map((c) => ({ label: coreLabel(c.core), count: c.count, colour: fill(c.core) }))) : h('p', {}, 'No check-ins in this period.'),
        named.words.length ? h('p', {}, `Words: ${named.words.slice(0, 12).map((w) => `${w.word} (${w.count})`).join(', ')}.`) : null),
      h('section', { class: 'card', 'aria-labelledby': 'sum-body' },
        h('h4', { id: 'sum-body' }, 'Where in the body'),
        h('div', { class: 'body-heat' }, bodyFigure(regions),
          h('ul', { class: 'region-list' }, regions.length ? regions.map((r) => h('li', {},
            `${regionLabel(r.region)}: ${plural(r.count, 'time')}${r.sensations.length ? ` — ${r.sensations.map((s) => `${s.word} (${s.count})`).join(', ')}` : ''}`))
            : h('li', {}, 'No body places named.')))),
      withNotes ? h('section', { class: 'card', 'aria-labelledby': 'sum-notes' },
        h('h4', { id: 'sum-notes' }, `Notes (${noted.length})`),
        h('ul', { class: 'summary-notes' }, noted.map((e) => h('li', {},
          h('strong', {}, `${fmtDay(dayOf(e), { day: 'numeric', month: 'short' })} ${e.at.slice(11, 16)} · ${coreLabel(e.feeling.core)}${e.feeling.word ? ` · ${e.feeling.word}` : ''}: `),
          e.note)))) : null,
    ].filter(Boolean));
  }

  return {
    element,
    async render() {
      entries = (await journal.all()).filter((e) => !e.deleted);
      draw();
    },
  };
}
