// Patterns: pictures of what a person has named — colour returning on a calendar, feeling words
// over time, most named feelings, where in the body, when, and what comes with what. Each has a
// one-sentence caption and a text version. Nothing here grades anyone.
import { CORES, NUMB, regionLabel } from '../feelings.js';
import {
  PERIODS, WEEKDAYS, bodyMap, calendar, enoughForPatterns, entriesOn, inPeriod, localToday,
  mostNamed, vocabulary, when, withTags,
} from '../stats.js';
import { asText, bars, bodyFigure, calendarGrid, coreLabel, fill, fmtDay, plural } from './charts.js';
import { choiceChips } from './chips.js';
import { h, svg } from './dom.js';
import { entryCard } from './history.js';

function section(id, title, caption, ...content) {
  return h('section', { class: 'card pattern', 'aria-labelledby': `${id}-title`, dataset: { pattern: id } },
    h('h3', { id: `${id}-title` }, title),
    h('p', { class: 'caption' }, caption),
    ...content);
}

const label = coreLabel;

export function createPatterns({ journal }) {
  let period = '30';
  let bodyCore = '';
  let entries = [];
  let today = localToday();
  const element = h('div', { class: 'patterns' });
  const dayList = h('div', { class: 'day-list', 'aria-live': 'polite' });
  let yearView = false;

  function calendarSection() {
    const weeks = yearView ? 53 : 12;
    const rows = calendar(entries, today, weeks);
    const named = rows.flatMap((r) => r.days).filter((d) => d.count > 0);
    const grid = calendarGrid(rows, {
      today,
      compact: yearView,
      onDay: yearView ? null : showDay,
      label: yearView ? `A year of check-ins: ${plural(named.length, 'day')} with a feeling named` : 'Last 12 weeks',
    });
    const toggle = h('button', { type: 'button', class: 'button quiet', onclick: () => { yearView = !yearView; draw(); } },
      yearView ? 'Show 12 weeks' : 'Show the year');
    const months = new Map();
    for (const d of named) months.set(d.day.slice(0, 7), (months.get(d.day.slice(0, 7)) ?? 0) + 1);
    return section('calendar', 'Colour returning',
      `${plural(named.length, 'day')} with a feeling named in the ${yearView ? 'last year' : 'last 12 weeks'}; grey days were numb, blank days had no check-in.`,
      grid, toggle, yearView ? null : dayList,
      asText([...months.entries()].map(([m, n]) => `${fmtDay(`${m}-15`, { month: 'long', year: 'numeric' })}: ${plural(n, 'day')} with a feeling named`)));
  }

  function showDay(day) {
    const list = entriesOn(entries, day);
    dayList.replaceChildren(
      h('h4', { tabindex: '-1', class: 'day-list-title' }, `${fmtDay(day)} · ${plural(list.length, 'check-in')}`),
      h('ul', { class: 'entries' }, list.map(entryCard)));
    dayList.querySelector('h4').focus();
  }

  function vocabularySection() {
    const v = vocabulary(entries, today);
    const max = Math.max(1, ...v.series.map((s) => s.words));
    const width = 12 * v.series.length;
    const chart = svg('svg', { viewBox: `0 0 ${width} 50`, class: 'columns', 'aria-hidden': 'true', preserveAspectRatio: 'none' },
      v.series.map((s, i) => svg('rect', { x: i * 12 + 2, width: 8, y: 48 - (44 * s.words) / max, height: (44 * s.words) / max + 0.01, rx: 1.5 })));
    const last = v.series.at(-1).words;
    const caption = v.newThisMonth.length
      ? `New words this month: ${v.newThisMonth.join(', ')}.`
      : `You have used ${plural(v.total, 'different feeling word')} so far.`;
    return section('vocabulary', 'Your feeling words',
      `Different precise words you used each week (${plural(last, 'word')} this week). ${caption}`,
      chart,
      h('p', { class: 'axis', 'aria-hidden': 'true' }, h('span', {}, fmtDay(v.series[0].week, { day: 'numeric', month: 'short' })), h('span', {}, 'this week')),
      asText(v.series.map((s) => `Week of ${fmtDay(s.week, { day: 'numeric', month: 'long' })}: ${plural(s.words, 'word')}`)));
  }

  function mostNamedSection(list) {
    const named = mostNamed(list);
    const top = named.cores[0];
    return section('most-named', 'Most named feelings',
      top ? `${label(top.core)} came up most often (${plural(top.count, 'time')}) — ${PERIODS[period].toLowerCase()}.` : `Nothing named — ${PERIODS[period].toLowerCase()}.`,
      h('h4', {}, 'By feeling'),
      bars(named.cores.map((c) => ({ label: label(c.core), count: c.count, colour: fill(c.core) }))),
      named.words.length ? h('h4', {}, 'By word') : null,
      named.words.length ? bars(named.words.slice(0, 10).map((w) => ({ label: w.word, count: w.count, colour: fill(w.core) }))) : null);
  }

  function bodySection(list) {
    const regions = bodyMap(list, bodyCore || null);
    const figure = bodyFigure(regions);
    const select = h('select', { id: 'body-core', onchange: (e) => { bodyCore = e.target.value; draw(); } },
      h('option', { value: '' }, 'All feelings'),
      [NUMB, ...CORES].map((c) => h('option', { value: c.id, selected: c.id === bodyCore }, c.label)));
    const top = regions[0];
    const who = bodyCore ? label(bodyCore).toLowerCase() : 'your feelings';
    return section('body', 'Where you feel it',
      top ? `For ${who}, ${regionLabel(top.region).toLowerCase()} came up most (${plural(top.count, 'time')}).` : `No body places named for ${who} in this period.`,
      h('div', { class: 'field inline-field' }, h('label', { for: 'body-core' }, 'Feeling'), select),
      h('div', { class: 'body-heat' }, figure,
        h('ul', { class: 'region-list' }, regions.map((r) => h('li', {},
          h('strong', {}, `${regionLabel(r.region)}: ${plural(r.count, 'time')}`),
          r.sensations.length ? ` — ${r.sensations.map((s) => `${s.word} (${s.count})`).join(', ')}` : '')))));
  }

  function whenSection(list) {
    const w = when(list);
    const busiest = [...w.parts].sort((a, b) => b.count - a.count)[0];
    return section('when', 'When',
      list.length ? `Most check-ins were in the ${busiest.id} (${plural(busiest.count, 'check-in')}).` : 'No check-ins in this period.',
      h('h4', {}, 'Time of day'),
      bars(w.parts.map((p) => ({ label: p.label, count: p.count }))),
      h('h4', {}, 'Day of the week'),
      bars(w.days.map((count, i) => ({ label: WEEKDAYS[i], count }))));
  }

  function tagsSection(list) {
    const tags = withTags(list).slice(0, 10);
    return section('tags', 'What comes with what',
      tags.length ? `The feelings you named most often alongside each thing that was going on.` : 'No tags in this period — add “what’s going on” to a check-in to see this.',
      h('ul', { class: 'tag-list' }, tags.map((t) => h('li', {},
        h('strong', {}, `#${t.tag}`), ` (${plural(t.count, 'check-in')}): `,
        t.cores.map((c, i) => h('span', { class: 'tag-feeling' },
          h('span', { class: 'swatch-dot', style: fill(c.core), 'aria-hidden': 'true' }),
          `${label(c.core)} ${c.count}${i < t.cores.length - 1 ? ',' : ''} `))))));
  }

  const periodChips = choiceChips({
    label: 'Period',
    required: true,
    options: Object.entries(PERIODS).map(([value, text]) => ({ value, text })),
    onChange: (value) => { period = value; draw(); },
  });
  periodChips.set(period);

  function draw() {
    if (!enoughForPatterns(entries)) {
      element.replaceChildren(h('div', { class: 'empty-state card' },
        h('p', {}, 'Patterns appear here after a few check-ins.'),
        h('p', {}, 'Each time you name a feeling, this page learns a little more — no rush.'),
        h('a', { class: 'button', href: '#checkin' }, 'Check in now')));
      return;
    }
    const list = inPeriod(entries, period, today);
    element.replaceChildren(
      calendarSection(),
      vocabularySection(),
      h('div', { class: 'period card' }, h('p', { class: 'period-label' }, 'The pictures below cover:'), periodChips.element),
      mostNamedSection(list),
      bodySection(list),
      whenSection(list),
      tagsSection(list),
      h('p', { class: 'practices-link' }, h('a', { href: '#practices' }, 'Gentle practices you can try')));
  }

  return {
    element,
    async render() {
      entries = (await journal.all()).filter((e) => !e.deleted);
      today = localToday();
      dayList.replaceChildren();
      draw();
    },
  };
}
