// One calm line at the bottom, with at most one action ("Undo"); it leaves by itself.
import { h } from './dom.js';

export function createToast(element) {
  let timer = null;
  let remaining = 0;
  let shown = 0; // the toast up now
  function hide() {
    clearTimeout(timer);
    element.replaceChildren();
    element.classList.remove('visually-hidden');
  }
  // Someone reaching for "Undo" by keyboard or pointer gets all the time they need.
  const hold = () => clearTimeout(timer);
  const resume = () => {
    if (!element.contains(document.activeElement)) timer = setTimeout(hide, remaining);
  };
  element.addEventListener('focusin', hold);
  element.addEventListener('pointerenter', hold);
  element.addEventListener('focusout', () => setTimeout(resume, 0));
  element.addEventListener('pointerleave', resume);
  return {
    show(message, { action = null, ms = 4000 } = {}) {
      hide();
      const parts = [h('span', {}, message)];
      if (action) {
        parts.push(h('button', {
          type: 'button', class: 'button',
          onclick: async () => { hide(); await action.run(); },
        }, action.label));
      }
      element.replaceChildren(...parts);
      remaining = ms;
      timer = setTimeout(hide, ms);
      return ++shown;
    },
    current: () => shown,
    /** Toast `which`, if still up: read out, no longer drawn. */
    quiet(which) {
      if (which === shown && !element.querySelector('button')) element.classList.add('visually-hidden');
    },
    hide,
  };
}

/** Ask once, in a modal dialog; resolves true when the person confirms. */
export function confirmOnce({ title, body, confirm, cancel = 'Keep it' }) {
  return new Promise((resolve) => {
    const yes = h('button', { type: 'button', class: 'button danger', value: 'yes' }, confirm);
    const no = h('button', { type: 'button', class: 'button', value: 'no' }, cancel);
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'dialog-title' },
      h('h2', { id: 'dialog-title' }, title), h('p', {}, body),
      h('div', { class: 'dialog-actions' }, no, yes));
    const finish = (answer) => { dialog.close(); dialog.remove(); resolve(answer); };
    yes.addEventListener('click', () => finish(true));
    no.addEventListener('click', () => finish(false));
    dialog.addEventListener('cancel', (event) => { event.preventDefault(); finish(false); });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}
