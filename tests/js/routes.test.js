import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRoute, routeHash } from '../../static/js/routes.js';

test('known views parse, with and without a parameter', () => {
  assert.deepEqual(parseRoute('#history'), { view: 'history', param: null });
  assert.deepEqual(parseRoute('#history/2026-11-24'), { view: 'history', param: '2026-11-24' });
  assert.deepEqual(parseRoute('#/settings'), { view: 'settings', param: null });
});

test('an empty or unknown hash shows the check-in', () => {
  for (const hash of ['', '#', '#nope', undefined, '#pair=abc']) {
    assert.equal(parseRoute(hash).view, 'checkin');
  }
});

test('routeHash round-trips through parseRoute', () => {
  const hash = routeHash('history', 'a b/c');
  assert.deepEqual(parseRoute(hash), { view: 'history', param: 'a b/c' });
  assert.throws(() => routeHash('elsewhere'));
});
