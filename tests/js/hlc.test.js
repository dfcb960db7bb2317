import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClock, format, parse, HLC_PATTERN, newNodeId } from '../../static/js/hlc.js';

const NODE_A = 'aaaaaaaaaaaaaaaa';
const NODE_B = 'bbbbbbbbbbbbbbbb';

test('string form matches the server pattern and round-trips', () => {
  const text = format({ wall: 1732451234567, counter: 10, node: '9f3a6c01d2e4b5a7' });
  assert.equal(text, '1732451234567-000a-9f3a6c01d2e4b5a7');
  assert.match(text, HLC_PATTERN);
  assert.deepEqual(parse(text), { wall: 1732451234567, counter: 10, node: '9f3a6c01d2e4b5a7' });
  assert.throws(() => parse('1732451234567-a-9f3a'));
  assert.match(newNodeId(), /^[0-9a-f]{16}$/);
});

test('now() never goes backwards, even when the wall clock does', () => {
  let wall = 1_700_000_000_000;
  const clock = createClock({ node: NODE_A, physical: () => wall });
  const seen = [clock.now(), clock.now()];
  wall -= 60_000; // the device clock is set back a minute
  seen.push(clock.now(), clock.now());
  wall += 120_000;
  seen.push(clock.now());
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] > seen[i - 1], `${seen[i]} > ${seen[i - 1]}`);
  assert.equal(parse(seen[3]).wall, 1_700_000_000_000);
  assert.equal(parse(seen[3]).counter, 3);
});

test('a clock restored from its last value continues after it', () => {
  const wall = 1_700_000_000_000;
  const first = createClock({ node: NODE_A, physical: () => wall });
  const last = first.now();
  const again = createClock({ node: NODE_A, last, physical: () => wall - 5 });
  assert.ok(again.now() > last);
});

test('receive() moves past a remote clock that is ahead', () => {
  const a = createClock({ node: NODE_A, physical: () => 1_000_000_000_000 });
  const remote = format({ wall: 1_000_000_050_000, counter: 7, node: NODE_B });
  const after = a.receive(remote);
  assert.ok(after > remote);
  assert.ok(a.now() > after);
  assert.deepEqual(parse(after), { wall: 1_000_000_050_000, counter: 8, node: NODE_A });
});

test('string order is clock order across many random steps', () => {
  let wall = 1_600_000_000_000;
  const clock = createClock({ node: NODE_A, physical: () => wall });
  let previous = '';
  for (let i = 0; i < 5000; i++) {
    wall += Math.floor(Math.random() * 7) - 3; // jitters, sometimes backwards
    const next = i % 10 === 0
      ? clock.receive(format({ wall: wall + 5, counter: i % 300, node: NODE_B }))
      : clock.now();
    assert.ok(next > previous);
    previous = next;
  }
});

test('a counter overflow borrows the next millisecond', () => {
  const clock = createClock({ node: NODE_A, last: format({ wall: 5_000_000_000_000, counter: 0xffff, node: NODE_A }), physical: () => 4_999_999_999_000 });
  assert.equal(clock.now(), format({ wall: 5_000_000_000_001, counter: 0, node: NODE_A }));
});
