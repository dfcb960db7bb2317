import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isHowWeFeel, listText, readHowWeFeel } from '../../static/js/howwefeel.js';
import { buildEntries } from '../../static/js/import-entries.js';
import { detectFormat } from '../../static/js/imports.js';

const fixture = (name) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const suggested = (parsed) => Object.fromEntries(parsed.moods.map(({ key, suggestion: { core, word } }) => [key, word ? { core, word } : { core }]));

test('the classic layout: feeling words kept, people/places/events as tags, health numbers left out', async () => {
  const text = fixture('howwefeel-classic.csv');
  assert.equal(isHowWeFeel(text), true);
  assert.equal(detectFormat(null, text), 'howwefeel');
  const parsed = readHowWeFeel(text);
  assert.deepEqual(parsed.skipped, [{ where: 'Row 7', problems: ['The date (“2026 Tue Feb 31 8:00 AM”) can’t be read.'] }]);
  assert.deepEqual(parsed.moods.map((m) => [m.label, m.suggestion.core, m.suggestion.word ?? null]), [
    ['Calm', 'calm', null], ['Stressed', 'scared', 'stressed'], ['Ecstatic', 'happy', 'ecstatic'],
    ['Grateful', 'happy', 'grateful'], ['Flummoxed', 'numb', null],
  ]);
  assert.match(parsed.notices.join(' '), /Health numbers \(exercise, sleep, .*\) are not imported/);
  const { entries } = await buildEntries(parsed, { ...suggested(parsed), flummoxed: { core: 'surprised', word: 'flummoxed' } });
  assert.equal(entries.length, 5);
  const [calm, stressed, , , flummoxed] = entries;
  assert.match(calm.at, /^2026-02-08T16:04/);
  assert.deepEqual(calm.tags, ['by myself', 'home', 'reading']);
  assert.equal(calm.note, 'Tea and a book, rain outside');
  assert.deepEqual(stressed.tags, ['boss', 'coworkers', 'office', 'deadline']);
  assert.match(stressed.at, /^2026-02-07T09:12/);
  assert.deepEqual(flummoxed.feeling, { core: 'surprised', word: 'flummoxed' });
});

test('the newer layout: mood keys find the core, reflections and takeaways (JSON) join the note', async () => {
  const parsed = readHowWeFeel(fixture('howwefeel-2026.csv'));
  assert.deepEqual(parsed.skipped, []);
  assert.deepEqual(parsed.moods.map((m) => [m.key, m.label, m.suggestion.core, m.suggestion.word ?? null]), [
    ['down', 'Down', 'sad', 'down'], ['calm', 'Calm', 'calm', null], ['anxious', 'Ansioso', 'scared', 'anxious'],
    ['frustrated', 'Frustrated', 'angry', 'frustrated'],
  ]);
  const { entries } = await buildEntries(parsed, suggested(parsed));
  assert.equal(entries[0].note, 'A heavy day, slept most of it\nReflections:\nWhy do I feel this way? — Missing home\nTakeaways:\nCall Mum tomorrow');
  assert.match(entries[0].at, /^2026-07-22T23:36/);
  assert.equal(entries[1].note, '');
  assert.equal(entries[2].note, 'Reunión larga\nReflections:\nWhat happened? — The review ran late');
  assert.deepEqual(entries[3].tags, ['office', 'work']);
});

test('reflections as text, arrays or objects; hostile JSON kept as text', () => {
  assert.equal(listText('[]'), '');
  assert.equal(listText('["a", " b "]'), 'a\nb');
  assert.equal(listText('[{"prompt": "Why?", "response": "Because"}]'), 'Why? — Because');
  assert.equal(listText('just words'), 'just words');
  assert.equal(listText('[1, 2'), '[1, 2');
  assert.equal(listText(`${'['.repeat(50)}"deep"${']'.repeat(50)}`), '', 'past six levels nothing is read');
});
