// "Your data" in Settings: export (JSON and CSV), import (Thaw's own export, or a history from
// Daylio, How We Feel or Bearable with a mapping to adjust), the printable summary, and deleting
// everything on this device. The importers (ui/import.js) load only when the file picker opens.
import { localToday } from '../stats.js';
import { ImportError, checkEntries, exportCsv, exportJson, readThawJson, summaryText } from '../transfer.js';
import { h, svg } from './dom.js';
import { confirmOnce } from './toast.js';

const CHECK = 1000; // Thaw's own entries validated between pauses
/** Give the page a turn (scheduler.yield where there is one: no 4 ms timer clamping). */
const pause = () => (typeof globalThis.scheduler?.yield === 'function'
  ? globalThis.scheduler.yield()
  : new Promise((resolve) => { setTimeout(resolve, 0); }));

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

export function createDataSection({ journal, toast }) {
  const result = h('div', { class: 'import-result', role: 'status', 'aria-live': 'polite' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const mappingBox = h('div', { class: 'import-mapping', hidden: true });
  // No `accept` filter: phones grey out files whose type they don't know (.daylio); the content decides.
  const file = h('input', { type: 'file', id: 'import-file', class: 'file-input visually-hidden' });
  const exportJsonButton = h('button', { type: 'button', class: 'button' }, 'Export everything (JSON)');
  const exportCsvButton = h('button', { type: 'button', class: 'button' }, 'Export for spreadsheets (CSV)');
  const erase = h('button', { type: 'button', class: 'button danger' }, 'Delete all my data on this device');

  const element = h('section', { class: 'settings-section', 'aria-labelledby': 'data-title' },
    h('h3', { id: 'data-title' }, 'Your data'),
    h('p', {}, 'Your history is yours: take it with you, bring it in from another app, or show it to someone you trust.'),
    h('div', { class: 'button-row' }, exportJsonButton, exportCsvButton),
    h('div', { class: 'import-box' },
      h('h4', { class: 'import-heading' }, 'Bring your history in'),
      h('p', { class: 'hint', id: 'import-formats' }, 'From Thaw (.json), Daylio (CSV export or .daylio backup), How We Feel or Bearable (CSV). '
        + 'You see where everything goes before anything is imported.'),
      file,
      h('label', { for: 'import-file', class: 'button file-button' },
        svg('svg', { class: 'file-icon', viewBox: '0 0 24 24', 'aria-hidden': 'true' },
          svg('path', { d: 'M12 15V4m0 0-4 4m4-4 4 4M5 14v4a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-4' })),
        'Choose a file to import'),
      error, mappingBox, result),
    h('p', {}, h('a', { class: 'button', href: '#summary' }, 'Printable summary')),
    h('div', { class: 'button-row' }, erase));
  file.setAttribute('aria-describedby', 'import-formats');
  // The importers load while the person is still in the file picker, not after they chose.
  let importer = null;
  const loadImporter = () => { importer ??= import('./import.js'); return importer; };
  file.addEventListener('click', () => { loadImporter().catch(() => { importer = null; }); });

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

  /** Store checked entries; journal.importEntries writes them in slices, with pauses between. */
  async function importInSlices(entries, extra = {}) {
    performance.mark('thaw-import-write');
    const plan = await journal.importEntries(entries, {
      ...extra,
      onProgress: (done, total) => {
        result.replaceChildren(h('p', {}, `Importing… ${done.toLocaleString('en')} of ${total.toLocaleString('en')}`));
      },
    });
    performance.measure('thaw-import-write', 'thaw-import-write'); // read by bench/data.py
    return plan;
  }

  async function importThaw(text) {
    const { raw, ownWords, ownTags } = readThawJson(text); // a broken file stops here: nothing written
    await pause(); // parsing a few MB of JSON is a task of its own, not the first check's too
    const entries = [];
    const invalid = [];
    for (let i = 0; i < raw.length; i += CHECK) {
      const checked = checkEntries(raw.slice(i, i + CHECK), i);
      entries.push(...checked.entries);
      invalid.push(...checked.invalid);
      await pause();
    }
    const plan = await importInSlices(entries, { ownWords, ownTags });
    showResult(summaryText({ ...plan, invalid: invalid.length }), invalid);
  }

  const reset = () => { mappingBox.hidden = true; mappingBox.replaceChildren(); file.value = ''; };

  /** Another app's history: the mapping screen first, then the import and its summary. */
  async function offerImport(parsed, ui) {
    const panel = ui.mappingPanel(parsed, {
      onCancel: () => { reset(); file.focus(); },
      onImport: async (made, chosen) => {
        error.textContent = '';
        try {
          const plan = await importInSlices(made.entries);
          reset();
          result.replaceChildren(...ui.importSummary(parsed, made, chosen, plan));
        } catch (failure) {
          error.textContent = `The import stopped (${failure.message}). Check-ins already written stay; importing the same file again finishes it without doubling anything.`;
        }
      },
    });
    mappingBox.replaceChildren(panel.element);
    mappingBox.hidden = false;
    await pause(); // focusing lays the page out: not in the task that built the panel
    panel.focus();
    requestAnimationFrame(() => setTimeout(panel.prepare, 0)); // once the screen is drawn
  }

  file.addEventListener('change', async () => {
    error.textContent = '';
    result.replaceChildren();
    mappingBox.hidden = true;
    const chosen = file.files[0];
    if (!chosen) return;
    result.replaceChildren(h('p', {}, `Reading ${chosen.name}…`));
    performance.mark('thaw-import-read');
    try {
      const ui = await loadImporter();
      const parsed = await ui.readImportFile(chosen); // a broken or foreign file stops here: nothing written
      performance.measure('thaw-import-read', 'thaw-import-read'); // read by bench/data.py
      await pause(); // the mapping screen is drawn in a task of its own
      result.replaceChildren();
      if (parsed.format === 'thaw') {
        await importThaw(parsed.text);
        file.value = '';
      } else {
        await offerImport(parsed, ui);
      }
    } catch (failure) {
      file.value = '';
      result.replaceChildren();
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
      sessionStorage.setItem('thaw-erased', '1'); // the next page says it was done
      history.replaceState(null, '', `${location.pathname}#checkin`);
      location.reload();
    } catch (failure) {
      error.textContent = failure.message;
    }
  });

  return { element };
}
