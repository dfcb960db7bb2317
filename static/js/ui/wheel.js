// The emotion wheel: numb at the centre, core feelings around it placed by energy (up) and
// pleasantness (right); choosing a core keeps it at the centre ("Just <core>") with its precise
// words around it in shades of its colour. A word's definition shows on focus, hover or a long
// press before choosing, and is each radio's description. Radios with roving focus for keyboards.
import { INK_DARK, NUMB, WHEEL_ORDER, breakable, core as coreById, definition } from '../feelings.js';
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
  // A core with dark text in dark mode shades its words toward white, the others toward black:
  // either way contrast only grows.
  const bright = Boolean(c.inkDark);
  return { '--fill': c.light, '--fill-dark': c.dark, '--ink-dark': c.inkDark ?? INK_DARK, '--mix-dark': bright ? '#fff' : '#000' };
}

export function createWheel({ ownWords = () => [], onAddWord = async () => {}, onChange = () => {} } = {}) {
  let feeling = null;
  let openCore = null;

  const circle = h('div', { class: 'wheel-circle' });
  const extra = h('div', { class: 'wheel-extra' });
  const mapHint = h('p', { id: 'wheel-map', class: 'visually-hidden' },
    'Arranged by energy, low at the bottom and high at the top, and by pleasantness, unpleasant on the left and pleasant on the right.');
  const axes = h('div', { class: 'wheel-axes', 'aria-hidden': 'true' },
    h('span', { class: 'axis energy' }, '↑ more energy'), h('span', { class: 'axis pleasant' }, 'more pleasant →'));
  const ring = h('div', { class: 'wheel', role: 'radiogroup' }, axes, circle, extra);
  const definitions = h('div', { hidden: true });
  const error = h('p', { class: 'field-error wheel-error', role: 'alert', id: 'wheel-error' });
  const chosen = h('p', { class: 'chosen', 'aria-live': 'polite', id: 'wheel-chosen' });
  const back = h('button', { type: 'button', class: 'button quiet', hidden: true }, '← All feelings');
  const addWord = h('button', { type: 'button', class: 'button', hidden: true }, '+ My own word');
  const wordInput = h('input', { type: 'text', maxlength: WORD_LIMIT, autocomplete: 'off', id: 'own-word' });
  const wordLabel = h('label', { for: 'own-word' });
  const wordError = h('p', { class: 'field-error', role: 'alert' });
  const wordSubmit = h('button', { type: 'button', class: 'button' }, 'Add');
  const wordForm = h('div', { class: 'own-word', hidden: true },
    wordLabel, h('div', { class: 'inline' }, wordInput, wordSubmit), wordError);
  const actions = h('div', { class: 'wheel-actions', hidden: true }, back, addWord);
  const element = h('div', { class: 'wheel-area' }, mapHint, definitions, ring, error, chosen, actions, wordForm);

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

  function radio(label, { value, fill, kind, title, onChoose, name = null, describe = null }) {
    const checked = feeling != null
      && (keyOf(feeling) === keyOf(value) || (kind === 'core' && feeling.core === value.core));
    let describedBy = null;
    if (describe) {
      describedBy = `def-${definitions.childElementCount}`;
      definitions.append(h('span', { id: describedBy }, describe));
    }
    const item = h('button', {
      type: 'button', role: 'radio', class: `slice ${kind}`, 'aria-checked': String(checked),
      dataset: { key: keyOf(value), describedby: describedBy ?? '' },
      tabindex: checked ? 0 : -1, style: fill, 'aria-label': name,
      'aria-describedby': checked ? 'wheel-chosen' : describedBy,
      title, onclick: onChoose,
    }, h('span', { class: 'tick', 'aria-hidden': 'true' }, '✓ '), label);
    if (title) peekOn(item, name ?? label, title);
    return item;
  }

  /** Show a word's definition before choosing: on focus, on hover, and on a long press. */
  let pressTimer = null;
  function peekOn(item, word, text) {
    const peek = () => { if (item.getAttribute('aria-checked') !== 'true') chosen.textContent = `${word} — ${text}`; };
    const settle = () => { clearTimeout(pressTimer); if (!ring.contains(document.activeElement)) showChosen(); };
    item.addEventListener('focus', peek);
    item.addEventListener('pointerenter', (event) => { if (event.pointerType === 'mouse') peek(); });
    item.addEventListener('pointerleave', settle);
    item.addEventListener('blur', () => setTimeout(settle));
    item.addEventListener('pointerdown', (event) => {
      if (event.pointerType !== 'mouse') pressTimer = setTimeout(peek, 400);
    });
    item.addEventListener('pointerup', () => clearTimeout(pressTimer));
    item.addEventListener('contextmenu', (event) => event.preventDefault()); // a long press shows the definition
  }

  function render(items, groupLabel) {
    // The ring holds up to RING_MAX words; more own words wait in a row below, same group.
    circle.replaceChildren(...items.slice(0, RING_MAX + 1));
    extra.replaceChildren(...items.slice(RING_MAX + 1));
    ring.setAttribute('aria-label', groupLabel);
    ring.dataset.mode = openCore ? 'words' : 'cores';
    if (openCore) ring.removeAttribute('aria-describedby'); else ring.setAttribute('aria-describedby', 'wheel-map');
    axes.hidden = Boolean(openCore);
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
    back.hidden = addWord.hidden = wordForm.hidden = actions.hidden = true;
    definitions.replaceChildren();
    render([
      radio(NUMB.label, { kind: 'centre', value: { core: NUMB.id }, fill: colours(NUMB),
        onChoose: () => choose({ core: NUMB.id }) }),
      ...WHEEL_ORDER.map((c) => radio(c.label, {
        kind: 'core', value: { core: c.id }, fill: colours(c),
        onChoose: () => { choose({ core: c.id }); showWords(c); focusChecked(); },
      })),
    ], 'Core feelings');
  }

  function showWords(c) {
    openCore = c;
    back.hidden = addWord.hidden = actions.hidden = false;
    definitions.replaceChildren();
    wordLabel.textContent = `Your own word for ${c.label.toLowerCase()}`;
    const words = [...c.words.map(([w]) => w), ...ownWords(c.id)];
    const shade = (i) => `${Math.round((i / Math.max(1, Math.min(words.length, RING_MAX) - 1)) * 36)}%`;
    render([
      // The core stays at the centre, by its own name; choosing it means "just this".
      radio([h('span', { class: 'core-name' }, c.label), h('span', { class: 'just' }, 'just this')], {
        kind: 'centre named', value: { core: c.id }, fill: colours(c), name: `Just ${c.label.toLowerCase()}`,
        onChoose: () => choose({ core: c.id }) }),
      ...words.map((word, i) => {
        const meaning = definition(c.id, word) ?? 'your own word';
        const shown = breakable(word); // a soft hyphen lets a long word wrap inside its target
        return radio(shown, {
          kind: word.length > 10 ? 'word long' : 'word', value: { core: c.id, word },
          name: shown === word ? null : word,
          fill: { ...colours(c), '--shade': shade(i % RING_MAX) },
          title: meaning, describe: meaning,
          onChoose: () => choose({ core: c.id, word }),
        });
      }),
    ], `More precise words for ${c.label.toLowerCase()}`);
  }

  /** The line under the wheel: what is chosen, with its meaning (or nothing yet). */
  function showChosen() {
    const next = feeling;
    if (!next) { chosen.textContent = ''; return; }
    const c = coreById(next.core);
    if (!next.word) {
      chosen.textContent = next.core === NUMB.id
        ? `${NUMB.label} — ${NUMB.definition}`
        : `${c.label} — ${c.definition}. A more precise word is optional.`;
    } else {
      chosen.textContent = `${next.word} — ${definition(next.core, next.word) ?? `your own word for ${c.label.toLowerCase()}`}`;
    }
  }

  function choose(next) {
    feeling = next;
    error.textContent = '';
    for (const item of ring.querySelectorAll('[role="radio"]')) {
      item.setAttribute('aria-checked', 'false');
      if (item.dataset.describedby) item.setAttribute('aria-describedby', item.dataset.describedby);
      else item.removeAttribute('aria-describedby');
    }
    showChosen();
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
    /** Say at the wheel, where the eye is, that a feeling is needed (scrolled into view, announced). */
    needFeeling(message = 'Choose a feeling on the wheel first — “Numb / can’t tell” counts.') {
      error.textContent = message;
      const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
      ring.scrollIntoView({ block: 'center', behavior: still ? 'auto' : 'smooth' });
      focusChecked();
    },
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
      chosen.textContent = error.textContent = '';
      showCores();
    },
  };
}
