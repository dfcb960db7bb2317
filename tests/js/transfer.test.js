import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, formatCsv, parseCsv } from '../../static/js/csv.js';
import { CSV_HEADER, ImportError, exportCsv, exportJson, importPlan, parseThawJson, summaryText } from '../../static/js/transfer.js';

const HLC = (n) => `${String(1_732_451_234_567 + n).padStart(13, '0')}-0000-9f3a6c01d2e4b5a7`;
const full = {
  id: '3b241101-e2bb-4255-8caf-4136c566a962', at: '2026-11-24T18:05:00.000+01:00',
  feeling: { core: 'sad', word: 'bluesy' }, intensity: 4,
  body: [{ region: 'chest', sensations: ['tight', 'heavy'] }, { region: 'stomach', sensations: [] }],
  tags: ['work', 'night shift'], note: 'Line one, "quoted"\nline two — «ça va» 😶‍🌫️ 🙂', hlc: HLC(0), deleted: false,
};
const numb = { ...full, id: 'a0000000-0000-4000-8000-000000000001', feeling: { core: 'numb' }, intensity: null, body: [], tags: [], note: '', hlc: HLC(1), at: '2026-11-23T07:00:00.000-05:00' };

test('JSON export round-trips exactly: every field, unicode and emoji, own words and tags', () => {
  const text = exportJson([full, numb, { id: 'a0000000-0000-4000-8000-000000000002', hlc: HLC(2), deleted: true }], {
    ownWords: { sad: ['bluesy'] }, ownTags: ['night shift'], exportedAt: '2026-11-24T18:10:00.000Z',
  });
  const data = JSON.parse(text);
  assert.equal(data.format, 'thaw-export');
  assert.equal(data.version, 1);
  const back = parseThawJson(text);
  assert.deepEqual(back.invalid, []);
  assert.deepEqual(back.entries, [numb, full], 'oldest first, tombstones left out');
  assert.deepEqual(back.ownWords, { sad: ['bluesy'] });
  assert.deepEqual(back.ownTags, ['night shift']);
});

test('CSV escapes commas, quotes and line breaks, and defuses formulas', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('=SUM(A1)', { text: true }), "'=SUM(A1)");
  const csv = exportCsv([full, numb]);
  const rows = parseCsv(csv);
  assert.deepEqual(rows[0], CSV_HEADER);
  assert.equal(rows.length, 3);
  assert.deepEqual(rows[2], ['2026-11-24', '18:05', '+01:00', 'Sad', 'bluesy', '4', 'Chest: tight heavy; Stomach', 'work; night shift', full.note, full.id]);
  assert.deepEqual(rows[1].slice(0, 6), ['2026-11-23', '07:00', '-05:00', 'Numb / can’t tell', '', '']);
  assert.deepEqual(parseCsv(formatCsv(['a', 'b'], [['x,"y"', 'line\r\nbreak']])), [['a', 'b'], ['x,"y"', 'line\r\nbreak']]);
});

test('a broken, truncated or foreign file is refused with a clear message', () => {
  const good = exportJson([full]);
  for (const [text, words] of [
    [good.slice(0, good.length / 2), 'cut short'],
    ['', 'cut short'],
    ['{"hello": "world"}', 'not a Thaw export'],
    ['[1,2,3]', 'not a Thaw export'],
    [JSON.stringify({ format: 'thaw-export', version: 99, entries: [] }), 'newer Thaw'],
  ]) {
    assert.throws(() => parseThawJson(text), (e) => e instanceof ImportError && e.message.includes(words), text.slice(0, 30));
  }
  assert.throws(() => parseCsv('a,"b\nc'), /cut short/);
});

test('invalid entries are skipped with reasons; the rest import', () => {
  const text = JSON.stringify({ format: 'thaw-export', version: 1, entries: [full, { ...numb, intensity: 9 }, { id: 'x' }] });
  const { entries, invalid } = parseThawJson(text);
  assert.deepEqual(entries, [full]);
  assert.deepEqual(invalid.map((i) => i.where), ['Entry 2', 'Entry 3']);
  assert.match(invalid[0].problems.join(' '), /Intensity/);
});

test('merging by id and clock: nothing duplicated, nothing newer overwritten, twice adds nothing', () => {
  const newerHere = { ...numb, note: 'edited here later', hlc: HLC(50) };
  const stored = new Map([[newerHere.id, newerHere]]);
  const olderHere = { ...full, hlc: HLC(-10), note: 'old' };
  stored.set(olderHere.id, olderHere);
  const third = { ...full, id: 'b0000000-0000-4000-8000-000000000003' };
  const plan = importPlan(stored, [full, numb, third]);
  assert.deepEqual(plan.toWrite, [full, third]);
  assert.deepEqual([plan.added, plan.updated, plan.alreadyHad], [1, 1, 1]);
  for (const e of plan.toWrite) stored.set(e.id, e);
  const again = importPlan(stored, [full, numb, third]);
  assert.deepEqual([again.toWrite.length, again.added, again.alreadyHad], [0, 0, 3]);
  assert.equal(summaryText({ ...plan, invalid: 2 }), 'Imported 1, updated 1, already had 1, skipped 2 invalid.');
});
