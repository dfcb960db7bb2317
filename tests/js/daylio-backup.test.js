import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { backupText, jsonDepth, readDaylioBackup } from '../../static/js/daylio-backup.js';
import { buildEntries } from '../../static/js/import-entries.js';
import { detectFormat, readImportFile } from '../../static/js/imports.js';
import { ImportError, importPlan } from '../../static/js/transfer.js';
import { ZipError, readZipEntry } from '../../static/js/zip.js';
import { makeDaylioBackup, makeZip } from './make-zip.js';

const json = readFileSync(new URL('fixtures/daylio-backup.json', import.meta.url), 'utf8');
const blobOf = (buffer) => new Blob([buffer]);
const suggested = (parsed) => Object.fromEntries(parsed.moods.map(({ key, suggestion: { core, word } }) => [key, word ? { core, word } : { core }]));
const refused = (pattern) => (e) => e instanceof ImportError && pattern.test(e.message) && /Nothing was imported/.test(e.message);

test('a .daylio archive is found by its content and read: custom moods by name, then by level', async () => {
  const archive = blobOf(makeDaylioBackup(JSON.parse(json)));
  assert.equal(detectFormat(new Uint8Array(await archive.slice(0, 4).arrayBuffer())), 'daylio-backup');
  const parsed = await readImportFile(archive);
  assert.equal(parsed.format, 'daylio-backup');
  assert.deepEqual(parsed.moods.map((m) => [m.label, m.count, m.detail]), [
    ['rad', 1, 'Daylio level 1 of 5'], ['Knackered', 1, 'Daylio level 4 of 5'], ['meh+', 1, 'Daylio level 2 of 5'],
    ['Anxious', 1, 'Daylio level 4 of 5'], ['awful', 1, 'Daylio level 5 of 5'],
  ]);
  const mapping = suggested(parsed);
  assert.deepEqual(mapping['id:1'], { core: 'happy', word: 'joyful' });
  assert.deepEqual(mapping['id:6'], { core: 'happy', word: 'content' }, '“meh+” is unknown: its level (good) decides');
  assert.deepEqual(mapping['id:7'], { core: 'sad' }, '“Knackered” is unknown: level 4 (bad) decides');
  assert.deepEqual(mapping['id:8'], { core: 'scared', word: 'anxious' }, 'a known feeling word wins over the level');
  assert.deepEqual(parsed.skipped, [{ where: 'Entry 5', problems: ['Its mood (id 42) is not among the backup’s moods.'] }]);
  assert.match(parsed.notices.join(' '), /Photos \(on 1 entries\) stay in Daylio/);
  assert.match(parsed.notices.join(' '), /1 activities named by the entries are not in the backup/);

  const { entries } = await buildEntries(parsed, mapping);
  assert.equal(entries.length, 5);
  const lake = entries[0];
  assert.equal(lake.at, '2023-11-19T10:45:00.000-05:00', 'the time and offset where it was felt');
  assert.equal(lake.note, 'Lake day\nWalked to the lake with Sam\nBright & cold');
  assert.deepEqual(lake.tags, ['friends', 'long walk']);
  assert.equal(entries[2].at, '2023-11-20T08:05:00.000+01:00');
  assert.equal(entries[2].note, 'Train to Berlin');
  assert.deepEqual(entries[1].tags, ['work', 'sleep'], 'an archived activity is still the entry’s');
  const again = await buildEntries(await readImportFile(archive), mapping);
  assert.deepEqual(importPlan(new Map(entries.map((e) => [e.id, e])), again.entries).toWrite, []);
});

test('the same diary from the CSV and the backup gives the same ids', async () => {
  const { readDaylioCsv } = await import('../../static/js/daylio.js');
  const csv = readDaylioCsv('full_date,date,weekday,time,mood,activities,note\n2023-11-19,November 19,Sunday,10:45 AM,rad,friends | long walk,Walked\n');
  const fromCsv = await buildEntries(csv, suggested(csv));
  const fromBackup = await buildEntries(readDaylioBackup(json), suggested(readDaylioBackup(json)));
  assert.equal(fromCsv.entries[0].id, fromBackup.entries[0].id);
});

test('hostile archives are refused before anything is written', async () => {
  const base64 = Buffer.from(json).toString('base64');
  // A zip bomb: 64 MB of zeros squeezed into about 64 KB, claiming to be small.
  const bomb = makeZip([{ name: 'backup.daylio', data: Buffer.alloc(64 * 1024 * 1024), claimSize: 1000, crc: 0 }]);
  assert.ok(bomb.length < 1024 * 1024);
  await assert.rejects(readImportFile(blobOf(bomb)), refused(/unpacks to more than 48 MB/));
  // Claims to be too large outright.
  await assert.rejects(readZipEntry(blobOf(makeZip([{ name: 'backup.daylio', data: 'x', claimSize: 2 ** 31 }])), 'backup.daylio', { maxSize: 1000 }), ZipError);
  // Damaged bytes: the check sum does not match.
  await assert.rejects(readImportFile(blobOf(makeZip([{ name: 'backup.daylio', data: base64, crc: 12345 }]))), refused(/check sum does not match/));
  // Cut short.
  const whole = makeDaylioBackup(json);
  await assert.rejects(readImportFile(blobOf(whole.subarray(0, whole.length - 30))), refused(/can’t be read/));
  // No backup.daylio inside; not base64; not JSON; too deep; not a backup.
  await assert.rejects(readImportFile(blobOf(makeZip([{ name: 'photo.jpg', data: 'x' }]))), refused(/no backup.daylio inside/));
  await assert.rejects(readImportFile(blobOf(makeZip([{ name: 'backup.daylio', data: '%%%not base64%%%' }]))), refused(/not base64/));
  await assert.rejects(readImportFile(blobOf(makeDaylioBackup('{"dayEntries": [1, 2'))), refused(/not complete JSON/));
  await assert.rejects(readImportFile(blobOf(makeDaylioBackup(`${'['.repeat(100_000)}${']'.repeat(100_000)}`))), refused(/nested too deeply/));
  await assert.rejects(readImportFile(blobOf(makeDaylioBackup({ hello: 'world' }))), refused(/not a Daylio backup/));
  const tooMany = { customMoods: [], dayEntries: new Array(100_001).fill(0) };
  await assert.rejects(readImportFile(blobOf(makeDaylioBackup(tooMany))), refused(/more than 100,000 entries/));
  assert.equal(jsonDepth('{"a": "[[[[", "b": [{"c": 1}]}'), 3);
});

test('stored (not deflated) entries and plain-JSON backups are read too', async () => {
  const stored = makeZip([{ name: 'backup.daylio', data: Buffer.from(json).toString('base64'), store: true }]);
  assert.match(await backupText(blobOf(stored)), /^\{\s*"version": 15/);
  const plain = makeZip([{ name: 'backup.daylio', data: json }]);
  assert.equal((await readImportFile(blobOf(plain))).records.length, 5);
});
