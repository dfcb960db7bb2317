import test from 'node:test';
import assert from 'node:assert/strict';
import { installHint, isIos } from '../../static/js/install.js';

const later = { standalone: false, canPrompt: false, ios: false, dismissed: false, firstSeen: '2026-12-01', today: '2026-12-03' };

test('the hint comes on a later day, in a tab, until answered', () => {
  assert.equal(installHint({ ...later, canPrompt: true }), 'prompt');
  assert.equal(installHint({ ...later, ios: true }), 'ios');
  assert.equal(installHint({ ...later, canPrompt: true, firstSeen: '2026-12-03' }), null, 'not on the first day');
  assert.equal(installHint({ ...later, canPrompt: true, firstSeen: null }), null);
  assert.equal(installHint({ ...later, canPrompt: true, standalone: true }), null, 'already installed');
  assert.equal(installHint({ ...later, ios: true, dismissed: true }), null, 'never again once answered');
  assert.equal(installHint(later), null, 'no prompt and not iOS: nothing to suggest');
});

test('iPhone, iPad (also as a touch Mac) are iOS; a Mac without touch and Android are not', () => {
  assert.ok(isIos('Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15'));
  assert.ok(isIos('Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)'));
  assert.ok(isIos('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15', 5));
  assert.ok(!isIos('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15', 0));
  assert.ok(!isIos('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile'));
});
