// Practices: the list, one practice's steps, and the breathing pacer (which keeps still when
// the person prefers reduced motion, and only changes its words).
import { PRACTICES, practice } from '../practices.js';
import { h, svg } from './dom.js';

function pacer({ inhale, exhale }) {
  const cue = h('p', { class: 'pacer-cue', 'aria-live': 'polite' }, 'Ready when you are.');
  const circle = svg('circle', { cx: 50, cy: 50, r: 30, class: 'pacer-circle' });
  const picture = svg('svg', { viewBox: '0 0 100 100', class: 'pacer', 'aria-hidden': 'true' }, circle);
  const button = h('button', { type: 'button', class: 'button primary' }, 'Start');
  let timer = null;
  let phase = 'out';

  function step() {
    phase = phase === 'in' ? 'out' : 'in';
    const seconds = phase === 'in' ? inhale : exhale;
    picture.dataset.phase = phase;
    picture.style.setProperty('--phase-seconds', `${seconds}s`);
    cue.textContent = phase === 'in' ? `Breathe in… ${seconds}` : `Breathe out… ${seconds}`;
    timer = setTimeout(step, seconds * 1000);
  }
  function stop() {
    clearTimeout(timer);
    timer = null;
    picture.dataset.phase = '';
    cue.textContent = 'Stopped. Come back any time.';
    button.textContent = 'Start';
  }
  button.addEventListener('click', () => {
    if (timer) { stop(); return; }
    button.textContent = 'Stop';
    phase = 'out';
    step();
  });
  const element = h('div', { class: 'pacer-box' }, picture, cue, button);
  return { element, stop: () => timer && stop() };
}

export function createPractices() {
  const element = h('div', { class: 'practices' });
  let running = null;

  function list() {
    return h('div', {},
      h('p', { class: 'caption' }, 'Small things to try when you want to. None of them is a test, and skipping is fine.'),
      h('ul', { class: 'practice-list' }, PRACTICES.map((p) => h('li', {},
        h('a', { class: 'practice-card', href: `#practices/${p.id}` },
          h('strong', {}, p.title), h('span', { class: 'hint' }, `${p.summary} · about ${p.minutes} min`))))));
  }

  function detail(p) {
    const tool = p.pacer ? pacer(p.pacer) : null;
    running = tool;
    return h('article', { class: 'practice', 'aria-labelledby': 'practice-title' },
      h('h3', { id: 'practice-title', tabindex: '-1' }, p.title),
      h('p', { class: 'caption' }, `${p.summary} About ${p.minutes} minute${p.minutes === 1 ? '' : 's'}.`),
      tool?.element,
      h('ol', { class: 'steps' }, p.steps.map((s) => h('li', {}, s))),
      h('a', { class: 'button', href: '#practices' }, 'All practices'));
  }

  return {
    element,
    show(id) {
      running?.stop();
      running = null;
      const p = id ? practice(id) : null;
      element.replaceChildren(p ? detail(p) : list());
    },
    leave() { running?.stop(); },
  };
}

/** The optional suggestion shown after a check-in: one practice, easy to dismiss. */
export function suggestionCard(p, { onDismiss }) {
  const card = h('aside', { class: 'card suggestion', 'aria-labelledby': 'suggestion-title' },
    h('h3', { id: 'suggestion-title' }, 'If you’d like, something small to try'),
    h('p', {}, h('strong', {}, p.title), ` — ${p.summary} About ${p.minutes} min.`),
    h('div', { class: 'button-row' },
      h('a', { class: 'button primary', href: `#practices/${p.id}` }, 'Try it'),
      h('button', { type: 'button', class: 'button quiet', onclick: () => { card.remove(); onDismiss?.(); } }, 'Not now')));
  return card;
}
