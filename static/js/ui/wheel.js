// The emotion wheel: numb at the centre, core feelings around it; choosing a core opens its ring
// of precise words, with "Just <core>" at the centre. Radios with roving focus for keyboards.
import { CORES, NUMB, core as coreById, definition } from '../feelings.js';
import { cleanLabel } from '../entry.js';
import { focusItem, h, rovingFocus } from './dom.js';

const WORD_LIMIT = 32;
const RING_MAX = 8;

/** Where item i of n sits on the ring, in % of the wheel box (half a step off the top when even). */
function ringPosition(i, n) {
  const offset = n % 2 === 0 ? Math.PI / n : 0;
  const angle = -Math.PI / 2 + offset + (2 * Math.PI * i) / n;
  return { left: `${50 + 37.5 * Math.cos(angle)}%`, top: `${50 + 40 * Math.sin(angle)}%` };
}

const keyOf = (f) => `${f.core}|${f.word ?? ''}`;

function colours(c) {
  return { '--fill': c.light, '--fill-dark': c.dark };
}

export function createWheel({ ownWords = () => [], onAddWord = async () => {}, onChange = () => {} } = {}) {
  let feeling = null;
  let openCore = null;

  const circle = h('div', { class: 'wheel-circle' });
  const extra = h('div', { class: 'wheel-extra' });
  const ring = h('div', { class: 'wheel', role: 'radiogroup' }, circle, extra);
  const chosen = h('p', { class: 'chosen', 'aria-live': 'polite', id: 'wheel-chosen' });
  const back = h('button', { type: 'button', class: 'button quiet', hidden: true }, '← All feelings');
  const addWord = h('button', { type: 'button', class: 'button', hidden: true }, '+ My own word');
  const wordInput = h('input', { type: 'text', maxlength: WORD_LIMIT, autocomplete: 'off', id: 'own-word' });
  const wordLabel = h('label', { for: 'own-word' });
  const wordError = h('p', { class: 'field-error', role: 'alert' });
  const wordSubmit = h('button', { type: 'button', class: 'button' }, 'Add');
  const wordForm = h('div', { class: 'own-word', hidden: true },
    wordLabel, h('div', { class: 'inline' }, wordInput, wordSubmit), wordError);
  const element = h('div', { class: 'wheel-area' }, ring, chosen,
    h('div', { class: 'wheel-actions' }, back, addWord), wordForm);

  rovingFocus(ring, '[role="radio"]');
  back.addEventListener('click', () => { showCores(); focusChecked(); });
  addWord.addEventListener('click', () => {
    wordForm.hidden = false;
    wordInput.focus();
  });
  wordInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') { event.preventDefault(); addOwnWord(); }
  });
  wordSubmit.addEventListener('click', addOwnWord);
  async function addOwnWord() {
    const word = cleanLabel(wordInput.value);
    if (!word) { wordError.textContent = 'Type a word first.'; return; }
    wordError.textContent = '';
    await onAddWord(openCore.id, word);
    wordInput.value = '';
    wordForm.hidden = true;
    choose({ core: openCore.id, word });
    showWords(openCore);
    focusChecked();
  }

  function radio(label, { value, fill, kind, title, onChoose }) {
    const checked = feeling != null
      && (keyOf(feeling) === keyOf(value) || (kind === 'core' && feeling.core === value.core));
    return h('button', {
      type: 'button', role: 'radio', class: `slice ${kind}`, 'aria-checked': String(checked),
      dataset: { key: keyOf(value) },
      tabindex: checked ? 0 : -1, style: fill, 'aria-describedby': checked ? 'wheel-chosen' : null,
      title, onclick: onChoose,
    }, h('span', { class: 'tick', 'aria-hidden': 'true' }, '✓ '), label);
  }

  function render(items, groupLabel) {
    // The ring holds up to RING_MAX words; more own words wait in a row below, same group.
    circle.replaceChildren(...items.slice(0, RING_MAX + 1));
    extra.replaceChildren(...items.slice(RING_MAX + 1));
    ring.setAttribute('aria-label', groupLabel);
    ring.dataset.mode = openCore ? 'words' : 'cores';
    const around = items.slice(1, RING_MAX + 1);
    around.forEach((item, i) => {
      const pos = ringPosition(i, around.length);
      item.style.left = pos.left;
      item.style.top = pos.top;
    });
    if (!items.some((i) => i.tabIndex === 0)) items[0].tabIndex = 0;
  }

  function showCores() {
    openCore = null;
    back.hidden = addWord.hidden = wordForm.hidden = true;
    render([
      radio(NUMB.label, { kind: 'centre', value: { core: NUMB.id }, fill: colours(NUMB),
        onChoose: () => choose({ core: NUMB.id }) }),
      ...CORES.map((c) => radio(c.label, {
        kind: 'core', value: { core: c.id }, fill: colours(c),
        onChoose: () => { choose({ core: c.id }); showWords(c); focusChecked(); },
      })),
    ], 'Core feelings');
  }

  function showWords(c) {
    openCore = c;
    back.hidden = addWord.hidden = false;
    wordLabel.textContent = `Your own word for ${c.label.toLowerCase()}`;
    const words = [...c.words.map(([w]) => w), ...ownWords(c.id)];
    render([
      radio(`Just ${c.label.toLowerCase()}`, { kind: 'centre', value: { core: c.id }, fill: colours(c),
        onChoose: () => choose({ core: c.id }) }),
      ...words.map((word) => radio(word, {
        kind: 'word', value: { core: c.id, word }, fill: colours(c),
        title: definition(c.id, word) ?? 'your own word',
        onChoose: () => choose({ core: c.id, word }),
      })),
    ], `More precise words for ${c.label.toLowerCase()}`);
  }

  function choose(next) {
    feeling = next;
    for (const item of ring.querySelectorAll('[role="radio"]')) {
      item.setAttribute('aria-checked', 'false');
      item.removeAttribute('aria-describedby');
    }
    const c = coreById(next.core);
    if (!next.word) {
      chosen.textContent = next.core === NUMB.id
        ? `${NUMB.label} — ${NUMB.definition}`
        : `${c.label} — ${c.definition}. A more precise word is optional.`;
    } else {
      chosen.textContent = `${next.word} — ${definition(next.core, next.word) ?? `your own word for ${c.label.toLowerCase()}`}`;
    }
    // In the cores view, a core stays checked while one of its words is chosen.
    const keys = [keyOf(next), keyOf({ core: next.core })];
    const items = [...ring.querySelectorAll('[role="radio"]')];
    const match = items.find((i) => i.dataset.key === keys[0]) ?? items.find((i) => i.dataset.key === keys[1]);
    if (match) {
      match.setAttribute('aria-checked', 'true');
      match.setAttribute('aria-describedby', 'wheel-chosen');
    }
    onChange(feeling);
  }

  function focusChecked() {
    const items = [...ring.querySelectorAll('[role="radio"]')];
    focusItem(items, items.find((i) => i.getAttribute('aria-checked') === 'true') ?? items[0]);
  }

  showCores();
  return {
    element,
    value: () => feeling,
    /** Show a stored feeling (for editing): its core's ring with the word chosen. */
    set(next) {
      feeling = next ? { ...next } : null;
      chosen.textContent = '';
      const c = next && next.core !== NUMB.id ? coreById(next.core) : null;
      if (c) showWords(c); else showCores();
      if (next) choose(next);
    },
    reset() {
      feeling = null;
      chosen.textContent = '';
      showCores();
    },
  };
}
