import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PART_TIMES, isBearable, readBearable } from '../../static/js/bearable.js';
import { buildEntries } from '../../static/js/import-entries.js';
import { detectFormat } from '../../static/js/imports.js';
import { ImportError } from '../../static/js/transfer.js';

const text = readFileSync(new URL('fixtures/bearable.csv', import.meta.url), 'utf8');
const suggested = (parsed) => Object.fromEntries(parsed.moods.map(({ key, suggestion: { core, word } }) => [key, word ? { core, word } : { core }]));

test('mood rows become check-ins at the stated time of their part of the day', async () => {
  assert.equal(isBearable(text), true);
  assert.equal(detectFormat(null, text), 'bearable');
  const parsed = readBearable(text);
  assert.deepEqual(parsed.skipped, [{ where: 'Row 12', problems: ['The time of day (“evening?”) is not one Bearable uses.'] }]);
  assert.deepEqual(parsed.moods.map((m) => [m.key, m.count, m.suggestion.core, m.suggestion.word ?? null]), [
    ['anxious', 1, 'scared', 'anxious'], ['happy', 1, 'happy', null], ['rating:6', 1, 'calm', null],
    ['hopeless', 1, 'sad', 'hopeless'], ['excited', 1, 'happy', 'excited'],
  ]);
  assert.match(parsed.notices[0], /early \(“pre”\) 6:00, morning \(“am”\) 9:00, midday \(“mid”\) 13:00, evening \(“pm”\) 19:00, all day 12:00/);
  assert.match(parsed.notices.join(' '), /Symptoms and Factors of the same day become tags/);
  assert.match(parsed.notices.join(' '), /Not imported — numbers Thaw doesn’t keep: Energy \(1\), Sleep \(1\), Meds\/Supplements \(1\)/);
  const { entries } = await buildEntries(parsed, suggested(parsed));
  assert.deepEqual(entries.map((e) => e.at.slice(0, 16)), [
    '2020-09-22T09:00', '2020-09-22T19:00', '2020-09-23T13:00', '2020-09-24T06:00', '2020-10-01T19:00',
  ]);
  const [morning, evening, midday] = entries;
  assert.deepEqual(morning.feeling, { core: 'scared', word: 'anxious' });
  assert.deepEqual(morning.tags, ['headache', 'nausea'], 'symptoms of the same part of the day');
  assert.equal(morning.note, 'Slept badly\nAlso: Meh\nBearable mood: 4 of 10');
  assert.deepEqual(evening.tags, ['exercise', 'socialising']);
  assert.equal(evening.note, 'Good walk after work\nAlso: Relaxed\nBearable mood: 8 of 10');
  assert.deepEqual(midday.tags, ['caffeine', 'work from home'], 'all-day factors go on that day’s check-ins');
  assert.deepEqual(midday.feeling, { core: 'calm' });
  assert.deepEqual(PART_TIMES.am.time, [9, 0]);
});

test('a broken or foreign Bearable file is refused naming its row', () => {
  const broken = `${text.split('\n').slice(0, 3).join('\n')}\n"23rd Sep 2020","Wed","mid","Mood","6","Calm | tired,\n`;
  assert.throws(() => readBearable(broken), (e) => e instanceof ImportError && /^Row 4 of this Bearable file/.test(e.message));
  assert.throws(() => readBearable('date,mood\n'), /not a Bearable export/);
});
