// The fast paths of the importers give exactly what the plain ways give: ids (SHA-256 in JS
// against WebCrypto), base64 (against atob), readers in time slices (against reading at once),
// ISO times (against toISOString), rows made ahead while the mapping is shown (against made at Import).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fromBase64, readDaylioBackup, readDaylioBackupInSlices } from '../../static/js/daylio-backup.js';
import { readDaylioCsv, readDaylioCsvInSlices } from '../../static/js/daylio.js';
import { isoWithOffset } from '../../static/js/entry.js';
import { buildEntries, prepareRows, sha256, stableId } from '../../static/js/import-entries.js';

const fixture = (name) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
let seed = 16;
const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pick = (list) => list[Math.floor(random() * list.length)];

/** The id as it was first made: WebCrypto's SHA-256, version and variant bits set. */
async function webCryptoId(text) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  digest[6] = (digest[6] & 0x0f) | 0x40;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  const hex = Array.from(digest.slice(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

test('SHA-256 in JS matches node:crypto, and ids match the WebCrypto ones, at every block boundary', async () => {
  const letters = [...'daylio|2024-03-10T21:05|1', 'é', 'ł', '😀', '\u0000'];
  for (let length = 0; length < 200; length += 1) {
    const text = Array.from({ length }, () => pick(letters)).join('');
    const bytes = new TextEncoder().encode(text);
    const hex = Array.from(sha256(bytes), (w) => w.toString(16).padStart(8, '0')).join('');
    assert.equal(hex, createHash('sha256').update(bytes).digest('hex'), `length ${length}`);
    assert.equal(stableId(text), await webCryptoId(text));
  }
  assert.equal(stableId('daylio|2023-11-19T10:45|1'), await webCryptoId('daylio|2023-11-19T10:45|1'));
});

test('base64 is read exactly as atob reads it, and refused where atob refuses', () => {
  const alphabet = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'];
  const odd = ['=', '-', '_', 'é', '.', '\u0000'];
  const viaAtob = (text) => {
    try { return Array.from(atob(text), (c) => c.charCodeAt(0)); } catch { return null; }
  };
  for (let i = 0; i < 20_000; i += 1) {
    const text = Array.from({ length: Math.floor(random() * 24) }, () => (random() < 0.95 ? pick(alphabet) : pick(odd))).join('');
    const bytes = fromBase64(text);
    assert.deepEqual(bytes && Array.from(bytes), viaAtob(text), JSON.stringify(text));
  }
  assert.deepEqual(Array.from(fromBase64(Buffer.from('Thaw ✓').toString('base64'))), [...Buffer.from('Thaw ✓')]);
  const large = Buffer.from(Array.from({ length: 700_001 }, (_, i) => (i * 31) % 256));
  assert.ok(Buffer.from(fromBase64(large.toString('base64'))).equals(large), 'past the first slices too');
});

test('the readers give the same in time slices as at once', async () => {
  for (const name of ['daylio-2017-pl.csv', 'daylio-2018-es.csv', 'daylio-full-date.csv', 'daylio-note-title.csv', 'daylio-2025-scales.csv']) {
    assert.deepEqual(await readDaylioCsvInSlices(fixture(name)), readDaylioCsv(fixture(name)), name);
  }
  const rows = Array.from({ length: 3000 }, (_, i) => `2024-0${1 + (i % 9)}-1${i % 10},x,y,${i % 24}:0${i % 10},${pick(['rad', 'good', 'meh'])},work | sleep,Note ${i}`);
  const csv = ['full_date,date,weekday,time,mood,activities,note', ...rows].join('\n');
  assert.deepEqual(await readDaylioCsvInSlices(csv), readDaylioCsv(csv));
  const json = fixture('daylio-backup.json');
  assert.deepEqual(await readDaylioBackupInSlices(json), readDaylioBackup(json));
  await assert.rejects(readDaylioCsvInSlices('name,score\nada,3\n'), /not a Daylio export/);
});

test('ISO times with offset are the same text toISOString gives', () => {
  const pad = (n) => String(n).padStart(2, '0');
  const plain = (date) => {
    const offset = -date.getTimezoneOffset();
    const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 23);
    return `${local}${offset >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  };
  for (let i = 0; i < 5000; i += 1) {
    const date = new Date(Math.floor((random() * 2 - 0.5) * 4e13));
    assert.equal(isoWithOffset(date), plain(date));
  }
  assert.throws(() => isoWithOffset(new Date(NaN)), RangeError);
});

test('rows made ahead of the mapping give what building at Import gives, for any mapping', async () => {
  const parsed = readDaylioCsv(fixture('daylio-2017-pl.csv'));
  const now = Date.UTC(2017, 8, 6); // 6 September 2017: the two rows of the 7th are far ahead
  const keys = parsed.moods.map((m) => m.key);
  const mappings = [
    Object.fromEntries(keys.map((k) => [k, { core: 'sad', word: 'weary' }])),
    Object.fromEntries(keys.map((k, i) => [k, i % 2 ? { core: 'numb' } : { core: 'calm', word: 'my own word' }])),
    // A word that belongs under another core: every row of that mood is refused, with why.
    Object.fromEntries(keys.map((k, i) => [k, i === 2 ? { core: 'angry', word: 'weary' } : { core: 'happy' }])),
  ];
  const prepared = prepareRows(parsed, { now });
  for (const mapping of mappings) {
    const atImport = await buildEntries(parsed, mapping, { now });
    const ahead = await buildEntries(parsed, mapping, { now, prepared });
    assert.deepEqual(ahead, atImport);
  }
  const refused = await buildEntries(parsed, mappings[2], { now, prepared });
  assert.ok(refused.skipped.some((s) => s.problems.some((p) => p.includes('belongs under sad'))));
  assert.ok(refused.skipped.some((s) => s.problems.some((p) => p.includes('more than a day ahead'))), 'future rows skipped');
  // Made for other rows, or too long ago (the future rule moves): made again, not reused.
  const other = prepareRows(readDaylioCsv(fixture('daylio-2018-es.csv')), { now });
  assert.deepEqual(await buildEntries(parsed, mappings[0], { now, prepared: other }), await buildEntries(parsed, mappings[0], { now }));
  const later = now + 2 * 86_400_000;
  assert.deepEqual(
    await buildEntries(parsed, mappings[0], { now: later, prepared }),
    await buildEntries(parsed, mappings[0], { now: later }),
  );
});
