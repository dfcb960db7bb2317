// "Your data" in Settings: export (JSON and CSV), import (Thaw or Daylio, with a mapping to
// adjust), the printable summary, and deleting everything on this device.
import { daylioEntries, isDaylio, readDaylio, suggestedMapping } from '../daylio.js';
import { CORES, NUMB, core as coreById } from '../feelings.js';
import { localToday } from '../stats.js';
import { ImportError, checkEntries, exportCsv, exportJson, readThawJson, summaryText } from '../transfer.js';
import { h } from './dom.js';
import { confirmOnce } from './toast.js';

const SLICE = 1000;
const pause = () => new Promise((resolve) => setTimeout(resolve, 0));

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

const feelingText = (f) => (f.word ? `${coreById(f.core).label} · ${f.word}` : coreById(f.core).label);

/** A select of every core and precise word, for mapping one Daylio mood. */
function feelingSelect(id, chosen) {
  const value = `${chosen.core}|${chosen.word ?? ''}`;
  const option = (core, word, text) => h('option', { value: `${core}|${word}`, selected: `${core}|${word}` === value }, text);
  return h('select', { id },
    option(NUMB.id, '', NUMB.label),
    CORES.map((c) => h('optgroup', { label: c.label },
      option(c.id, '', `Just ${c.label.toLowerCase()}`),
      c.words.map(([w]) => option(c.id, w, `${c.label} · ${w}`)))));
}

