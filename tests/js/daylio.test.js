import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isDaylioCsv, readDaylioCsv } from '../../static/js/daylio.js';
import { buildEntries } from '../../static/js/import-entries.js';
import { feelingFromValue, feelingValue } from '../../static/js/mood-map.js';
import { ImportError, importPlan } from '../../static/js/transfer.js';

const fixture = (name) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const suggested = (parsed) => Object.fromEntries(parsed.moods.map((m) => [m.key, feelingFromValue(feelingValue(m.suggestion))]));
const byNote = (entries, start) => entries.find((e) => e.note.startsWith(start));

test('2017 Polish export: year column, BOM, CRLF, genitive months, unquoted activities with commas', async () => {
  const text = fixture('daylio-2017-pl.csv');
  assert.ok(text.startsWith('\uFEFF') && text.includes('\r\n'));
  assert.equal(isDaylioCsv(text), true);
  const parsed = readDaylioCsv(text);
  assert.equal(parsed.records.length, 4);
  assert.deepEqual(parsed.skipped, [{ where: 'Row 6', problems: ['The date (“31 lutego 2017”) can’t be read.'] }]);
  assert.deepEqual(parsed.moods.map((m) => [m.label, m.count, m.suggestion.core]), [
    ['świetnie', 1, 'happy'], ['tak sobie', 1, 'calm'], ['źle', 1, 'sad'], ['dobrze', 1, 'happy'],
  ]);
  const { entries, skipped } = await buildEntries(parsed, suggested(parsed));
  assert.deepEqual(skipped, []);
  const concert = byNote(entries, 'Koncert');
  assert.match(concert.at, /^2017-09-07T21:05/);
  assert.deepEqual(concert.tags, ['przyjaciele', 'muzyka']);
  const long = byNote(entries, 'Długi dzień');
  assert.deepEqual(long.tags, ['praca', 'sen', 'zakupy'], 'the fields past the header belong to activities');
  assert.equal(long.note, 'Długi dzień, zmęczenie');
  assert.match(entries.find((e) => e.feeling.core === 'calm').at, /^2017-09-07T09:03/);
});

test('2018 Spanish export with \\r\\r\\n line ends and 12-hour times', async () => {
  const parsed = readDaylioCsv(fixture('daylio-2018-es.csv'));
  assert.deepEqual(parsed.skipped, []);
  const { entries } = await buildEntries(parsed, suggested(parsed));
  assert.deepEqual(entries.map((e) => e.at.slice(0, 16)), ['2018-10-16T21:23', '2018-10-16T19:24', '2018-01-02T05:01']);
  assert.deepEqual(entries.map((e) => e.feeling), [{ core: 'happy', word: 'joyful' }, { core: 'happy', word: 'content' }, { core: 'sad' }]);
  assert.equal(entries[0].note, 'Película con Ana, ¡qué risa!');
});

test('full_date layout: times 9:23 PM / 7:24 pm / 5:01 AM / 13:05, spilled activities', async () => {
  const parsed = readDaylioCsv(fixture('daylio-full-date.csv'));
  const { entries } = await buildEntries(parsed, suggested(parsed));
  assert.deepEqual(entries.map((e) => e.at.slice(11, 16)), ['21:23', '19:24', '05:01', '13:05']);
  assert.deepEqual(entries[0].tags, ['friends', 'music', 'long walk']);
  assert.equal(entries[0].note, 'Hike with Jo');
  assert.deepEqual(entries[2].tags, ['work', 'sleep']);
  assert.equal(entries[2].note, "Woke at 5, couldn't get back to sleep");
});

