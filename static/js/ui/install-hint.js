// The install hint: a dismissible card after a check-in on a later visit in a browser tab.
import { installHint, isIos } from '../install.js';
import { localToday } from '../stats.js';
import { h } from './dom.js';

/** The card after this check-in, or null: on a later day than the first check-in (`firstSeen`,
 * noted at the first one), in a browser tab, never again once answered (`installHintDone`). */
export async function installOffer({ journal, prompt }) {
  const today = localToday();
  let firstSeen = await journal.setting('firstSeen', null);
  if (!firstSeen) await journal.setSettings({ firstSeen: (firstSeen = today) });
  const kind = installHint({
    standalone: false, canPrompt: Boolean(prompt), ios: isIos(navigator.userAgent, navigator.maxTouchPoints),
    dismissed: await journal.setting('installHintDone', false), firstSeen, today,
  });
  return kind ? installCard(kind, { prompt, done: () => journal.setSettings({ installHintDone: true }) }) : null;
}

/** `kind` from install.js; `prompt` the deferred beforeinstallprompt event; `done` remembers
 * that the card was answered (it never comes back). */
export function installCard(kind, { prompt = null, done }) {
  const card = h('aside', { class: 'card suggestion install-hint', 'aria-labelledby': 'install-title' });
  const close = () => { card.remove(); done(); };
  if (kind === 'prompt') {
    const install = h('button', { type: 'button', class: 'button primary' }, 'Install Thaw');
    install.addEventListener('click', async () => {
      done();
      await prompt.prompt();
      const { outcome } = await prompt.userChoice;
      card.replaceChildren(h('p', { role: 'status' }, outcome === 'accepted'
        ? 'Thaw is installed. Open it from your home screen or app list.'
        : 'Not installed. You can install Thaw later from the browser’s menu.'));
    });
    card.append(
      h('h3', { id: 'install-title' }, 'Keep Thaw on this device'),
      h('p', {}, 'Installed, Thaw opens like an app, works offline, and your journal stays with it.'),
      h('div', { class: 'button-row' }, install,
        h('button', { type: 'button', class: 'button quiet', onclick: close }, 'Not now')));
  } else {
    card.append(
      h('h3', { id: 'install-title' }, 'Add Thaw to your Home Screen'),
      h('p', {}, 'On iPhone and iPad, Safari can clear a website’s data after 7 days without a visit — '
        + 'your journal with it. On the Home Screen, Thaw is kept like an app, and reminders can reach you.'),
      h('p', {}, 'Tap Share ', h('span', { 'aria-hidden': 'true' }, '(the square with an arrow)'),
        ', then “Add to Home Screen”.'),
      h('div', { class: 'button-row' },
        h('button', { type: 'button', class: 'button quiet', onclick: close }, 'Got it')));
  }
  return card;
}
