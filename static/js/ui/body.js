// Where in the body: an outline to tap (for pointers) mirrored by labelled toggle chips (for
// everyone), and sensation words for each place chosen.
import { BODY_REGIONS, SENSATIONS, regionLabel } from '../feelings.js';
import { h, svg } from './dom.js';
import { toggleChips } from './chips.js';

// Shapes on a 120 × 240 outline; "all-over" and "nowhere" have chips only.
export const SHAPES = {
  head: () => svg('path', { d: 'M42 30 a18 18 0 0 1 36 0 z' }),
  face: () => svg('path', { d: 'M42 30 h36 a18 18 0 0 1 -36 0 z' }),
  throat: () => svg('rect', { x: 52, y: 48, width: 16, height: 12, rx: 3 }),
  shoulders: () => svg('path', { d: 'M24 66 q4 -6 18 -6 h36 q14 0 18 6 v8 h-72 z' }),
  chest: () => svg('rect', { x: 34, y: 74, width: 52, height: 40, rx: 6 }),
  stomach: () => svg('rect', { x: 36, y: 114, width: 48, height: 36, rx: 8 }),
  arms: () => svg('path', { d: 'M24 74 h10 v76 l-4 22 h-10 l2 -22 z M86 74 h10 l2 76 l2 22 h-10 l-4 -22 z' }),
  legs: () => svg('path', { d: 'M38 150 h20 l-2 84 h-14 z M62 150 h20 l-4 84 h-14 z' }),
};

export function createBodyPicker({ onChange = () => {} } = {}) {
  let sensations = {};
  const figure = svg('svg', { viewBox: '0 0 120 240', class: 'body-figure', 'aria-hidden': 'true' });
  const shapes = {};
  for (const [region, make] of Object.entries(SHAPES)) {
    const shape = make();
    shape.dataset.region = region;
    shape.addEventListener('click', () => toggle(region));
    shapes[region] = shape;
    figure.append(shape);
  }

  const regions = toggleChips({
    label: 'Where in the body',
    className: 'regions',
    options: () => BODY_REGIONS.map((r) => ({ value: r.id, text: r.label })),
    onChange: (_, changed) => settle(changed),
  });
  const details = h('div', { class: 'sensations' });
  const element = h('div', { class: 'body-picker' },
    h('div', { class: 'body-layout' }, figure, regions.element), details);

  function toggle(region) {
    const now = new Set(regions.value());
    if (now.has(region)) now.delete(region); else now.add(region);
    regions.set([...now]);
    settle(region);
  }

  /** "Nowhere I can tell" goes alone; choosing it clears the rest, and the reverse. */
  function settle(changed) {
    let chosen = regions.value();
    if (chosen.includes(changed)) {
      if (changed === 'nowhere') chosen = ['nowhere'];
      else chosen = chosen.filter((r) => r !== 'nowhere');
      regions.set(chosen);
    }
    draw();
    onChange(value());
  }

  function draw() {
    const chosen = regions.value();
    for (const [region, shape] of Object.entries(shapes)) {
      shape.classList.toggle('on', chosen.includes(region) || chosen.includes('all-over'));
    }
    details.replaceChildren(...chosen.filter((r) => r !== 'nowhere').map((region) => {
      const picker = toggleChips({
        label: `${regionLabel(region)} feels`,
        className: 'small',
        options: () => SENSATIONS.map((s) => ({ value: s, text: s })),
        onChange: (list) => { sensations[region] = list; onChange(value()); },
      });
      picker.set(sensations[region] ?? []);
      return h('div', { class: 'sensation-row' },
        h('p', { class: 'sensation-label' }, `${regionLabel(region)} feels…`), picker.element);
    }));
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
      draw();
    },
  };
}
