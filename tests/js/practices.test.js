import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRACTICES, practice, suggest } from '../../static/js/practices.js';
import { CORES, NUMB } from '../../static/js/feelings.js';

test('every practice is complete: title, minutes, summary and steps', () => {
  assert.equal(new Set(PRACTICES.map((p) => p.id)).size, PRACTICES.length);
  for (const p of PRACTICES) {
    assert.ok(p.title && p.summary && p.minutes > 0 && p.minutes <= 10, p.id);
    assert.ok(p.steps.length >= 3, p.id);
  }
  assert.deepEqual(practice('breathing').pacer, { inhale: 4, exhale: 6 });
});

test('every feeling at every intensity gets a suggestion', () => {
  for (const core of [NUMB, ...CORES].map((c) => c.id)) {
    for (const intensity of [null, 1, 3, 5]) {
      assert.ok(PRACTICES.includes(suggest({ feeling: { core }, intensity })), `${core} ${intensity}`);
    }
  }
});

test('suggestions fit: grounding for numb, breathing for strong fear, kindness for shame', () => {
  assert.equal(suggest({ feeling: { core: 'numb' }, intensity: null }).id, 'grounding');
  assert.equal(suggest({ feeling: { core: 'scared', word: 'panicky' }, intensity: 5 }).id, 'breathing');
  assert.equal(suggest({ feeling: { core: 'scared' }, intensity: 2 }).id, 'grounding');
  assert.equal(suggest({ feeling: { core: 'ashamed' }, intensity: 3 }).id, 'kindness');
  assert.equal(suggest({ feeling: { core: 'sad' }, intensity: 2 }).id, 'song');
});
