// db.js's pure part: which wanted ids a sorted key list holds (IndexedDB itself is tested in Chromium).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sortedHits } from '../../static/js/db.js';

test('sortedHits finds the ids among the keys and the span a range read would cover', () => {
  assert.deepEqual(sortedHits(['a', 'c', 'e'], []), { hits: [], span: 0 });
  assert.deepEqual(sortedHits([], ['a', 'b']), { hits: [], span: 0 });
  assert.deepEqual(sortedHits(['b', 'd', 'f'], ['a', 'b', 'c', 'd', 'e']), { hits: ['b', 'd'], span: 3 });
  assert.deepEqual(sortedHits(['a', 'z'], ['a', 'b', 'c', 'y', 'z']), { hits: ['a', 'z'], span: 5 });
  assert.deepEqual(sortedHits(['c'], ['a', 'b', 'c']), { hits: ['c'], span: 1 });
});

test('sortedHits agrees with a plain set lookup on random uuids, sorted as IndexedDB sorts them', () => {
  const ids = Array.from({ length: 400 }, () => crypto.randomUUID());
  const keys = [...ids.filter((_, i) => i % 3 === 0), ...Array.from({ length: 300 }, () => crypto.randomUUID())].sort();
  const wanted = [...ids].sort();
  const { hits, span } = sortedHits(wanted, keys);
  const stored = new Set(keys);
  assert.deepEqual(hits, wanted.filter((id) => stored.has(id)));
  assert.equal(span, keys.indexOf(hits.at(-1)) - keys.indexOf(hits[0]) + 1);
});
