// A moment after Save: the word in its colour, one short line, a quiet "Need support now?" after
// a heavy state held strongly, and the suggested practice — then a fresh wheel below. No score.
import { NUMB, core as coreById } from '../feelings.js';
import { h } from './dom.js';

/** Words that, felt strongly (intensity 4–5), earn a quiet link to support. */
export const HEAVY = new Set(['hopeless', 'panicky', 'helpless', 'overwhelmed', 'humiliated', 'grieving']);

/** Once, after the third check-in: would a gentle reminder help? (never a nag: one "No thanks"). */
export function reminderOffer({ onNo }) {
  const card = h('aside', { class: 'card suggestion', 'aria-labelledby': 'offer-title' },
    h('h3', { id: 'offer-title' }, 'Would a gentle reminder help?'),
    h('p', {}, 'You choose when: at random moments, at set times, or only on days you haven’t checked in.'),
    h('div', { class: 'button-row' },
      h('a', { class: 'button primary', href: '#settings/reminders' }, 'Choose reminders'),
      h('button', { type: 'button', class: 'button quiet', onclick: () => { card.remove(); onNo(); } }, 'No thanks')));
  return card;
}

export function momentCard(entry, practiceCard = null, offer = null) {
  const c = entry.feeling.core === NUMB.id ? NUMB : coreById(entry.feeling.core);
  const word = entry.feeling.word ?? (c === NUMB ? 'Numb / can’t tell' : c.label.toLowerCase());
  const heavy = HEAVY.has(entry.feeling.word) && (entry.intensity ?? 0) >= 4;
  return h('div', { class: 'moment', tabindex: '-1' },
    h('div', { class: 'card moment-card', style: { '--fill': c.light, '--fill-dark': c.dark } },
      h('p', { class: 'moment-word' }, h('span', { class: 'moment-dot', 'aria-hidden': 'true' }), word),
      h('p', { class: 'moment-line' }, 'Noted. Naming it is the practice.'),
      heavy ? h('p', { class: 'moment-support' }, h('a', { href: '#support' }, 'Need support now?')) : null),
    offer, practiceCard);
}
