import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoff, SyncError, syncOnce } from '../../static/js/sync.js';
import { deriveVault, newVaultKey } from '../../static/js/vault.js';
import { mergeAll } from '../../static/js/merge.js';
import { format } from '../../static/js/hlc.js';

/** The server's contract, in memory: per id the greatest hlc, a sequence, pages of `page`. */
function fakeServer({ page = 1000 } = {}) {
  const log = new Map(); // id -> {envelope, seq}
  let seq = 0;
  const requests = [];
  async function fetchFn(url, { method, body }) {
    requests.push({ method, url, body: body && JSON.parse(body) });
    const { cursor, changes } = JSON.parse(body);
    for (const envelope of changes) {
      const current = log.get(envelope.id);
      if (!current || envelope.hlc > current.envelope.hlc) log.set(envelope.id, { envelope, seq: ++seq });
    }
    const after = [...log.values()].filter((e) => e.seq > cursor).sort((a, b) => a.seq - b.seq);
    const shown = after.slice(0, page);
    return {
      ok: true, status: 200, headers: new Map(),
      json: async () => ({
        cursor: shown.length ? shown.at(-1).seq : cursor,
        changes: shown.map((e) => ({ ...e.envelope, seq: e.seq })),
        more: after.length > page, remaining: after.length - shown.length,
      }),
    };
  }
  return { fetchFn, requests, log };
}

/** The journal's sync interface, in memory; `failMergeAt` simulates a crash on that merge. */
function fakeStore(entries = [], { failMergeAt = null } = {}) {
  const stored = new Map(entries.map((e) => [e.id, e]));
  const queue = new Map(entries.map((e) => [e.id, e.hlc]));
  const settings = new Map();
  let merges = 0;
  return {
    stored, queue, settings,
    setting: async (key, fallback) => (settings.has(key) ? settings.get(key) : fallback),
    outbox: async () => [...queue.entries()],
    getMany: async (ids) => ids.map((id) => stored.get(id)).filter(Boolean),
    async mergeRemote(incoming, { pushed, settings: more }) {
      merges += 1;
      if (merges === failMergeAt) throw new Error('the tab was closed');
      const winners = mergeAll(stored, incoming);
      for (const w of winners) stored.set(w.id, w);
      for (const [id, hlc] of pushed) if (queue.get(id) === hlc) queue.delete(id);
      for (const [k, v] of Object.entries(more)) settings.set(k, v);
      return { winners, invalid: 0 };
    },
    local(entry) { stored.set(entry.id, entry); queue.set(entry.id, entry.hlc); },
  };
}

