import { test } from 'node:test';
import assert from 'node:assert/strict';
import { find, fold, indexEntries, matches, notePreview, queryTerms, searchText } from '../../static/js/search.js';

let n = 0;
function entry({ core = 'sad', word, tags = [], note = '', at = '2026-03-01T10:00:00.000+01:00', deleted = false } = {}) {
  n += 1;
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    id, at, feeling: word ? { core, word } : { core }, intensity: null, body: [], tags, note,
    hlc: '1732451234567-0000-9f3a6c01d2e4b5a7', deleted,
  };
}

test('fold: lower case, accents gone, curly apostrophes straight', () => {
  assert.equal(fold('Café CRÈME'), 'cafe creme');
  assert.equal(fold('Can’t'), "can't");
  assert.equal(fold('Straße Øre Łódź'), 'strasse ore lodz');
  assert.equal(fold('e\u0301te\u0301'), 'ete', 'decomposed accents too');
  assert.equal(fold(null), '');
});

test('query words: folded, split on spaces, a leading # dropped', () => {
  assert.deepEqual(queryTerms('  Tea   #Work '), ['tea', 'work']);
  assert.deepEqual(queryTerms('#'), []);
  assert.deepEqual(queryTerms('   '), []);
});

test('matches the word, the core label, tags and the note, whatever the case and accents', () => {
  const e = entry({ core: 'scared', word: 'anxious', tags: ['work', 'night shift'], note: 'Before the Réunion.\nHands cold' });
  for (const q of ['anxious', 'ANX', 'scared', 'work', '#work', 'night shift', 'reunion', 'RÉUNION', 'hands', 'cold hands']) {
    assert.ok(matches(e, q), q);
  }
  for (const q of ['calm', 'sleep', 'anxious sleep', '']) assert.ok(!matches(e, q), q);
});

test('numb matches by its label, an own word by itself', () => {
  assert.ok(matches(entry({ core: 'numb' }), 'can’t tell'));
  assert.ok(matches(entry({ core: 'numb' }), "cant") === false);
  assert.ok(matches(entry({ core: 'numb' }), "can't"));
  assert.ok(matches(entry({ core: 'sad', word: 'bluesy' }), 'Bluesy'));
});

test('searchText holds each part once, folded', () => {
  assert.equal(searchText(entry({ core: 'happy', word: 'proud', tags: ['family'], note: 'Ça va' })),
    'proud\nhappy\nfamily\nca va');
});

test('index: live entries only, newest first, then by id like History pages', async () => {
  const a = entry({ at: '2026-03-01T10:00:00.000+01:00' });
  const b = entry({ at: '2026-03-02T10:00:00.000+01:00' });
  const c = entry({ at: '2026-03-01T09:00:00.000+00:00' }); // the same moment as a
  const gone = entry({ deleted: true });
  const rows = await indexEntries([a, gone, c, b]);
  assert.deepEqual(rows.map((r) => r.entry.id), [b.id, c.id, a.id]);
});

test('find: newest first, in slices with a pause between, stands down when stale', async () => {
  const entries = Array.from({ length: 2500 }, (_, i) => entry({
    at: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
    note: i % 10 === 0 ? `walked by the lake ${i}` : `stayed in ${i}`,
    tags: i % 25 === 0 ? ['Garden'] : [],
  }));
  let pauses = 0;
  const pause = async () => { pauses += 1; };
  const rows = await indexEntries(entries, { slice: 500, budget: Infinity, pause });
  assert.equal(pauses, 4);
  pauses = 0;
  const lake = await find(rows, 'LAKE', { slice: 1000, budget: Infinity, pause });
  assert.equal(pauses, 2);
  assert.equal(lake.length, 250);
  assert.equal(lake[0].note, 'walked by the lake 2490');
  assert.equal((await find(rows, '#garden')).length, 100);
  assert.equal((await find(rows, 'lake garden')).length, 50);
  assert.deepEqual(await find(rows, '  '), []);
  let calls = 0;
  assert.equal(await find(rows, 'lake', { slice: 1000, budget: Infinity, pause, stale: () => ++calls > 1 }), null);
});

test('9,000 check-ins: a slice ends once its time budget is spent (checked every 64)', async () => {
  const entries = Array.from({ length: 9000 }, (_, i) => entry({
    word: 'lonely', tags: ['work', 'sleep'], note: `Day ${i}: a note about the weather and the café by the river.`,
  }));
  let pauses = 0;
  const pause = async () => { pauses += 1; };
  const spent = -1; // a budget always spent: the slowest phone there is
  const rows = await indexEntries(entries, { budget: spent, pause });
  assert.equal(pauses, Math.ceil(9000 / 64) - 1);
  pauses = 0;
  assert.equal((await find(rows, 'cafe river', { budget: spent, pause })).length, 9000);
  assert.equal(pauses, Math.ceil(9000 / 64) - 1);
  pauses = 0;
  await find(rows, 'cafe river', { pause }); // a real budget: a few slices at most
  assert.ok(pauses < 140);
});

test('notePreview: the note on one line, or starting near what matched', () => {
  assert.equal(notePreview(''), '');
  assert.equal(notePreview('\n  First line  \n\nSecond\r\nThird'), 'First line · Second · Third');
  assert.equal(notePreview('Before the meeting.\nHands cold', 'hands'), 'Before the meeting. · Hands cold');
  assert.equal(notePreview('x'.repeat(200)), `${'x'.repeat(160)}…`);
  const long = 'We walked for a long time along the old road past the farm\nand then by the lake at dusk';
  const shown = notePreview(long, 'LAKE');
  assert.match(shown, /^…\S/u, 'starts at a word');
  assert.ok(shown.endsWith('the lake at dusk'), shown);
  assert.ok(notePreview(long, 'nothing').startsWith('We walked'));
  assert.ok(notePreview(long, 'walked').startsWith('We walked'));
  assert.equal(notePreview('Café at noon', 'cafe'), 'Café at noon');
  // Folding that lengthens text (ß → ss) still finds the right place.
  const german = 'Wir sind lange durch die Straße gegangen und dann über die Brücke zum See gekommen';
  const seen = notePreview(german, 'see');
  assert.ok(seen.startsWith('…') && seen.endsWith('zum See gekommen'), seen);
});