export function createDataSection({ journal, toast }) {
  const result = h('div', { class: 'import-result', role: 'status', 'aria-live': 'polite' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const mappingBox = h('div', { class: 'daylio-mapping', hidden: true });
  const file = h('input', { type: 'file', id: 'import-file', accept: '.json,.csv,application/json,text/csv' });
  const exportJsonButton = h('button', { type: 'button', class: 'button' }, 'Export everything (JSON)');
  const exportCsvButton = h('button', { type: 'button', class: 'button' }, 'Export for spreadsheets (CSV)');
  const erase = h('button', { type: 'button', class: 'button danger' }, 'Delete all my data on this device');

  const element = h('section', { class: 'settings-section', 'aria-labelledby': 'data-title' },
    h('h3', { id: 'data-title' }, 'Your data'),
    h('p', {}, 'Your history is yours: take it with you, bring it in from another app, or show it to someone you trust.'),
    h('div', { class: 'button-row' }, exportJsonButton, exportCsvButton),
    h('label', { for: 'import-file', class: 'small-label' }, 'Import a Thaw export (.json) or a Daylio export (.csv)'),
    file,
    error, mappingBox, result,
    h('p', {}, h('a', { class: 'button', href: '#summary' }, 'Printable summary')),
    h('div', { class: 'button-row' }, erase));

  const stamp = () => localToday();
  exportJsonButton.addEventListener('click', async () => {
    const data = await journal.exportData();
    download(`thaw-${stamp()}.json`, 'application/json', exportJson(data.entries, data));
    toast.show(`Exported ${data.entries.filter((e) => !e.deleted).length.toLocaleString('en')} check-ins.`);
  });
  exportCsvButton.addEventListener('click', async () => {
    const data = await journal.exportData();
    download(`thaw-${stamp()}.csv`, 'text/csv', exportCsv(data.entries));
  });

  function showResult(summary, invalid, extra = []) {
    const details = invalid.length
      ? h('details', {}, h('summary', {}, 'See why some were skipped'),
        h('ul', {}, invalid.map((i) => h('li', {}, `${i.where}: ${i.problems.join(' ')}`))))
      : null;
    // replaceChildren would write a missing part as the text "null": only what is there goes in.
    result.replaceChildren(...[h('p', { class: 'summary-line' }, summary), ...extra.map((line) => h('p', {}, line)), details].filter(Boolean));
  }

  /** Check, then store, in slices with pauses between, so a large file never freezes the page. */
  async function importInSlices(entries, extra = {}) {
    const totals = { added: 0, updated: 0, alreadyHad: 0 };
    for (let i = 0; i < entries.length || i === 0; i += SLICE) {
      const plan = await journal.importEntries(entries.slice(i, i + SLICE), i === 0 ? extra : {});
      for (const key of Object.keys(totals)) totals[key] += plan[key];
      result.replaceChildren(h('p', {}, `Importing… ${Math.min(i + SLICE, entries.length).toLocaleString('en')} of ${entries.length.toLocaleString('en')}`));
      if (!entries.length) break;
    }
    return totals;
  }

  async function importThaw(text) {
    const { raw, ownWords, ownTags } = readThawJson(text); // a broken file stops here: nothing written
    const entries = [];
    const invalid = [];
    for (let i = 0; i < raw.length; i += SLICE) {
      const checked = checkEntries(raw.slice(i, i + SLICE), i);
      entries.push(...checked.entries);
      invalid.push(...checked.invalid);
      await pause();
    }
    const plan = await importInSlices(entries, { ownWords, ownTags });
    showResult(summaryText({ ...plan, invalid: invalid.length }), invalid);
  }

  function offerDaylio(text) {
    const { records, moods } = readDaylio(text);
    const mapping = suggestedMapping(moods);
    const selects = moods.map(({ mood, count }, i) => {
      const select = feelingSelect(`mood-${i}`, mapping[mood]);
      return { mood, count, select };
    });
    const go = h('button', { type: 'button', class: 'button primary' }, `Import ${records.length.toLocaleString('en')} check-ins`);
    const cancel = h('button', { type: 'button', class: 'button quiet' }, 'Cancel');
    mappingBox.replaceChildren(
      h('h4', {}, 'From Daylio: choose what each mood becomes'),
      h('p', { class: 'hint' }, 'Activities become tags and notes stay notes. You can change any mood below.'),
      ...selects.map(({ mood, count, select }) => h('div', { class: 'field inline-field mapping-row' },
        h('label', { for: select.id }, `“${mood}” (${count})`), select)),
      h('div', { class: 'button-row' }, cancel, go));
    mappingBox.hidden = false;
    cancel.addEventListener('click', () => { mappingBox.hidden = true; file.value = ''; });
    go.addEventListener('click', async () => {
      go.disabled = true;
      const chosen = {};
      for (const { mood, select } of selects) {
        const [core, word] = select.value.split('|');
        chosen[mood] = word ? { core, word } : { core };
      }
      try {
        const made = await daylioEntries(records, chosen);
        const plan = await importInSlices(made.entries);
        mappingBox.hidden = true;
        file.value = '';
        const moodsLine = `Moods: ${selects.map(({ mood, count }) => `${mood} → ${feelingText(chosen[mood])} (${count})`).join('; ')}.`;
        const tagsLine = made.tags.length ? `Activities became tags: ${made.tags.join(', ')}.` : 'There were no activities.';
        const extra = [moodsLine, tagsLine];
        if (made.shortened) extra.push(`${made.shortened} long note${made.shortened === 1 ? ' was' : 's were'} shortened to 2,000 characters.`);
        showResult(`From Daylio: ${summaryText({ ...plan, invalid: made.invalid.length })}`, made.invalid, extra);
      } catch (failure) {
        error.textContent = `The import did not finish (${failure.message}). Nothing was changed.`;
      } finally {
        go.disabled = false;
      }
    });
  }

  file.addEventListener('change', async () => {
    error.textContent = '';
    result.replaceChildren();
    mappingBox.hidden = true;
    const chosen = file.files[0];
    if (!chosen) return;
    try {
      const text = await chosen.text();
      if (/^\s*[{[]/.test(text) || chosen.name.toLowerCase().endsWith('.json')) {
        await importThaw(text);
        file.value = '';
      } else if (isDaylio(text)) {
        offerDaylio(text);
      } else {
        throw new ImportError('This file is not a Thaw export or a Daylio CSV export. Nothing was imported.');
      }
    } catch (failure) {
      file.value = '';
      error.textContent = failure instanceof ImportError ? failure.message : `The import did not finish (${failure.message}). Nothing was changed.`;
    }
  });

  erase.addEventListener('click', async () => {
    const sure = await confirmOnce({
      title: 'Delete all your data on this device?',
      body: 'Every check-in, your own words and tags, and this device’s pairing are erased from '
        + 'this device. This cannot be undone. (Other paired devices keep their copy.)',
      confirm: 'Delete everything', cancel: 'Keep my data',
    });
    if (!sure) return;
    try {
      await journal.destroy();
      location.replace(`${location.pathname}#checkin`);
      location.reload();
    } catch (failure) {
      error.textContent = failure.message;
    }
  });

  return { element };
}