let counter = 0;
function entry(node, wall, note = 'hello') {
  counter += 1;
  const id = `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
  return {
    id, at: '2026-11-24T18:00:00.000Z', feeling: { core: 'calm' }, intensity: null, body: [], tags: [],
    note, hlc: format({ wall, counter: 0, node }), deleted: false,
  };
}

const A = 'aaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbb';

test('two devices converge through the server, in pages, with progress', async () => {
  const vault = await deriveVault(newVaultKey());
  const server = fakeServer({ page: 7 });
  const a = fakeStore(Array.from({ length: 30 }, (_, i) => entry(A, 1_700_000_000_000 + i)));
  const b = fakeStore([entry(B, 1_700_000_000_500)]);
  const first = await syncOnce({ store: a, vault, fetchFn: server.fetchFn });
  assert.equal(first.pushed, 30);
  assert.equal(a.queue.size, 0);
  const progress = [];
  const second = await syncOnce({ store: b, vault, fetchFn: server.fetchFn, onProgress: (p) => progress.push(p) });
  assert.equal(b.stored.size, 31);
  assert.equal(second.received, 31);
  assert.equal(progress.at(-1).received, progress.at(-1).total);
  assert.ok(progress.length >= 5, 'pulled page by page');
  assert.ok(progress.every((p, i) => i === 0 || p.received >= progress[i - 1].received));
  await syncOnce({ store: a, vault, fetchFn: server.fetchFn });
  assert.deepEqual([...a.stored.keys()].sort(), [...b.stored.keys()].sort());
});

test('the server sees only ciphertext', async () => {
  const vault = await deriveVault(newVaultKey());
  const server = fakeServer();
  const a = fakeStore([entry(A, 1_700_000_000_000, 'walked by the river at dusk')]);
  await syncOnce({ store: a, vault, fetchFn: server.fetchFn });
  const wire = JSON.stringify(server.requests);
  assert.ok(!wire.includes('river') && !wire.includes('calm') && !wire.includes('feeling'));
});

test('a crash between pull and merge repeats the work and never skips it', async () => {
  const vault = await deriveVault(newVaultKey());
  const server = fakeServer({ page: 5 });
  const a = fakeStore(Array.from({ length: 20 }, (_, i) => entry(A, 1_700_000_001_000 + i)));
  await syncOnce({ store: a, vault, fetchFn: server.fetchFn });
  const b = fakeStore([], { failMergeAt: 3 });
  await assert.rejects(syncOnce({ store: b, vault, fetchFn: server.fetchFn }), /tab was closed/);
  assert.equal(b.stored.size, 10, 'two pages were merged before the crash');
  assert.equal(b.settings.get('syncCursor'), [...server.log.values()].sort((x, y) => x.seq - y.seq)[9].seq);
  await syncOnce({ store: b, vault, fetchFn: server.fetchFn });
  assert.equal(b.stored.size, 20);
});

test('a change made during a push stays in the outbox', async () => {
  const vault = await deriveVault(newVaultKey());
  const server = fakeServer();
  const first = entry(A, 1_700_000_002_000, 'first');
  const a = fakeStore([first]);
  const original = server.fetchFn;
  const edited = { ...first, note: 'changed meanwhile', hlc: format({ wall: 1_700_000_002_001, counter: 0, node: A }) };
  const racing = async (...args) => { const reply = await original(...args); a.local(edited); return reply; };
  await syncOnce({ store: a, vault, fetchFn: racing });
  assert.deepEqual([...a.queue.entries()], [[first.id, edited.hlc]]);
});

test('failures are sorted into calm kinds', async () => {
  const vault = await deriveVault(newVaultKey());
  const store = fakeStore([]);
  const kinds = [];
  const replies = [
    () => Promise.reject(new TypeError('Failed to fetch')),
    () => ({ ok: false, status: 404, headers: new Map(), json: async () => ({ error: { code: 'unknown_vault' } }) }),
    () => ({ ok: false, status: 401, headers: new Map(), json: async () => ({ error: { code: 'invalid_token' } }) }),
    () => ({ ok: false, status: 410, headers: new Map(), json: async () => ({ error: { code: 'vault_deleted', details: { notice: 'A'.repeat(43) + '=' } } }) }),
    () => ({ ok: false, status: 410, headers: new Map(), json: async () => { throw new SyntaxError('empty'); } }),
    () => ({ ok: false, status: 403, headers: new Map(), json: async () => ({ error: { code: 'quota_exceeded', message: 'full' } }) }),
    () => ({ ok: false, status: 429, headers: new Map([['Retry-After', '12']]), json: async () => ({}) }),
    () => ({ ok: false, status: 503, headers: new Map([['Retry-After', '7']]), json: async () => ({}) }),
    () => ({ ok: false, status: 500, headers: new Map(), json: async () => ({}) }),
    () => ({ ok: true, status: 200, headers: new Map(), json: async () => { throw new SyntaxError('Unexpected end of JSON input'); } }),
    () => ({ ok: true, status: 200, headers: new Map(), json: async () => ({ cursor: 'x', changes: 'nope' }) }),
  ];
  const errors = [];
  for (const reply of replies) {
    try {
      await syncOnce({ store, vault, fetchFn: async () => reply(), online: true });
    } catch (error) {
      assert.ok(error instanceof SyncError);
      kinds.push(error.kind);
      errors.push(error);
      assert.doesNotMatch(error.message, /Error|at |\n/);
    }
  }
  // Nothing here is a verified deletion: a 404, 401 or a 410 are "can't reach your pairing".
  assert.deepEqual(kinds, ['unreachable', 'lost', 'lost', 'gone', 'gone', 'full', 'busy', 'busy', 'unreachable', 'unreachable', 'unreachable']);
  assert.equal(errors[3].notice, 'A'.repeat(43) + '=');
  assert.equal(errors[4].notice, null);
  assert.match(errors[1].message, /^Can’t reach your pairing right now; your entries here are safe/);
  assert.match(errors[5].message, /^Your synced copy is full/);
  assert.deepEqual([errors[6].retryAfter, errors[7].retryAfter], [12, 7]);
  await assert.rejects(syncOnce({ store, vault, fetchFn: () => Promise.reject(new TypeError('x')), online: false }), { kind: 'offline' });
  assert.deepEqual([1, 2, 3, 10].map((n) => backoff(n)), [5000, 10000, 20000, 300000]);
});
