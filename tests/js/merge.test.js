import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonical, merge, mergeAll } from '../../static/js/merge.js';
import { format } from '../../static/js/hlc.js';

const ID = '3b241101-e2bb-4255-8caf-4136c566a962';
const clock = (wall, node = 'aaaaaaaaaaaaaaaa', counter = 0) => format({ wall, counter, node });
const edit = (hlc, note) => ({ id: ID, at: '2026-11-24T18:05:00.000Z', feeling: { core: 'calm' }, intensity: null, body: [], tags: [], note, hlc, deleted: false });
const tomb = (hlc) => ({ id: ID, hlc, deleted: true });

test('the later clock wins, in either order', () => {
  const a = edit(clock(1000), 'a');
  const b = edit(clock(2000), 'b');
  assert.equal(merge(a, b), b);
  assert.equal(merge(b, a), b);
  assert.equal(merge(undefined, a), a);
});

test('a delete beats older edits and loses to a later edit', () => {
  const older = edit(clock(1000), 'old');
  const del = tomb(clock(2000));
  const later = edit(clock(3000), 'back');
  assert.equal(merge(older, del), del);
  assert.equal(merge(del, later), later);
});

// A small seeded generator, so failures repeat.
function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
function randomVersions(random, n) {
  const nodes = ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb', 'cccccccccccccccc'];
  return Array.from({ length: n }, () => {
    const hlc = clock(1000 + Math.floor(random() * 20), nodes[Math.floor(random() * 3)], Math.floor(random() * 3));
    return random() < 0.3 ? tomb(hlc) : edit(hlc, `note ${Math.floor(random() * 5)}`);
  });
}

test('merge is commutative, associative and idempotent over random histories', () => {
  const random = rng(20261124);
  for (let round = 0; round < 2000; round++) {
    const [a, b, c] = randomVersions(random, 3);
    assert.deepEqual(merge(a, b), merge(b, a));
    assert.deepEqual(merge(merge(a, b), c), merge(a, merge(b, c)));
    assert.equal(merge(a, a), a);
    assert.deepEqual(merge(merge(a, b), b), merge(a, b));
  }
});

test('two devices that saw the same versions in any order end the same', () => {
  const random = rng(7);
  for (let round = 0; round < 300; round++) {
    const versions = randomVersions(random, 1 + Math.floor(random() * 12));
    const shuffled = [...versions].sort(() => random() - 0.5);
    const fold = (list) => list.reduce((kept, v) => merge(kept, v), undefined);
    assert.equal(canonical(fold(versions)), canonical(fold(shuffled)));
  }
});

test('mergeAll returns only what changes the stored state', () => {
  const stored = new Map([[ID, edit(clock(2000), 'kept')]]);
  assert.deepEqual(mergeAll(stored, [edit(clock(1000), 'stale')]), []);
  const newer = edit(clock(3000), 'newer');
  const newest = tomb(clock(4000));
  assert.deepEqual(mergeAll(stored, [newer, newest, edit(clock(3500), 'middle')]), [newest]);
  assert.equal(canonical({ b: 1, a: [2, { d: 3, c: 4 }] }), '{"a":[2,{"c":4,"d":3}],"b":1}');
});
