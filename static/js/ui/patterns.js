// Patterns: what a person has named, shown so it answers "is the numbness lifting?" first —
// then colour returning on a calendar and a year, their words, when, where in the body, and
// what comes with what. Each picture has one plain sentence and a text version. Nothing here
// grades anyone. The numbers come from the DOM-free stats.js and trend.js.
import { CORES, NUMB, regionLabel } from '../feelings.js';
import {
  PERIODS, addDays, bodyMap, bodyTop, calendar, daysBetween, enoughForPatterns, entriesOn, firstDay,
  inPeriod, localToday, mostNamed, weekStart, when, withTags, wordsByMonth, yearPixels,
} from '../stats.js';
import { numbTrend, trendSentence } from '../trend.js';
import {
  asTable, bars, bodyFigure, calendarGrid, coreLabel, countColumns, fill, fmtDay, fmtMonth, legend,
  mixText, percent, plural, stackBar, weekColumns, yearGrid,
} from './charts.js';
import { choiceChips } from './chips.js';
import { h } from './dom.js';
import { entryCard } from './history.js';

const label = coreLabel;
const shortDay = (day) => fmtDay(day, { day: 'numeric', month: 'short' });

function card(id, title) {
  return h('section', { class: 'card pattern', 'aria-labelledby': `${id}-title`, dataset: { pattern: id } },
    h('h3', { id: `${id}-title` }, title));
}

const sentence = (text, className = 'caption') => h('p', { class: className }, text);

/** Rows of "label · stacked colour bar · count" for mixes of feelings. */
function mixRows(rows) {
  return h('ul', { class: 'mix-rows' }, rows.map((row) => h('li', { class: 'mix-row' },
    h('span', { class: 'mix-label' }, row.label, row.sub ? h('span', { class: 'mix-sub' }, row.sub) : null),
    h('span', { class: 'mix-track' }, stackBar(row.cores)),
    h('span', { class: 'mix-count' }, row.total.toLocaleString('en')))));
}

const coresIn = (...groups) => {
  const seen = new Set(groups.flat().flatMap((g) => g.cores.map((c) => c.core)));
  return [NUMB.id, ...CORES.map((c) => c.id)].filter((id) => seen.has(id));
};

