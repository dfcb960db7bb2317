// Groups of toggle chips (many may be on) and of single-choice chips (radios that can be cleared).
import { focusItem, h, rovingFocus } from './dom.js';

/** Toggle buttons with aria-pressed; `value()` is the list of pressed values in option order. */
export function toggleChips({ label, options, onChange = () => {}, className = '' }) {
  let selected = new Set();
  const list = h('div', { class: `chips ${className}`, role: 'group', 'aria-label': label });

  function draw() {
    list.replaceChildren(...options().map(({ value, text }) => h('button', {
      type: 'button', class: 'chip', 'aria-pressed': String(selected.has(value)),
      dataset: { value },
      onclick: () => {
        if (selected.has(value)) selected.delete(value); else selected.add(value);
        draw();
        list.querySelector(`[data-value="${CSS.escape(value)}"]`)?.focus();
        onChange(api.value(), value);
      },
    }, text)));
  }

  const api = {
    element: list,
    value: () => options().map((o) => o.value).filter((v) => selected.has(v)),
    set(values) { selected = new Set(values); draw(); },
    redraw: draw,
  };
  draw();
  return api;
}

/** One choice or none: radios with roving focus; choosing the checked one again clears it. */
export function choiceChips({ label, options, onChange = () => {}, className = '', required = false }) {
  let chosen = null;
  const group = h('div', { class: `chips ${className}`, role: 'radiogroup', 'aria-label': label });
  rovingFocus(group, '[role="radio"]');

  function draw() {
    const items = options.map(({ value, text, description }) => h('button', {
      type: 'button', role: 'radio', class: 'chip', 'aria-checked': String(chosen === value),
      'aria-label': description ? `${text} — ${description}` : null,
      tabindex: -1, dataset: { value: String(value) },
      onclick: () => {
        chosen = chosen === value && !required ? null : value;
        draw();
        const again = group.querySelector(`[data-value="${value}"]`);
        focusItem([...group.children], again);
        onChange(chosen);
      },
    }, text));
    (items.find((i) => i.getAttribute('aria-checked') === 'true') ?? items[0]).tabIndex = 0;
    group.replaceChildren(...items);
  }

  draw();
  return {
    element: group,
    value: () => chosen,
    set(value) { chosen = value ?? null; draw(); },
  };
}
