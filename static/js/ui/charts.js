// Pictures shared by Patterns and the printable summary, in plain SVG and CSS grids: bars,
// stacked colour bars, weekly columns, the striped calendar, a year in pixels, the body heat map.
// Every picture is hidden from screen readers behind a one-line label; the numbers it shows are
// in a text version ("Show as text") next to it.
import { NUMB, core as coreById } from '../feelings.js';
import { WEEKDAYS } from '../stats.js';
import { SHAPES } from './body.js';
import { h, svg } from './dom.js';

// Intl formatters are costly to make (a calendar of 84 days would make 84): one per set of options.
const formatters = new Map();
const DAY_FORMAT = { weekday: 'long', day: 'numeric', month: 'long' };
export function fmtDay(day, options = DAY_FORMAT) {
  const key = JSON.stringify(options);
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'UTC' });
    formatters.set(key, format);
  }
  return format.format(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)), 12));
}
export const fmtMonth = (month, options = { month: 'long', year: 'numeric' }) => fmtDay(`${month}-15`, options);
export const coreLabel = (id) => coreById(id)?.label ?? id;
const numbers = new Intl.NumberFormat('en');
export const plural = (n, one, many = `${one}s`) => `${numbers.format(n)} ${n === 1 ? one : many}`;
export const percent = (part, whole) => `${Math.round((100 * part) / whole)}%`;

/** CSS variables with a core's fills, for light and dark. */
export function fill(id) {
  const c = coreById(id);
  return c ? { '--fill': c.light, '--fill-dark': c.dark } : null;
}

/** Set CSS variables through the CSSOM (the CSP forbids style attributes). */
function styled(el, style) {
  for (const [name, value] of Object.entries(style ?? {})) el.style.setProperty(name, value);
  return el;
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

/** The same as a table: a caption, column headings and rows of cells (first cell heads its row). */
export function asTable(caption, headings, rows) {
  return h('details', { class: 'as-text' },
    h('summary', {}, 'Show as text'),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, headings.map((text) => h('th', { scope: 'col' }, text)))),
      h('tbody', {}, rows.map(([head, ...cells]) => h('tr', {},
        h('th', { scope: 'row' }, head), cells.map((cell) => h('td', {}, cell))))))));
}

/** "Calm 40%, Sad 30%, …" — a mix of feelings in words. */
export const mixText = (cores, total) => cores.slice().sort((a, b) => b.count - a.count)
  .map((c) => `${coreLabel(c.core)} ${percent(c.count, total)}`).join(', ');

/** Swatches naming the colours a card uses (colour is never the only signal: labels go with it). */
export function legend(coreIds) {
  return h('ul', { class: 'legend', 'aria-hidden': 'true' }, coreIds.map((id) => h('li', {},
    h('span', { class: 'swatch-dot', style: fill(id) }), id === 'numb' ? NUMB.short : coreLabel(id))));
}

/**
 * One bar of 100%: the feelings in `cores` ([{core, count}], stacked in that order), widths by
 * share. Percent units keep the proportions at any width.
 */
export function stackBar(cores) {
  const total = cores.reduce((s, c) => s + c.count, 0);
  let x = 0;
  return svg('svg', { class: 'stack', 'aria-hidden': 'true', focusable: 'false' },
    total ? cores.map((c) => {
      const width = (100 * c.count) / total;
      const rect = styled(svg('rect', { x: `${x}%`, width: `${width}%`, height: '100%' }), fill(c.core));
      x += width;
      return rect;
    }) : []);
}

/**
 * Weekly columns, each the week's check-ins as 100%: the named feelings in their colours from
 * the bottom, numb / can't tell in grey on top; a week without check-ins is a faint dash.
 */
