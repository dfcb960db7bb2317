// Pictures shared by Patterns and the printable summary: bars, the calendar grid, the body map.
import { core as coreById } from '../feelings.js';
import { WEEKDAYS } from '../stats.js';
import { SHAPES } from './body.js';
import { h, svg } from './dom.js';

export const fmtDay = (day, options = { weekday: 'long', day: 'numeric', month: 'long' }) =>
  new Date(`${day}T12:00:00Z`).toLocaleDateString(undefined, { ...options, timeZone: 'UTC' });
export const coreLabel = (id) => coreById(id)?.label ?? id;
export const plural = (n, one, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** CSS variables with a core's fills, for light and dark. */
export function fill(id) {
  const c = coreById(id);
  return c ? { '--fill': c.light, '--fill-dark': c.dark } : null;
}

/** Horizontal bars; each row is a label, a bar (colour plus length) and the number. */
export function bars(rows, { max = Math.max(1, ...rows.map((r) => r.count)) } = {}) {
  return h('ul', { class: 'bars' }, rows.map((row) => h('li', { class: 'bar-row' },
    h('span', { class: 'bar-label' }, row.label),
    h('span', { class: 'bar-track', 'aria-hidden': 'true' },
      h('span', { class: `bar ${row.colour ? 'coloured' : ''}`, style: { width: `${(100 * row.count) / max}%`, ...(row.colour ?? {}) } })),
    h('span', { class: 'bar-value' }, row.count.toLocaleString('en')))));
}

/** A text version of a picture, for screen readers and for anyone who prefers words. */
export function asText(items) {
  return h('details', { class: 'as-text' },
    h('summary', {}, 'Show as text'),
    h('ul', {}, items.map((item) => h('li', {}, item))));
}

function cellStyle(cell) {
  if (!cell.count) return {};
  const style = {};
  const n = cell.cores.length;
  const stops = cell.cores.map((id, i) => {
    const c = coreById(id);
    style[`--c${i}-light`] = c.light;
    style[`--c${i}-dark`] = c.dark;
    return `var(--c${i}) ${(100 * i) / n}% ${(100 * (i + 1)) / n}%`;
  });
  style['--stripes'] = `linear-gradient(135deg, ${stops.join(', ')})`;
  return style;
}

/**
 * Weeks as rows, Monday first; each day filled with the colours of the feelings named that day.
 * `onDay` makes the days buttons (tap to list that day); without it the grid is one picture.
 */
export function calendarGrid(rows, { today, onDay = null, label, compact = false }) {
  const interactive = Boolean(onDay);
  // Interactive: a labelled group of day buttons (Tab moves between days that have check-ins).
  return h('div', {
    class: `calendar ${compact ? 'year' : ''}`, role: interactive ? 'group' : 'img', 'aria-label': label,
  },
  h('div', { class: 'cal-head', 'aria-hidden': 'true' }, WEEKDAYS.map((d) => h('span', {}, d))),
  rows.map((row) => h('div', { class: 'cal-row' }, row.days.map((cell) => {
    const text = cell.count
      ? `${fmtDay(cell.day)}: ${cell.cores.map(coreLabel).join(', ')} (${plural(cell.count, 'check-in')})`
      : `${fmtDay(cell.day)}: nothing named`;
    const classes = ['cal-day', cell.count ? 'named' : 'empty', cell.numb && 'numb', cell.future && 'future', cell.day === today && 'today']
      .filter(Boolean).join(' ');
    const number = h('span', { class: 'cal-num', 'aria-hidden': 'true' }, String(Number(cell.day.slice(8))));
    if (!interactive) return h('span', { class: classes, style: cellStyle(cell), title: text }, compact ? null : number);
    return h('span', {}, h('button', {
      type: 'button', class: classes, style: cellStyle(cell), 'aria-label': text,
      disabled: cell.future || !cell.count, dataset: { day: cell.day }, onclick: () => onDay(cell.day),
    }, number));
  }))));
}

/** The body outline shaded by how often each place was named ("all over" shades all of it). */
export function bodyFigure(regions) {
  const max = Math.max(1, ...regions.map((r) => r.count));
  const count = (id) => regions.find((r) => r.region === id)?.count ?? 0;
  const allOver = count('all-over');
  return svg('svg', { viewBox: '0 0 120 240', class: 'body-figure heat', 'aria-hidden': 'true' },
    Object.entries(SHAPES).map(([region, make]) => {
      const shape = make();
      const n = count(region) + allOver;
      shape.style.setProperty('--heat', String(Math.min(1, n / max)));
      if (n) shape.classList.add('on');
      return shape;
    }));
}
