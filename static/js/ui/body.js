// Where in the body: a figure to tap (for pointers) mirrored by labelled toggle chips (for
// everyone), and beside the figure the sensation words of the place just chosen.
import { BODY_REGIONS, SENSATIONS, regionLabel } from '../feelings.js';
import { h, svg } from './dom.js';
import { toggleChips } from './chips.js';

// A front view on a 120 × 240 canvas, soft rather than boxy; the face is an oval inside the
// head (no line across it). "All over" and "nowhere" have chips only.
export const SHAPES = {
  head: () => svg('circle', { cx: 60, cy: 22, r: 17 }),
  face: () => svg('ellipse', { cx: 60, cy: 27, rx: 10.5, ry: 9 }),
  throat: () => svg('path', { d: 'M53 38 q7 3 14 0 v10 q-7 3 -14 0 z' }),
  shoulders: () => svg('path', { d: 'M53 49 q7 3 14 0 q18 1 24 9 q3 4 3 9 h-68 q0 -5 3 -9 q6 -8 24 -9 z' }),
  chest: () => svg('path', { d: 'M29 69 h62 q-1 20 -4 37 q-27 6 -54 0 q-3 -17 -4 -37 z' }),
  stomach: () => svg('path', { d: 'M34 108 q26 6 52 0 q-1 18 2 36 q-28 7 -56 0 q3 -18 2 -36 z' }),
  arms: () => svg('path', {
    d: 'M26 68 q-7 3 -8 14 l-4 48 q-1 14 2 26 q2 5 6 4 q3 -1 3 -6 l1 -22 l5 -44 z '
      + 'M94 68 q7 3 8 14 l4 48 q1 14 -2 26 q-2 5 -6 4 q-3 -1 -3 -6 l-1 -22 l-5 -44 z',
  }),
  legs: () => svg('path', {
    d: 'M32 146 q13 4 27 4 l-2 78 q0 6 -6 6 h-7 q-5 0 -5 -6 l-8 -72 q0 -6 1 -10 z '
      + 'M88 146 q-13 4 -27 4 l2 78 q0 6 6 6 h7 q5 0 5 -6 l8 -72 q0 -6 -1 -10 z',
  }),
};

export function createBodyPicker({ onChange = () => {} } = {}) {
  let sensations = {};
  let active = null; // the place whose sensation words show beside the figure
  const figure = svg('svg', { viewBox: '0 0 120 240', class: 'body-figure', 'aria-hidden': 'true' });
  const shapes = {};
  for (const [region, make] of Object.entries(SHAPES)) {
    const shape = make();
    shape.dataset.region = region;
    shape.addEventListener('click', () => tapped(region));
    shapes[region] = shape;
    figure.append(shape);
  }

  const regions = toggleChips({
    label: 'Where in the body',
    className: 'regions',
    options: () => BODY_REGIONS.map((r) => ({ value: r.id, text: r.label })),
    onChange: (_, changed) => settle(changed),
  });
  const beside = h('div', { class: 'sensation-panel' });
  // The places as chips first (they never move: what changes is below them), then the figure
  // with the words beside it; a keyboard reaches a place's words right after the places.
  const element = h('div', { class: 'body-picker' }, regions.element, figure, beside);

  /** A tap on the figure chooses a place and shows its words; a tap on the place whose words
   * show takes it away again; a tap on another chosen place shows that one's words. */
  function tapped(region) {
    const chosen = regions.value();
    if (chosen.includes(region) && active !== region) {
      active = region;
      draw();
      return;
    }
    regions.set(chosen.includes(region) ? chosen.filter((r) => r !== region) : [...chosen, region]);
    settle(region);
  }

  /** "Nowhere I can tell" goes alone; choosing it clears the rest, and the reverse. */
  function settle(changed) {
    let chosen = regions.value();
    if (chosen.includes(changed)) {
      chosen = changed === 'nowhere' ? ['nowhere'] : chosen.filter((r) => r !== 'nowhere');
      regions.set(chosen);
      active = changed;
    } else if (active === changed || !chosen.includes(active)) {
      active = chosen.filter((r) => r !== 'nowhere').at(-1) ?? null;
    }
    draw();
    onChange(value());
  }

  function wordsFor(region) {
    const picker = toggleChips({
      label: `${regionLabel(region)} feels`,
      className: 'small sensations',
      options: () => SENSATIONS.map((s) => ({ value: s, text: s })),
      onChange: (list) => { sensations[region] = list; onChange(value()); },
    });
    picker.set(sensations[region] ?? []);
    return h('div', { class: 'sensation-row' },
      h('p', { class: 'sensation-label', 'aria-hidden': 'true' }, `${regionLabel(region)} feels…`), picker.element);
  }

  /** Another chosen place, folded to one button that says what was chosen there. */
  function folded(region) {
    const words = sensations[region] ?? [];
    return h('button', {
      type: 'button', class: 'sensation-switch', 'aria-label': `${regionLabel(region)}: ${words.length ? words.join(', ') : 'no words yet'} — change`,
      onclick: () => { active = region; draw(); beside.querySelector('.sensations .chip')?.focus(); },
    }, h('strong', {}, regionLabel(region)), words.length ? ` · ${words.join(', ')}` : ' · add words');
  }

  function draw() {
    const chosen = regions.value();
    for (const [region, shape] of Object.entries(shapes)) {
      shape.classList.toggle('on', chosen.includes(region) || chosen.includes('all-over'));
      shape.classList.toggle('active', region === active);
    }
    const places = chosen.filter((r) => r !== 'nowhere');
    if (chosen.includes('nowhere')) {
      beside.replaceChildren(h('p', { class: 'sensation-hint' }, 'Nowhere I can tell — that is an answer too.'));
    } else if (!places.length) {
      beside.replaceChildren(h('p', { class: 'sensation-hint' }, 'Tap where you feel it. Its words show here.'));
    } else {
      // The other places chosen, folded, first (in view), then the words of the place just chosen.
      beside.replaceChildren(...places.filter((r) => r !== active).map(folded), ...(active ? [wordsFor(active)] : []));
    }
  }

  function value() {
    return regions.value().map((region) => ({
      region, sensations: region === 'nowhere' ? [] : [...(sensations[region] ?? [])],
    }));
  }

  return {
    element,
    value,
    /** The places chosen take the colour of the feeling being named (fill `light`/`dark`). */
    colour(fill) {
      for (const [name, value] of Object.entries(fill ?? {})) element.style.setProperty(name, value);
    },
    set(body = []) {
      sensations = Object.fromEntries(body.map((part) => [part.region, [...part.sensations]]));
      regions.set(body.map((part) => part.region));
      active = body.map((part) => part.region).find((r) => r !== 'nowhere') ?? null;
      draw();
    },
  };
}