export function weekColumns(weeks) {
  const w = 100 / weeks.length;
  return svg('svg', { class: 'week-columns', viewBox: '0 0 100 100', preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' },
    weeks.map((week, i) => {
      const x = i * w + w * 0.14;
      const width = w * 0.72;
      if (!week.total) return svg('rect', { class: 'none', x, width, y: 97, height: 3 });
      let y = 100;
      const named = week.cores.filter((c) => c.core !== 'numb');
      const parts = named.map((c) => {
        const height = (100 * c.count) / week.total;
        y -= height;
        return styled(svg('rect', { x, width, y, height }), fill(c.core));
      });
      if (week.numb) parts.push(styled(svg('rect', { class: 'numb', x, width, y: 0, height: y }), fill('numb')));
      return svg('g', {}, parts);
    }));
}

/** Columns of counts (e.g. different words per month), tallest = full height. */
export function countColumns(values) {
  const max = Math.max(1, ...values);
  const w = 100 / values.length;
  return svg('svg', { class: 'count-columns', viewBox: '0 0 100 100', preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' },
    values.map((v, i) => svg('rect', {
      class: v ? '' : 'none', x: i * w + w * 0.18, width: w * 0.64,
      y: v ? 100 - (96 * v) / max : 97, height: v ? (96 * v) / max : 3,
    })));
}

/** Colours of a day's feelings as diagonal stripes (CSS variables; light and dark chosen in CSS). */
export function cellStyle(cell) {
  if (!cell.count) return {};
  const style = {};
  const n = cell.cores.length;
  const stops = cell.cores.map((id, i) => {
    const c = coreById(id);
    style[`--c${i}-light`] = c?.light ?? NUMB.light;
    style[`--c${i}-dark`] = c?.dark ?? NUMB.dark;
    return `var(--c${i}) ${(100 * i) / n}% ${(100 * (i + 1)) / n}%`;
  });
  style['--stripes'] = n === 1 ? 'var(--c0)' : `linear-gradient(135deg, ${stops.join(', ')})`;
  return style;
}

const dayText = (cell) => (cell.count
  ? `${fmtDay(cell.day)}: ${cell.cores.map(coreLabel).join(', ')} (${plural(cell.count, 'check-in')})`
  : `${fmtDay(cell.day)}: nothing named`);

/**
 * Weeks as rows, Monday first; each day filled with the colours of the feelings named that day,
 * the first of each month marked with the month's name. `onDay` makes the days with check-ins
 * buttons (tap to list that day); without it the grid is one picture.
 */
export function calendarGrid(rows, { today, onDay = null, label, compact = false }) {
  const interactive = Boolean(onDay);
  return h('div', {
    class: `calendar ${compact ? 'year' : ''}`, role: interactive ? 'group' : 'img', 'aria-label': label,
  },
  h('div', { class: 'cal-head', 'aria-hidden': 'true' }, WEEKDAYS.map((d) => h('span', {}, d))),
  rows.map((row, r) => h('div', { class: 'cal-row' }, row.days.map((cell, d) => {
    // A bright core (dark text in dark mode) among the day's colours: its number gets a backing.
    const bright = cell.count && cell.cores.some((id) => coreById(id)?.inkDark);
    const classes = ['cal-day', cell.count ? 'named' : 'empty', bright && 'bright', cell.numb && 'numb', cell.future && 'future', cell.day === today && 'today']
      .filter(Boolean).join(' ');
    const date = Number(cell.day.slice(8));
    const month = date === 1 || (r === 0 && d === 0)
      ? h('span', { class: 'cal-month', 'aria-hidden': 'true' }, fmtDay(cell.day, { month: 'short' })) : null;
    const number = h('span', { class: 'cal-num', 'aria-hidden': 'true' }, String(date));
    if (!interactive) return h('span', { class: classes, style: cellStyle(cell), title: dayText(cell) }, compact ? null : [month, number]);
    if (!cell.count) return h('span', { class: classes }, month, number);
    return h('button', {
      type: 'button', class: classes, style: cellStyle(cell), 'aria-label': dayText(cell),
      dataset: { day: cell.day }, onclick: () => onDay(cell.day),
    }, month, number);
  }))));
}

/**
 * A year in pixels: 12 month columns × 31 day rows, each day in the colours of what was named;
 * one picture that fits one phone screen.
 */
export function yearGrid(months, { label, today }) {
  const cells = [h('span', { class: 'px-corner' })];
  for (let d = 1; d <= 31; d++) {
    cells.push(h('span', { class: 'px-daynum' }, d === 1 || d % 5 === 0 ? String(d) : ''));
  }
  for (const { month, days } of months) {
    cells.push(h('span', { class: 'px-month' }, fmtMonth(month, { month: 'narrow' })));
    for (let d = 0; d < 31; d++) {
      const cell = days[d];
      if (!cell) cells.push(h('span', { class: 'px none' }));
      else {
        const classes = ['px', cell.count ? 'named' : 'empty', cell.numb && 'numb', cell.day > today && 'future', cell.day === today && 'today'];
        cells.push(h('span', { class: classes.filter(Boolean).join(' '), style: cellStyle(cell) }));
      }
    }
  }
  return h('div', { class: 'year-pixels', role: 'img', 'aria-label': label }, cells);
}

/**
 * The body outline as a heat map: each place shaded by how often it was named ("all over"
 * counts for every place), in the colour of the feeling named most there, or of `core`.
 */
export function bodyFigure(regions, { core = null } = {}) {
  const max = Math.max(1, ...regions.map((r) => r.count));
  const byRegion = new Map(regions.map((r) => [r.region, r]));
  const allOver = byRegion.get('all-over');
  return svg('svg', { viewBox: '0 0 120 240', class: 'body-figure heat', 'aria-hidden': 'true', focusable: 'false' },
    Object.entries(SHAPES).map(([region, make]) => {
      const shape = make();
      const here = byRegion.get(region);
      const n = (here?.count ?? 0) + (allOver?.count ?? 0);
      if (!n) return shape;
      const colours = core ? [{ core, count: n }] : [...(here?.cores ?? []), ...(allOver?.cores ?? [])];
      const top = colours.reduce((a, b) => (b.count > a.count ? b : a), colours[0]);
      shape.classList.add('on');
      styled(shape, { ...fill(top.core), '--heat': String(Math.min(1, n / max)) });
      return shape;
    }));
}
