import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEntry, isoWithOffset, problems, tombstone, validate } from '../../static/js/entry.js';

const HLC = '1732451234567-0000-9f3a6c01d2e4b5a7';
const ID = '3b241101-e2bb-4255-8caf-4136c566a962';

function good(overrides = {}) {
  return {
    id: ID, at: '2026-11-24T18:05:00.000+01:00', feeling: { core: 'sad', word: 'lonely' },
    intensity: 3, body: [{ region: 'chest', sensations: ['tight', 'heavy'] }],
    tags: ['alone', 'sleep'], note: 'Quiet evening.', hlc: HLC, deleted: false, ...overrides,
  };
}

test('good entries pass, including the smallest and the numb one', () => {
  assert.deepEqual(problems(good()), []);
  assert.deepEqual(problems(good({ feeling: { core: 'numb' }, intensity: null, body: [], tags: [], note: '' })), []);
  assert.deepEqual(problems(good({ feeling: { core: 'sad' } })), []);
  assert.deepEqual(problems(good({ feeling: { core: 'sad', word: 'bluesy' } })), [], 'an own word is allowed');
  assert.deepEqual(problems(good({ at: '2026-11-24T17:05:00Z' })), []);
  assert.deepEqual(problems(good({ note: '😶‍🌫️'.repeat(10) + 'é' })), []);
  assert.deepEqual(problems(tombstone(good(), HLC)), []);
});

test('bad values are refused with a message naming the field', () => {
  const cases = [
    [{ id: 'nope' }, 'id'],
    [{ hlc: '12-34' }, 'hlc'],
    [{ at: '24/11/2026' }, 'at'],
    [{ at: '2026-11-24T18:05:00' }, 'at'],
    [{ at: '2026-13-45T18:05:00Z' }, 'at'],
    [{ feeling: null }, 'feeling'],
    [{ feeling: { core: 'meh' } }, 'feeling'],
    [{ feeling: { core: 'numb', word: 'blank' } }, 'feeling'],
    [{ feeling: { core: 'happy', word: 'lonely' } }, 'feeling'],
    [{ feeling: { core: 'sad', word: 'x'.repeat(33) } }, 'feeling'],
    [{ feeling: { core: 'sad', word: 7 } }, 'feeling'],
    [{ intensity: 0 }, 'intensity'],
    [{ intensity: 6 }, 'intensity'],
    [{ intensity: 2.5 }, 'intensity'],
    [{ intensity: '3' }, 'intensity'],
    [{ body: [{ region: 'elbow', sensations: [] }] }, 'body'],
    [{ body: [{ region: 'chest', sensations: ['sparkly'] }] }, 'body'],
    [{ body: [{ region: 'chest', sensations: [] }, { region: 'chest', sensations: [] }] }, 'body'],
    [{ body: [{ region: 'nowhere', sensations: [] }, { region: 'chest', sensations: [] }] }, 'body'],
    [{ body: 'chest' }, 'body'],
    [{ tags: 'work' }, 'tags'],
    [{ tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'tags'],
    [{ tags: ['x'.repeat(33)] }, 'tags'],
    [{ tags: [5] }, 'tags'],
    [{ note: 'x'.repeat(2001) }, 'note'],
    [{ note: null }, 'note'],
    [{ deleted: 'no' }, 'deleted'],
    [{ mood: 'sad' }, 'entry'],
  ];
  for (const [change, field] of cases) {
    const result = validate(good(change));
    assert.equal(result.ok, false, JSON.stringify(change));
    assert.ok(result.problems.some((p) => p.field === field), `${JSON.stringify(change)} → ${JSON.stringify(result.problems)}`);
    assert.ok(result.problems.every((p) => typeof p.message === 'string' && p.message.length > 5));
  }
  assert.equal(validate(null).ok, false);
  assert.equal(validate({ id: ID, hlc: HLC, deleted: true, note: 'kept?' }).ok, false);
});

test('a note of exactly 2,000 characters (emoji count as one) is allowed', () => {
  assert.equal(validate(good({ note: 'x'.repeat(2000) })).ok, true);
  assert.equal(validate(good({ note: '🙂'.repeat(2000) })).ok, true);
});

test('normalising keeps meaning and one spelling', () => {
  const { entry } = validate(good({
    tags: ['  Work ', 'work', 'Long   Walk'],
    body: [{ region: 'stomach', sensations: ['heavy', 'heavy'] }, { region: 'head', sensations: [] }],
    feeling: { core: 'sad', word: ' Bluesy ' },
    note: 'ends with space   ',
  }));
  assert.deepEqual(entry.tags, ['work', 'long walk']);
  assert.deepEqual(entry.body, [{ region: 'head', sensations: [] }, { region: 'stomach', sensations: ['heavy'] }]);
  assert.deepEqual(entry.feeling, { core: 'sad', word: 'bluesy' });
  assert.equal(entry.note, 'ends with space');
});

test('createEntry fills defaults and makes a valid check-in', () => {
  const entry = createEntry({ feeling: { core: 'numb' } }, { hlc: HLC });
  assert.equal(validate(entry).ok, true);
  assert.deepEqual({ ...entry, id: 0, at: 0 }, {
    id: 0, at: 0, feeling: { core: 'numb' }, intensity: null, body: [], tags: [], note: '', hlc: HLC, deleted: false,
  });
});

test('isoWithOffset keeps the local wall time and offset', () => {
  const text = isoWithOffset(new Date('2026-03-29T00:30:00Z'));
  assert.match(text, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
  assert.equal(Date.parse(text), Date.parse('2026-03-29T00:30:00Z'));
});
