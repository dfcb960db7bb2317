// The check-in screen: the wheel first, then optional intensity, body, tags, note and time.
// Minimum paths: core → word → Save (3 taps), Numb → Save (2 taps). Also edits a stored entry.
import { INTENSITY_LABELS, NUMB, TAGS, core as coreById, regionLabel } from '../feelings.js';
import { LIMITS, cleanLabel, isoWithOffset } from '../entry.js';
import { InvalidEntry } from '../journal.js';
import { choiceChips, toggleChips } from './chips.js';
import { h } from './dom.js';
import { createWheel } from './wheel.js';

const pad = (n) => String(n).padStart(2, '0');

/** The value a datetime-local input shows for a moment, in the device's time zone. */
function localInputValue(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function fieldset(legend, ...content) {
  return h('fieldset', { class: 'field' },
    h('legend', { class: 'visually-hidden' }, legend, h('span', { class: 'optional' }, ' · optional')), ...content);
}

/**
 * The details, out of the way: compact rows (How strong · Where in the body · What's going on ·
 * Note · When), each showing what was chosen, one open at a time.
 */
function createRows() {
  const rows = [];
  return {
    rows,
    add(title, ...content) {
      const value = h('span', { class: 'row-value' });
      const summary = h('summary', {}, h('span', { class: 'row-title' }, title), value);
      const body = h('div', { class: 'row-body' });
      const details = h('details', { class: 'detail-row' }, summary, body);
      // Fields join the page when the row first opens: no style or layout before.
      const firstOpen = [];
      const attach = () => {
        if (body.hasChildNodes()) return;
        for (const run of firstOpen) run();
        body.append(...content);
      };
      summary.addEventListener('click', attach);
      details.addEventListener('toggle', () => {
        attach();
        if (details.open) for (const other of rows) if (other.details !== details) other.details.open = false;
      });
      const row = { details, value, onFirstOpen: (run) => firstOpen.push(run) };
      rows.push(row);
      return row;
    },
    closeAll() { for (const row of rows) row.details.open = false; },
  };
}

/**
 * The body picker (body.js) is built the first time its row opens, so the first screen neither
 * downloads nor builds it; until then its value is kept here. Same interface as the picker.
 */
function lazyBody() {
  let picker = null;
  let chosen = [];
  let fill = null;
  const element = h('div', { class: 'body-slot' });
  return {
    element,
    async load() {
      if (picker) return;
      try {
        const { createBodyPicker } = await import('./body.js');
        if (picker) return;
        picker = createBodyPicker();
        picker.set(chosen);
        if (fill) picker.colour(fill);
        element.replaceChildren(picker.element);
      } catch {
        element.replaceChildren(h('p', { class: 'hint' }, 'This part is not saved on this device yet; it opens once you are online.'));
      }
    },
    value: () => (picker ? picker.value() : chosen.map((part) => ({ ...part, sensations: [...part.sensations] }))),
    set(value = []) { chosen = value; picker?.set(value); },
    colour(value) { fill = value; picker?.colour(value); },
  };
}

export function createCheckin({ journal, toast, title, hint = null, onSaved = () => {}, onDelete = () => {}, onCancel = () => {} }) {
  let editing = null; // the stored entry being edited, or null for a new check-in
  let timeTouched = false;

  const wheel = createWheel({
    ownWords: (core) => journal.ownWords(core),
    onAddWord: (core, word) => journal.addOwnWord(core, word),
    onChange: (feeling) => {
      error.textContent = '';
      const c = feeling && (feeling.core === NUMB.id ? NUMB : coreById(feeling.core));
      if (c) body.colour({ '--fill': c.light, '--fill-dark': c.dark });
    },
  });
  const intensity = choiceChips({
    label: 'How strong, from 1 (barely there) to 5 (very strong)',
    className: 'intensity',
    options: INTENSITY_LABELS.map((text, i) => ({ value: i + 1, text: String(i + 1), description: text })),
    onChange: (value) => { intensityText.textContent = value ? INTENSITY_LABELS[value - 1] : ''; },
  });
  const intensityText = h('p', { class: 'hint', 'aria-hidden': 'true' });
  const body = lazyBody();

  let extraTags = [];
  const tags = toggleChips({
    label: 'What’s going on',
    options: () => [...new Set([...TAGS, ...journal.ownTags(), ...extraTags])].map((t) => ({ value: t, text: t })),
  });
  const tagInput = h('input', { type: 'text', id: 'own-tag', maxlength: LIMITS.tag, autocomplete: 'off' });
  const tagAdd = h('button', { type: 'button', class: 'button' }, 'Add');
  const tagError = h('p', { class: 'field-error', role: 'alert' });

  const note = h('textarea', { id: 'note', rows: 3, maxlength: LIMITS.note, 'aria-describedby': 'note-count' });
  const noteCount = h('p', { id: 'note-count', class: 'hint' });
  // Text until its row opens: a first date-time field is costly (see ARCHITECTURE.md).
  const when = h('input', { type: 'text', id: 'when', step: 60 });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const save = h('button', { type: 'submit', class: 'button primary save' }, 'Save');
  const cancel = h('button', { type: 'button', class: 'button quiet', hidden: true, onclick: () => onCancel() }, 'Cancel');
  const remove = h('button', { type: 'button', class: 'button danger', hidden: true }, 'Delete');

  const rows = createRows();
  const strength = rows.add('How strong', fieldset('How strong is it?', intensity.element, intensityText));
  const where = rows.add('Where in the body', fieldset('Where do you feel it?', body.element));
  where.details.addEventListener('toggle', () => { if (where.details.open) body.load(); });
  const going = rows.add('What’s going on', fieldset('What’s going on?', tags.element,
    h('label', { for: 'own-tag', class: 'small-label' }, 'Add your own'),
    h('div', { class: 'inline' }, tagInput, tagAdd), tagError));
  const noteRow = rows.add('Note', h('div', { class: 'field' },
    h('label', { for: 'note' }, 'Note', h('span', { class: 'optional' }, ' · optional')), note, noteCount));
  const whenRow = rows.add('When', h('div', { class: 'field' }, h('label', { for: 'when' }, 'When'), when));
  whenRow.onFirstOpen(() => { when.type = 'datetime-local'; });
  const form = h('form', { class: 'checkin', novalidate: true },
    wheel.element,
    h('div', { class: 'details' }, ...rows.rows.map((r) => r.details)),
    error,
    h('div', { class: 'save-bar' }, cancel, remove, save));

  /** Each row's summary says what is chosen in it (or nothing: every detail is optional). */
  function summarise() {
    const level = intensity.value();
    strength.value.textContent = level ? `${level} · ${INTENSITY_LABELS[level - 1]}` : '';
    where.value.textContent = body.value().map((part) => regionLabel(part.region)).join(', ');
    going.value.textContent = tags.value().join(', ');
    const first = note.value.trim().split('\n')[0];
    noteRow.value.textContent = first.length > 28 ? `${first.slice(0, 27)}…` : first;
    whenRow.value.textContent = timeTouched || editing
      ? new Date(when.value).toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' })
      : 'Now';
  }
  for (const type of ['click', 'input', 'change']) form.addEventListener(type, () => queueMicrotask(summarise));

  const countNote = () => {
    const left = LIMITS.note - note.value.length;
    noteCount.textContent = left < 200 ? `${left} characters left` : '';
  };
  note.addEventListener('input', countNote);
  when.addEventListener('input', () => { timeTouched = true; });
  tagInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') { event.preventDefault(); addTag(); }
  });
  tagAdd.addEventListener('click', addTag);
  remove.addEventListener('click', () => onDelete(editing));
  form.addEventListener('submit', (event) => { event.preventDefault(); submit(); });

  async function addTag() {
    const tag = cleanLabel(tagInput.value);
    if (!tag) { tagError.textContent = 'Type a tag first.'; return; }
    tagError.textContent = '';
    await journal.addOwnTag(tag);
    extraTags = [...extraTags, tag];
    tags.set([...tags.value(), tag]);
    tagInput.value = '';
  }

  function chosenTime() {
    if (!timeTouched) return editing ? editing.at : isoWithOffset(new Date());
    const moment = new Date(when.value);
    if (!when.value || Number.isNaN(moment.getTime())) throw new InvalidEntry([{ field: 'at', message: 'Choose a date and time, or leave it as now.' }]);
    if (moment.getTime() > Date.now() + 60_000) throw new InvalidEntry([{ field: 'at', message: 'That time is still to come — choose a moment that has happened.' }]);
    return isoWithOffset(moment);
  }

  async function submit() {
    if (!wheel.value()) { wheel.needFeeling(); return; }
    const fields = {
      feeling: wheel.value(),
      intensity: intensity.value(),
      body: body.value(),
      tags: tags.value(),
      note: note.value,
    };
    save.disabled = true;
    try {
      const at = chosenTime();
      const saved = editing
        ? await journal.update(editing.id, { ...fields, at })
        : await journal.add(fields, at);
      const feeling = coreById(saved.feeling.core);
      const named = saved.feeling.word ?? feeling.label.toLowerCase();
      toast.show(editing ? 'Changes saved.' : journal.lock?.locked()
        ? `Saved and sealed: ${named}. It joins your journal when you unlock. Thank you for noticing.`
        : `Saved: ${named}. Thank you for noticing.`);
      const wasEditing = Boolean(editing);
      reset();
      onSaved(saved, wasEditing);
    } catch (failure) {
      error.textContent = failure instanceof InvalidEntry
        ? failure.message
        : `That could not be saved on this device (${failure.message}). Nothing was changed.`;
    } finally {
      save.disabled = false;
    }
  }

  function fill(entry) {
    wheel.set(entry?.feeling ?? null);
    intensity.set(entry?.intensity ?? null);
    intensityText.textContent = entry?.intensity ? INTENSITY_LABELS[entry.intensity - 1] : '';
    body.set(entry?.body ?? []);
    extraTags = entry?.tags ?? [];
    tags.set(entry?.tags ?? []);
    note.value = entry?.note ?? '';
    countNote();
    when.value = localInputValue(entry ? new Date(entry.at) : new Date());
    timeTouched = false;
    error.textContent = tagError.textContent = '';
    cancel.hidden = remove.hidden = !entry;
    save.textContent = entry ? 'Save changes' : 'Save';
    title.textContent = entry ? 'Edit check-in' : 'How are you, right now?';
    if (hint) hint.hidden = Boolean(entry);
    rows.closeAll();
    summarise();
  }

  function reset() {
    editing = null;
    fill(null);
    wheel.reset();
  }

  reset();
  return {
    element: form,
    /** Start a new check-in, unless one is already under way (keep what was chosen). */
    startNew() {
      if (editing) reset();
      else if (!wheel.value()) when.value = localInputValue(new Date());
    },
    edit(entry) {
      editing = entry;
      fill(entry);
    },
    isEditing: () => Boolean(editing),
    /** Offer words and tags that arrived from another device, keeping what is chosen. */
    refreshChoices() {
      tags.redraw();
    },
  };
}