export function createPatterns({ journal }) {
  let period = '30';
  let bodyCore = '';
  let calView = 'weeks';
  let yearBack = 0; // how many years before this one the year view shows
  let entries = [];
  let list = [];
  let today = localToday();
  const element = h('div', { class: 'patterns' });
  const slots = {
    numbness: h('div'), calendar: h('div'), words: h('div'), when: h('div'), body: h('div'), tags: h('div'),
  };
  const dayList = h('div', { class: 'day-list', 'aria-live': 'polite' });

  // 1. Is the numbness lifting?
  function drawNumbness() {
    const trend = numbTrend(entries, today);
    const section = card('numbness', 'Is the numbness lifting?');
    section.append(sentence(trendSentence(trend), 'lead'));
    if (trend.direction !== 'too-little') {
      const { weeks } = trend;
      section.append(
        h('div', { class: 'trend-figure', role: 'img', 'aria-label': `Each of the last 12 weeks as a column: numb check-ins in grey at the top, named feelings in their colours below. ${trend.recent.numb} of ${trend.recent.total} numb in the last four weeks, ${trend.before.numb} of ${trend.before.total} in the four before.` },
          weekColumns(weeks),
          h('div', { class: 'week-words', 'aria-hidden': 'true' }, weeks.map((w) => h('span', {}, w.total ? String(w.words) : '·'))),
          h('div', { class: 'week-spans', 'aria-hidden': 'true' },
            h('span', { class: 'span-early' }, shortDay(weeks[0].start)),
            h('span', { class: 'span-before' }, '4 weeks before'),
            h('span', { class: 'span-recent' }, 'last 4 weeks'))),
        h('p', { class: 'figure-note' }, 'Numbers under the weeks: different feelings named.'),
        legend(coresIn(weeks)),
        asTable('Each week: check-ins, numb ones and different feelings named',
          ['Week', 'Check-ins', 'Numb', 'Feelings named'],
          weeks.map((w) => [`${shortDay(w.start)} – ${shortDay(w.end)}`, String(w.total),
            w.total ? `${w.numb} (${percent(w.numb, w.total)})` : '–', String(w.words)])));
    }
    slots.numbness.replaceChildren(section);
  }

  // 2. Colour returning: 12 weeks to tap through, or the year in pixels.
  const viewChips = choiceChips({
    label: 'Show', required: true, className: 'small segmented',
    options: [{ value: 'weeks', text: '12 weeks' }, { value: 'year', text: 'The year' }],
    onChange: (value) => { calView = value; drawCalendar(); },
  });
  viewChips.set(calView);

  function drawCalendar() {
    const section = card('calendar', 'Colour returning');
    section.append(viewChips.element);
    if (calView === 'year') drawYear(section); else drawWeeks(section);
    slots.calendar.replaceChildren(section);
  }

  function drawWeeks(section) {
    const first = firstDay(entries) ?? today;
    const since = Math.floor(daysBetween(weekStart(first), weekStart(today)) / 7) + 1;
    const weeks = Math.max(1, Math.min(12, since));
    const rows = calendar(entries, today, weeks);
    const named = rows.flatMap((r) => r.days).filter((d) => d.count > 0);
    const numbDays = named.filter((d) => d.numb).length;
    const months = new Map();
    for (const d of named) {
      const m = months.get(d.day.slice(0, 7)) ?? { days: 0, numb: 0 };
      m.days += 1;
      if (d.numb) m.numb += 1;
      months.set(d.day.slice(0, 7), m);
    }
    section.append(
      sentence(`${plural(named.length, 'day')} with a check-in in the last ${weeks === 1 ? 'week' : `${weeks} weeks`}${numbDays ? `, ${numbDays} of them only numb (grey)` : ''}. Tap a day to see it.`),
      calendarGrid(rows, { today, onDay: showDay, label: `The last ${plural(weeks, 'week')}, a button for each day with a check-in` }),
      dayList,
      asTable('Days with a check-in, by month', ['Month', 'Days with a check-in', 'Only numb'],
        [...months.entries()].map(([m, v]) => [fmtMonth(m), String(v.days), String(v.numb)])));
  }

  function drawYear(section) {
    const end = addDays(`${today.slice(0, 7)}-15`, -365 * yearBack).slice(0, 7);
    const months = yearPixels(entries, end);
    const days = months.flatMap((m) => m.days).filter((d) => d.count);
    const earliest = firstDay(entries);
    const range = `${fmtMonth(months[0].month)} to ${fmtMonth(months.at(-1).month)}`;
    const shortRange = `${fmtMonth(months[0].month, { month: 'short', year: 'numeric' })} – ${fmtMonth(months.at(-1).month, { month: 'short', year: 'numeric' })}`;
    const nav = h('div', { class: 'year-nav' },
      h('button', {
        type: 'button', class: 'button quiet', disabled: !earliest || earliest >= `${months[0].month}-01`,
        onclick: () => { yearBack += 1; drawCalendar(); slots.calendar.querySelector('.year-nav button')?.focus(); },
      }, '‹ Earlier'),
      h('span', { class: 'year-range' }, shortRange),
      h('button', {
        type: 'button', class: 'button quiet', disabled: yearBack === 0,
        onclick: () => { yearBack -= 1; drawCalendar(); slots.calendar.querySelector('.year-nav button:last-child')?.focus(); },
      }, 'Later ›'));
    section.append(
      sentence(`${plural(days.length, 'day')} with a check-in in these 12 months. Each column is a month, each square a day, in the colours of the feelings named; grey was numb.`),
      nav,
      yearGrid(months, { today, label: `A year in pixels, ${range}: ${plural(days.length, 'day')} with a check-in` }),
      asTable('Each month: days with a check-in and the feelings named most', ['Month', 'Days', 'Named most'],
        months.map(({ month, days: list }) => {
          const counts = new Map();
          for (const d of list) for (const c of d.cores) counts.set(c, (counts.get(c) ?? 0) + 1);
          const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([c]) => label(c));
          return [fmtMonth(month), String(list.filter((d) => d.count).length), top.join(', ') || '–'];
        })));
  }

  function showDay(day) {
    const found = entriesOn(entries, day);
    dayList.replaceChildren(
      h('h4', { tabindex: '-1', class: 'day-list-title' }, `${fmtDay(day)} · ${plural(found.length, 'check-in')}`),
      h('ul', { class: 'entries' }, found.map(entryCard)));
    dayList.querySelector('h4').focus();
  }

  // The period for the cards below.
  const periodChips = choiceChips({
    label: 'Period', required: true,
    options: Object.entries(PERIODS).map(([value, text]) => ({ value, text })),
    onChange: (value) => { period = value; list = inPeriod(entries, period, today); drawPeriodCards(); },
  });
  periodChips.set(period);
  const periodCard = h('div', { class: 'period card' }, h('p', { class: 'period-label' }, 'The cards below cover:'), periodChips.element);
  const during = () => PERIODS[period].toLowerCase();

  // 3. Your words: granularity over months, and the most named in the period.
  function drawWords() {
    const section = card('words', 'Your words');
    const months = wordsByMonth(entries, today);
    const [prev, now] = months.slice(-2);
    section.append(
      sentence(`Different feeling words each month: ${now.words} this month, ${prev.words} in ${fmtMonth(prev.month, { month: 'long' })}. More words can mean telling feelings apart more finely.`),
      h('div', { class: 'month-figure', 'aria-hidden': 'true' },
        h('div', { class: 'month-values' }, months.map((m) => h('span', {}, m.words ? String(m.words) : ''))),
        countColumns(months.map((m) => m.words)),
        h('div', { class: 'month-names' }, months.map((m) => h('span', {}, fmtMonth(m.month, { month: 'narrow' }))))),
      asTable('Different feeling words each month', ['Month', 'Different words', 'Check-ins'],
        months.map((m) => [fmtMonth(m.month), String(m.words), String(m.total)])));
    const named = mostNamed(list).words.slice(0, 8);
    section.append(h('h4', {}, `Named most — ${during()}`),
      named.length
        ? bars(named.map((w) => ({ label: w.word, count: w.count, colour: fill(w.core) })))
        : sentence('No precise words named in this period.'));
    slots.words.replaceChildren(section);
  }

  // 4. When: how check-ins felt at each time of day and on each weekday.
  function drawWhen() {
    const section = card('when', 'When');
    const w = when(list);
    if (!list.length) {
      section.append(sentence(`No check-ins — ${during()}.`));
      slots.when.replaceChildren(section);
      return;
    }
    const withNumb = w.parts.filter((p) => p.total >= 3)
      .map((p) => ({ p, share: (p.cores.find((c) => c.core === 'numb')?.count ?? 0) / p.total }))
      .sort((a, b) => b.share - a.share);
    const contrast = withNumb.length >= 2 && withNumb[0].share - withNumb.at(-1).share >= 0.2
      ? ` Numb came most in the ${withNumb[0].p.id} (${percent(withNumb[0].share, 1)}), least in the ${withNumb.at(-1).p.id} (${percent(withNumb.at(-1).share, 1)}).`
      : '';
    section.append(
      sentence(`How your check-ins felt at each time — each bar is all the check-ins then, ${during()}.${contrast}`),
      legend(coresIn(w.parts)),
      h('h4', {}, 'Time of day'),
      h('div', { 'aria-hidden': 'true' }, mixRows(w.parts.map((p) => ({ label: p.label.split(' ')[0], sub: `${p.from}–${p.to}`, cores: p.cores, total: p.total })))),
      h('h4', {}, 'Day of the week'),
      h('div', { 'aria-hidden': 'true' }, mixRows(w.days.map((d) => ({ label: d.label, cores: d.cores, total: d.total })))),
      asTable('How check-ins felt at each time', ['When', 'Check-ins', 'Feelings'],
        [...w.parts, ...w.days].map((p) => [p.label, String(p.total), p.total ? mixText(p.cores, p.total) : '–'])));
    slots.when.replaceChildren(section);
  }

  // 5. Where you feel it: the body figure as a heat map, for all feelings or one.
  const bodySelect = h('select', { id: 'body-core', onchange: (e) => { bodyCore = e.target.value; drawBody(); } });
  function drawBody() {
    const regions = bodyMap(list, bodyCore || null);
    const { top, count, nowhere } = bodyTop(regions);
    const present = new Set(list.map((e) => e.feeling.core));
    bodySelect.replaceChildren(h('option', { value: '' }, 'All feelings'),
      ...[NUMB, ...CORES].filter((c) => present.has(c.id) || c.id === bodyCore)
        .map((c) => h('option', { value: c.id, selected: c.id === bodyCore }, c.label)));
    const who = bodyCore ? ` with ${label(bodyCore).toLowerCase()}` : '';
    const names = top.map((r, i) => (i ? regionLabel(r).toLowerCase() : regionLabel(r)));
    const joined = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
    let text = top.length === 1 ? `${joined} came up most${who} (${plural(count, 'time')}).`
      : top.length > 1 ? `${joined} came up equally often${who} (${plural(count, 'time')} each).`
        : `No body places named${who} — ${during()}.`;
    if (nowhere) text += ` “Nowhere I can tell”: ${plural(nowhere, 'time')}.`;
    const section = card('body', 'Where you feel it');
    section.append(
      sentence(text),
      h('div', { class: 'field inline-field' }, h('label', { for: 'body-core' }, 'Feeling'), bodySelect),
      h('div', { class: 'body-heat' },
        bodyFigure(regions, { core: bodyCore || null }),
        h('p', { class: 'figure-note' }, bodyCore
          ? `Deeper colour: named more often with ${label(bodyCore).toLowerCase()}.`
          : 'Each place in the colour of the feeling named most there; deeper colour, named more often.')),
      asTable('Body places named, with sensations', ['Place', 'Times', 'Sensations'],
        regions.map((r) => [regionLabel(r.region), String(r.count), r.sensations.map((s) => `${s.word} (${s.count})`).join(', ') || '–'])));
    slots.body.replaceChildren(section);
  }

  // 6. What comes with what: a colour bar per tag used at least 3 times.
  function drawTags() {
    const section = card('tags', 'What comes with what');
    const { shown, fewer } = withTags(list);
    const left = fewer.length
      ? ` Left out: ${fewer.slice(0, 8).map((t) => `#${t.tag}`).join(', ')}${fewer.length > 8 ? ` and ${fewer.length - 8} more` : ''} — fewer than 3 check-ins is too few to show a mix.`
      : '';
    if (!shown.length && !fewer.length) {
      section.append(sentence(`No tags — ${during()}. Add “what’s going on” to a check-in to see this.`));
    } else {
      section.append(
        sentence(`The feelings you checked in with each thing that was going on, ${during()}.${left}`),
        shown.length ? legend(coresIn(shown)) : null,
        shown.length ? h('ul', { class: 'tag-mixes', 'aria-hidden': 'true' }, shown.slice(0, 12).map((t) => h('li', {},
          h('span', { class: 'tag-head' }, h('strong', {}, `#${t.tag}`), h('span', {}, plural(t.count, 'check-in'))),
          h('span', { class: 'mix-track' }, stackBar(t.cores))))) : null,
        shown.length ? asTable('Feelings with each tag', ['Tag', 'Check-ins', 'Feelings'],
          shown.map((t) => [`#${t.tag}`, String(t.count), mixText(t.cores, t.count)])) : null);
    }
    slots.tags.replaceChildren(section);
  }

  function drawPeriodCards() {
    drawWords();
    drawWhen();
    drawBody();
    drawTags();
  }

  function draw() {
    if (!enoughForPatterns(entries)) {
      element.replaceChildren(h('div', { class: 'empty-state card' },
        h('p', {}, 'Patterns appear here after a few check-ins.'),
        h('p', {}, 'Each time you name a feeling, this page learns a little more — no rush.'),
        h('a', { class: 'button', href: '#checkin' }, 'Check in now')));
      return false;
    }
    list = inPeriod(entries, period, today);
    drawNumbness();
    drawCalendar();
    for (const slot of [slots.words, slots.when, slots.body, slots.tags]) slot.replaceChildren();
    element.replaceChildren(
      h('p', { class: 'patterns-top' }, h('span', {}, 'For noticing, never for scoring.'),
        h('a', { class: 'practices-pill', href: '#practices' }, 'Gentle practices')),
      slots.numbness, slots.calendar, periodCard, slots.words, slots.when, slots.body, slots.tags);
    return true;
  }

  // The entries read last time, kept while this page is in view and nothing changed: reading
  // 9,000 check-ins from IndexedDB costs more than drawing them. Dropped on any change made here
  // (saves, edits, deletes, imports), on sync merges (app.js calls forget) and whenever the page
  // is hidden, so another tab's changes and a locked, put-away phone never see an old copy.
  let cached = null;
  let generation = 0; // a newer render makes an older one still drawing stand down
  const forget = () => { cached = null; };
  journal.onLocalChange(forget);
  document.addEventListener('visibilitychange', () => { if (document.hidden) forget(); });

  return {
    element,
    forget,
    async render() {
      if (!cached) cached = (await journal.all()).filter((e) => !e.deleted);
      entries = cached;
      today = localToday();
      yearBack = 0;
      dayList.replaceChildren();
      const mine = ++generation;
      if (!draw()) return;
      // The cards below the fold in a task of their own, so the screen never stalls in one long task.
      await new Promise((resolve) => { setTimeout(resolve, 0); });
      if (mine === generation) drawPeriodCards();
    },
  };
}