test('note titles and HTML notes become plain text; renamed moods grouped whatever their case or apostrophes', async () => {
  const parsed = readDaylioCsv(fixture('daylio-note-title.csv'));
  assert.deepEqual(parsed.skipped, [{ where: 'Row 9', problems: ['The time (“late”) can’t be read.'] }]);
  assert.deepEqual(parsed.moods.map((m) => [m.key, m.label, m.count]), [
    ['good', 'Good', 1], ['meh', 'Meh', 1], ['sleepy', 'sleepy', 1], ['rad', 'RAD', 1],
    ["couldn't care less", 'couldn’t care less', 2], ['stressed', 'stressed', 1],
  ]);
  const mapping = suggested(parsed);
  assert.deepEqual(mapping.stressed, { core: 'scared', word: 'stressed' });
  assert.deepEqual(mapping["couldn't care less"], { core: 'numb' }, 'only what is truly unknown is Numb');
  const { entries } = await buildEntries(parsed, { ...mapping, "couldn't care less": { core: 'sad', word: 'weary' } });
  assert.equal(byNote(entries, 'Made soup').note, 'Made soup with Mum, she told the old story about the flood');
  assert.deepEqual(byNote(entries, 'Made soup').tags, ['family', 'cooking', 'music']);
  assert.equal(byNote(entries, "Can't").note, "Can't switch off\nScrolled for an hour.\nTired & wired.");
  assert.equal(byNote(entries, 'Hike!').note, 'Hike!\nReached the top\nwindy & bright');
  assert.deepEqual(byNote(entries, 'Hike!').tags, ['friends', 'outdoors', 'long walk']);
  assert.equal(entries.filter((e) => e.feeling.word === 'weary').length, 2);
});

test('2025 layout with scales, and two check-ins in the same minute keep apart', async () => {
  const parsed = readDaylioCsv(fixture('daylio-2025-scales.csv'));
  assert.match(parsed.notices.join(' '), /scales \(on 2 rows\) are not imported/);
  const { entries } = await buildEntries(parsed, suggested(parsed));
  assert.equal(entries.length, 3);
  assert.equal(new Set(entries.map((e) => e.id)).size, 3);
  assert.equal(entries[0].note, 'Quiet evening\nFinished the book');
});

test('a file with no header row is read in the old 7-column order', async () => {
  const text = fixture('daylio-no-header.csv');
  assert.equal(isDaylioCsv(text), true);
  const parsed = readDaylioCsv(text);
  const { entries } = await buildEntries(parsed, suggested(parsed));
  assert.deepEqual(entries.map((e) => [e.at.slice(0, 16), e.note]), [['2020-01-05T20:00', 'Board games night'], ['2020-01-04T09:30', '']]);
});

test('a broken file is refused naming its row; a foreign CSV is not taken for Daylio', () => {
  assert.throws(() => readDaylioCsv(fixture('daylio-broken.csv')),
    (e) => e instanceof ImportError && /^Row 4 of this Daylio file can’t be read: A quoted field never ends/.test(e.message) && /Nothing was imported/.test(e.message));
  assert.equal(isDaylioCsv('name,score\nada,3\n'), false);
  assert.throws(() => readDaylioCsv('name,score\nada,3\n'), /not a Daylio export/);
});

test('importing again adds nothing: ids and clocks come from the row', async () => {
  const parsed = readDaylioCsv(fixture('daylio-note-title.csv'));
  const first = await buildEntries(parsed, suggested(parsed));
  const again = await buildEntries(readDaylioCsv(fixture('daylio-note-title.csv')), suggested(parsed));
  assert.deepEqual(again.entries.map((e) => [e.id, e.hlc]), first.entries.map((e) => [e.id, e.hlc]));
  assert.deepEqual(importPlan(new Map(first.entries.map((e) => [e.id, e])), again.entries).toWrite, []);
});

test('Thaw’s limits: more than 10 activities go in the note, long notes are shortened, future rows skipped', async () => {
  const many = Array.from({ length: 13 }, (_, i) => `activity ${i + 1}`).join(' | ');
  const text = [
    'full_date,date,weekday,time,mood,activities,note',
    `2024-01-02,January 2,Tuesday,10:00,good,${many},Short`,
    `2024-01-03,January 3,Wednesday,10:00,good,,"${'x'.repeat(2500)}"`,
    '2031-01-03,January 3,Friday,10:00,good,,From a phone with a wrong clock',
  ].join('\n');
  const parsed = readDaylioCsv(text);
  const made = await buildEntries(parsed, suggested(parsed), { now: Date.parse('2026-11-25T12:00:00Z') });
  assert.equal(made.entries.length, 2);
  assert.equal(made.entries[0].tags.length, 10);
  assert.equal(made.entries[0].note, 'Short\nAlso: activity 11, activity 12, activity 13');
  assert.equal([...made.entries[1].note].length, 2000);
  assert.equal(made.shortened, 1);
  assert.deepEqual(made.skipped.map((s) => s.where), ['Row 4']);
  assert.match(made.skipped[0].problems[0], /more than a day ahead of this device’s clock/);
});
