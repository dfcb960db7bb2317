import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BODY_REGIONS, CORES, INK, INK_DARK, NUMB, SENSATIONS, TAGS, core, coreOfWord, definition,
} from '../../static/js/feelings.js';

function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test('6–8 cores around numb, 5–8 words each, 50–70 words in all', () => {
  assert.ok(CORES.length >= 6 && CORES.length <= 8);
  for (const c of CORES) assert.ok(c.words.length >= 5 && c.words.length <= 8, c.id);
  const total = CORES.reduce((n, c) => n + c.words.length, 0);
  assert.ok(total >= 50 && total <= 70, `${total} words`);
  assert.equal(core('numb'), NUMB);
  assert.ok(CORES.some((c) => c.pleasant === true) && CORES.some((c) => c.pleasant === false));
  assert.ok(CORES.some((c) => c.energy === 'high') && CORES.some((c) => c.energy === 'low'));
});

test('ids and words are unique, and every word has a definition and a core', () => {
  const ids = [NUMB.id, ...CORES.map((c) => c.id)];
  assert.equal(new Set(ids).size, ids.length);
  const words = CORES.flatMap((c) => c.words.map(([w]) => w));
  assert.equal(new Set(words).size, words.length, 'a word appears under two cores');
  for (const c of CORES) {
    assert.ok(c.label && c.definition, c.id);
    for (const [word, meaning] of c.words) {
      assert.match(word, /^[a-z][a-z -]*$/);
      assert.ok(meaning.length >= 10 && meaning.length <= 80, `${word}: ${meaning}`);
      assert.equal(definition(c.id, word), meaning);
      assert.equal(coreOfWord(word), c.id);
    }
  }
  for (const list of [BODY_REGIONS.map((r) => r.id), SENSATIONS, TAGS]) {
    assert.equal(new Set(list).size, list.length);
  }
});

test('each colour passes WCAG AA (4.5:1) with its label, in light and dark mode', () => {
  for (const c of [NUMB, ...CORES]) {
    assert.ok(contrast(c.light, INK) >= 4.5, `${c.id} light ${contrast(c.light, INK).toFixed(2)}`);
    const ink = c.inkDark ?? INK_DARK;
    assert.ok(contrast(c.dark, ink) >= 4.5, `${c.id} dark ${contrast(c.dark, ink).toFixed(2)}`);
  }
});

test('colours tell the cores apart (no two the same)', () => {
  const fills = [NUMB, ...CORES].flatMap((c) => [c.light, c.dark]);
  assert.equal(new Set(fills).size, fills.length);
});

test('the wheel goes clockwise from high energy through pleasant to unpleasant', async () => {
  const { WHEEL_ORDER, CORES } = await import('../../static/js/feelings.js');
  assert.deepEqual(WHEEL_ORDER.map((c) => c.id), ['surprised', 'happy', 'loving', 'calm', 'sad', 'ashamed', 'scared', 'angry']);
  for (const c of CORES) {
    const [x, y] = c.place;
    assert.equal(y > 0, c.energy === 'high', `${c.id}: energy and place agree`);
    if (c.pleasant !== null) assert.equal(x > 0, c.pleasant, `${c.id}: pleasantness and place agree`);
  }
});

test('long words get one soft hyphen at a sensible place', async () => {
  const { breakable } = await import('../../static/js/feelings.js');
  const shown = (w) => breakable(w).replace('\u00ad', '-');
  assert.equal(shown('compassionate'), 'compas-sionate');
  assert.equal(shown('disappointed'), 'disap-pointed');
  assert.equal(shown('overwhelmed'), 'over-whelmed');
  assert.equal(shown('embarrassed'), 'embar-rassed');
  assert.equal(shown('discouraged'), 'dis-couraged');
  assert.equal(breakable('lonely'), 'lonely');
  assert.equal(breakable('a very long own phrase'), 'a very long own phrase');
});
