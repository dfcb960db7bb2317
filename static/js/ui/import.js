// Bringing a history in from another app: the mapping screen (what each mood becomes, changeable
// before anything is written), then the import in slices and a summary of what went where and
// what was skipped, and why. Loaded by ui/data.js only when a file is chosen.
import { buildEntries, prepareRows, readImportFile, timeSlicer, yieldToAll } from '../imports.js';
import { core as coreById } from '../feelings.js';
import { feelingChoices, feelingFromValue, feelingText, feelingValue } from '../mood-map.js';
import { summaryText } from '../transfer.js';
import { h } from './dom.js';

export { readImportFile };

/** 12,345 as toLocaleString('en') writes a count, without waking Intl (tens of ms the first time). */
const grouped = (n) => String(n).replace(/\B(?=(\d{3})+$)/g, ',');
const count = (n, one, many = `${one}s`) => `${grouped(n)} ${n === 1 ? one : many}`;

/** The list of rows that can't be read, folded away. */
export function skippedDetails(skipped, summary) {
  if (!skipped.length) return null;
  const shown = skipped.slice(0, 200);
  return h('details', { class: 'skipped' },
    h('summary', {}, summary),
    h('ul', {}, shown.map((s) => h('li', {}, `${s.where}: ${s.problems.join(' ')}`)),
      skipped.length > shown.length ? h('li', {}, `…and ${count(skipped.length - shown.length, 'more row')}.`) : null));
}

function swatchStyle(value) {
  const c = coreById(feelingFromValue(value).core);
  return { '--fill': c.light, '--fill-dark': c.dark };
}

/** One mood's row: its name and how often it was used, and a choice of Thaw feeling. */
function mappingRow(mood, index) {
  const id = `map-${index}`;
  const option = (o) => h('option', { value: o.value }, o.text);
  const [numb, ...cores] = feelingChoices(mood.label);
  const select = h('select', { id, class: 'mapping-select' },
    ...numb.options.map(option),
    ...cores.map((group) => h('optgroup', { label: group.label }, group.options.map(option))));
  select.value = feelingValue(mood.suggestion);
  if (!select.value) select.value = feelingValue({ core: mood.suggestion.core });
  const dot = h('span', { class: 'swatch-dot', 'aria-hidden': 'true' });
  const paint = () => {
    for (const [name, value] of Object.entries(swatchStyle(select.value))) dot.style.setProperty(name, value);
  };
  paint();
  select.addEventListener('change', paint);
  const detail = [count(mood.count, 'check-in'), mood.detail].filter(Boolean).join(' · ');
  return {
    mood,
    select,
    element: h('li', { class: 'mapping-row' },
      h('label', { for: id, class: 'mapping-source' },
        h('span', { class: 'mapping-name' }, mood.label),
        h('span', { class: 'mapping-count' }, detail)),
      h('span', { class: 'mapping-arrow', 'aria-hidden': 'true' }, '→'),
      h('span', { class: 'mapping-target' }, dot, select)),
  };
}

/**
 * The mapping screen for a read file. `onImport(made, chosen)` is called with the checked check-ins
 * once the person taps Import; nothing is written before.
 */
export function mappingPanel(parsed, { onImport, onCancel }) {
  const rows = parsed.moods.map(mappingRow);
  const total = parsed.records.length;
  const go = h('button', { type: 'button', class: 'button primary' }, `Import ${count(total, 'check-in')}`);
  const cancel = h('button', { type: 'button', class: 'button' }, 'Cancel');
  const title = h('h4', { id: 'import-title', class: 'import-title', tabindex: '-1' }, `From ${parsed.source}: ${count(total, 'check-in')}`);
  const element = h('section', { class: 'import-panel', 'aria-labelledby': 'import-title' },
    title,
    h('p', { class: 'hint' }, total
      ? `Choose what each ${parsed.format === 'howwefeel' ? 'feeling' : 'mood'} becomes in Thaw. Nothing is imported until you tap Import.`
      : 'There is nothing in this file Thaw can import.'),
    rows.length ? h('ul', { class: 'mapping-list' }, rows.map((r) => r.element)) : null,
    parsed.notices.length ? h('ul', { class: 'import-notes' }, parsed.notices.map((n) => h('li', {}, n))) : null,
    skippedDetails(parsed.skipped, `${count(parsed.skipped.length, 'row')} can’t be read and will be skipped`),
    h('div', { class: 'button-row' }, go, cancel));
  go.disabled = total === 0;
  // The rows are made and checked while the person looks at the mapping (which changes only
  // their feelings): Import then writes sooner.
  let prepared = null;
  let closed = false; // cancelled: a pass under way stops at its next pause
  const whenIdle = async () => {
    if (closed) throw new Error('the import was cancelled');
    await yieldToAll();
  };
  const prepare = () => {
    prepared ??= prepareRows(parsed, { slicer: timeSlicer(25, whenIdle) }).catch(() => null);
  };
  cancel.addEventListener('click', () => { closed = true; onCancel(); });
  go.addEventListener('click', async () => {
    go.disabled = true;
    cancel.disabled = true;
    rows.forEach((r) => { r.select.disabled = true; });
    const chosen = Object.fromEntries(rows.map((r) => [r.mood.key, feelingFromValue(r.select.value)]));
    prepared ??= Promise.resolve(null); // not started yet: made now, and never a second time
    try {
      performance.mark('thaw-import-check');
      const made = await buildEntries(parsed, chosen, { prepared }); // every row checked before anything is written
      performance.measure('thaw-import-check', 'thaw-import-check'); // read by bench/data.py
      await onImport(made, chosen);
    } finally {
      go.disabled = total === 0;
      cancel.disabled = false;
      rows.forEach((r) => { r.select.disabled = false; });
    }
  });
  return { element, focus: () => title.focus(), prepare };
}

/** What went where, and what was skipped and why: the lines under the import's summary line. */
export function importSummary(parsed, made, chosen, plan) {
  const skipped = [...parsed.skipped, ...made.skipped];
  const line = `From ${parsed.source}: ${summaryText({ ...plan, invalid: 0 }).replace(/\.$/, '')}${skipped.length ? `, skipped ${skipped.length.toLocaleString('en')}` : ''}.`;
  const tagList = made.tags.slice(0, 40).join(', ') + (made.tags.length > 40 ? ` and ${made.tags.length - 40} more` : '');
  const lines = [
    h('p', { class: 'summary-line' }, line),
    h('h5', {}, 'What went where'),
    h('ul', { class: 'went-where' }, parsed.moods.map((m) => h('li', {},
      h('span', { class: 'swatch-dot', 'aria-hidden': 'true', style: swatchStyle(feelingValue(chosen[m.key])) }),
      `${m.label} → ${feelingText(chosen[m.key])} (${m.count.toLocaleString('en')})`))),
    made.tags.length ? h('p', {}, `Tags: ${tagList}.`) : null,
    ...parsed.notices.map((n) => h('p', { class: 'hint' }, n)),
    made.shortened ? h('p', { class: 'hint' }, `${count(made.shortened, 'long note or tag')} shortened to fit Thaw (notes 2,000 characters, tags 32).`) : null,
    made.tooManyTags ? h('p', { class: 'hint' }, `${count(made.tooManyTags, 'check-in')} had more than 10 activities: the rest are in the note.`) : null,
    plan.alreadyHad ? h('p', { class: 'hint' }, 'Check-ins imported before stay as they were; importing the same file again adds nothing.') : null,
    skippedDetails(skipped, 'See why some were skipped'),
  ];
  return lines.filter(Boolean);
}
