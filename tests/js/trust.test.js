// The device side of "Trust" (issue 10), DOM-free: verification code, deletion notices,
// padding, clock bounds, the devices list, and when a device may unpair.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  deriveVault, fromBase64Url, makeNotice, newVaultKey, open, seal, toBase64Url, verificationCode, verifyNotice,
} from '../../static/js/vault.js';
import { bucket, MAX_PADDED, pad, unpad } from '../../static/js/padding.js';
import { ClockTooFar, createClock, format, HLC_PATTERN, isFarFuture, MAX_DRIFT, parse } from '../../static/js/hlc.js';
import { checkDevice, cleanName, defaultName, mergeDevice, mergeDevices, newDevice } from '../../static/js/devices.js';
import { createAutoSync, DeadLink } from '../../static/js/autosync.js';
import { mergeAll } from '../../static/js/merge.js';

globalThis.navigator ??= { onLine: true };

function hkdf(ikm, info, length) {
  const prk = createHmac('sha256', Buffer.alloc(32)).update(ikm).digest();
  return createHmac('sha256', prk).update(Buffer.concat([Buffer.from(info), Buffer.from([1])])).digest().subarray(0, length);
}

const ENTRY = {
  id: '3b241101-e2bb-4255-8caf-4136c566a962', at: '2026-11-24T18:05:00.000+01:00',
  feeling: { core: 'sad', word: 'lonely' }, intensity: 3, body: [], tags: ['alone'],
  note: 'Sealed before padding', hlc: '1732451234567-0000-9f3a6c01d2e4b5a7', deleted: false,
};

test('the verification code is six digits from HKDF(key, "thaw/v1/verify"), the same on every device', async () => {
  const key = toBase64Url(Uint8Array.from({ length: 32 }, (_, i) => i));
  const expected = String(hkdf(fromBase64Url(key), 'thaw/v1/verify', 8).readBigUInt64BE(0) % 1_000_000n).padStart(6, '0');
  assert.equal(await verificationCode(key), expected);
  assert.match(expected, /^\d{6}$/);
  assert.equal(await verificationCode(key), await verificationCode(key));
  const codes = new Set(await Promise.all(Array.from({ length: 20 }, () => verificationCode(newVaultKey()))));
  assert.ok(codes.size >= 19, 'different keys give different codes');
});

test('a deletion notice is base64(HMAC(HKDF(key, "thaw/v1/notice"), "thaw/v1/deleted/" + vault id))', async () => {
  const key = newVaultKey();
  const vault = await deriveVault(key);
  const notice = await makeNotice(vault.noticeKey, vault.vaultId);
  const noticeKey = hkdf(fromBase64Url(key), 'thaw/v1/notice', 32);
  const expected = createHmac('sha256', noticeKey).update(`thaw/v1/deleted/${vault.vaultId}`).digest('base64');
  assert.equal(notice, expected);
  assert.equal(notice.length, 44);
  assert.equal(await verifyNotice(vault.noticeKey, vault.vaultId, notice), true);
  const other = await deriveVault(newVaultKey());
  assert.equal(await verifyNotice(other.noticeKey, other.vaultId, notice), false, 'another key cannot verify it');
  assert.equal(await verifyNotice(vault.noticeKey, other.vaultId, notice), false, 'bound to the vault id');
  const flipped = `${notice[0] === 'A' ? 'B' : 'A'}${notice.slice(1)}`;
  for (const bad of [flipped, '', null, undefined, 42, `${notice}=`, notice.slice(0, 43), 'A'.repeat(43) + '=']) {
    assert.equal(await verifyNotice(vault.noticeKey, vault.vaultId, bad), false, String(bad));
  }
});

test('padding: buckets of 512 bytes up to 2 KiB, then powers of two, never past 16 KiB with the tag', () => {
  assert.deepEqual([0, 1, 215, 512, 513, 2048, 2049, 5000, 9000, 16000].map(bucket),
    [512, 512, 512, 512, 1024, 2048, 4096, 8192, 16368, 16368]);
  assert.equal(MAX_PADDED + 16, 16 * 1024);
  const bytes = new TextEncoder().encode('{"a":1}');
  const padded = pad(bytes);
  assert.equal(padded.length, 512);
  assert.deepEqual(unpad(padded), bytes);
  assert.equal(JSON.parse(new TextDecoder().decode(padded)).a, 1, 'an older Thaw can still parse it');
});

test('ciphertext lengths for notes of 0, 100, 200 and 250 characters are equal', async () => {
  const { encKey } = await deriveVault(newVaultKey());
  const lengths = await Promise.all([0, 100, 200, 250].map(async (n) => {
    const entry = { ...ENTRY, note: 'x'.repeat(n) };
    const sealed = await seal(encKey, entry);
    assert.deepEqual(await open(encKey, sealed), entry, 'padding is stripped on open');
    return Buffer.from(sealed.data, 'base64').length;
  }));
  assert.equal(new Set(lengths).size, 1, lengths.join(', '));
  const long = await seal(encKey, { ...ENTRY, note: '🙂'.repeat(2000) });
  assert.ok(Buffer.from(long.data, 'base64').length <= 16 * 1024, 'the longest note still fits the server');
});

test('an envelope sealed before padding existed still opens (fixture)', async () => {
  const key = '__79_Pv6-fj39vX08_Lx8O_u7ezr6uno5-bl5OPi4eA';
  const envelope = {
    id: ENTRY.id, hlc: ENTRY.hlc, deleted: false, iv: 'AQIDBAUGBwgJCgsM',
    data: 'KbWIXKlvi6MxyKh0+mNldhAw9dP7inV+qcrxm+f3f4w2x2MxvUSk+s75lHS6CC+dpuCBePVNij0lRr7uK8ZEfmS1IT7PcFgCie50mIa+YvFBzbBXfXuUSNaRlLBuIA0os66JC83qkrBkZ3aj1nQQedvIG/n898y8nZd6+q+EKJZMOb1yMYprv6JuHoylWFcHFJUU5P/Drb/IqIMbeXwzAVKKtULkttNuCb2ukSBTpiiWa67CIo9wVgfB4YxmvsqMYEB9UGU9qMqpvU/w08Aj5h4hhGh9CADdysz3g73VMpkzJ/YuNkkP28+AYxq8dxXd28EEvh9/To6081HakCrfCf7PioNmnS3CGhfbuM9U8w==',
  };
  const { encKey } = await deriveVault(key);
  assert.deepEqual(await open(encKey, envelope), ENTRY);
});

const NODE = 'aaaaaaaaaaaaaaaa';
const NOW = 1_790_000_000_000;

test('a clock more than 24 h ahead is never adopted; the state stays as it was', () => {
  const clock = createClock({ node: NODE, physical: () => NOW });
  const before = clock.now();
  assert.throws(() => clock.receive(format({ wall: NOW + MAX_DRIFT + 1, counter: 0, node: 'bbbbbbbbbbbbbbbb' })), ClockTooFar);
  assert.throws(() => clock.receive('9999999999999-ffff-ffffffffffffffff'), ClockTooFar);
  assert.equal(clock.last(), before);
  const nearly = format({ wall: NOW + MAX_DRIFT, counter: 5, node: 'bbbbbbbbbbbbbbbb' });
  assert.match(clock.receive(nearly), HLC_PATTERN, 'up to 24 h ahead is fine');
  assert.equal(isFarFuture('9999999999999-ffff-ffffffffffffffff', NOW), true);
  assert.equal(isFarFuture(nearly, NOW), false);
  assert.equal(isFarFuture('not a clock', NOW), false);
});

test('a broken or poisoned saved clock is repaired, and every clock issued matches the format', () => {
  for (const last of ['10000000000000-0000-fc1f672d6d3cdbe8', '9999999999999-ffff-ffffffffffffffff', 'junk', 42, '']) {
    const clock = createClock({ node: NODE, last, physical: () => NOW });
    assert.equal(clock.repaired(), true, String(last));
    const next = clock.now();
    assert.match(next, HLC_PATTERN);
    assert.equal(parse(next).wall, NOW);
  }
  const fine = createClock({ node: NODE, last: format({ wall: NOW - 5, counter: 1, node: NODE }), physical: () => NOW });
  assert.equal(fine.repaired(), false);
  // At the very top of the range the clock refuses rather than write a 14-digit time.
  const top = createClock({ node: NODE, last: '9999999999999-ffff-aaaaaaaaaaaaaaaa', physical: () => 9_999_999_999_999 });
  assert.throws(() => top.now(), ClockTooFar);
});

const HLC = (wall, counter = 0, node = NODE) => format({ wall, counter, node });

test('device records merge field by field: a rename and a sync stamp made apart both survive', () => {
  const base = newDevice({ id: '11111111-1111-4111-8111-111111111111', name: '  My   phone ', hlc: HLC(NOW), now: new Date(NOW) });
  assert.equal(base.name, 'My phone');
  assert.ok(checkDevice(base));
  const renamed = { ...base, name: 'Phone', nameHlc: HLC(NOW + 10, 0, 'bbbbbbbbbbbbbbbb'), hlc: HLC(NOW + 10, 0, 'bbbbbbbbbbbbbbbb') };
  const stamped = { ...base, lastSynced: new Date(NOW + 20).toISOString(), hlc: HLC(NOW + 20) };
  const one = mergeDevice(renamed, stamped);
  const two = mergeDevice(stamped, renamed);
  assert.deepEqual(one, two, 'commutative');
  assert.deepEqual(mergeDevice(one, one), one, 'idempotent');
  assert.equal(one.name, 'Phone');
  assert.equal(one.lastSynced, stamped.lastSynced);
  const { devices, repush } = mergeDevices(new Map([[base.id, renamed]]), [stamped]);
  assert.equal(devices.get(base.id).name, 'Phone');
  assert.deepEqual(repush, [base.id], 'what the incoming record lacked goes back out');
  assert.deepEqual(mergeDevices(new Map([[base.id, base]]), [one]).repush, []);
});

test('device records are checked strictly and never taken for check-ins', () => {
  const ok = newDevice({ id: '11111111-1111-4111-8111-111111111111', name: 'Laptop', hlc: HLC(NOW) });
  assert.ok(checkDevice(ok));
  for (const bad of [
    { ...ok, name: '' }, { ...ok, name: 'x'.repeat(41) }, { ...ok, name: 'a\nb' }, { ...ok, extra: 1 },
    { ...ok, id: 'nope' }, { ...ok, hlc: '1-2-3' }, { ...ok, nameHlc: HLC(NOW + 1) }, { ...ok, joined: 'yesterday' },
    { ...ok, deleted: true }, { ...ok, kind: 'entry' },
  ]) assert.equal(checkDevice(bad), null, JSON.stringify(bad));
  assert.equal(cleanName(' a\t b '), 'a b');
  assert.equal(defaultName('Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari'), 'Phone');
  assert.equal(defaultName('Mozilla/5.0 (X11; Linux x86_64)'), 'Computer');
});

// ---- autosync against an in-memory server that keeps the API contract (DELETE notice, 410) ----

function contractServer() {
  const vaults = new Map(); // id -> {token, log: Map, seq, notice}
  const calls = [];
  let override = null;
  const reply = (status, body) => ({
    ok: status < 300, status, headers: new Map(), json: async () => (body === undefined ? Promise.reject(new SyntaxError('empty')) : body),
  });
  async function fetchFn(url, { method, headers, body }) {
    const parsed = body ? JSON.parse(body) : undefined;
    calls.push({ method, url, body: parsed });
    if (override) return override(method, url);
    const id = url.match(/vaults\/([0-9a-f]{32})/)[1];
    const token = headers.Authorization.slice(7);
    const vault = vaults.get(id);
    const gone = () => reply(410, { error: { code: 'vault_deleted', message: 'deleted', details: { notice: vault.notice } } });
    if (method === 'PUT') {
      if (vault?.notice) return gone();
      if (vault && vault.token !== token) return reply(401, { error: { code: 'invalid_token' } });
      if (!vault) vaults.set(id, { token, log: new Map(), seq: 0, notice: null });
      return reply(vault ? 200 : 201, { vault_id: id, created: !vault });
    }
    if (!vault) return reply(404, { error: { code: 'unknown_vault' } });
    if (vault.token !== token) return reply(401, { error: { code: 'invalid_token' } });
    if (vault.notice) return gone();
    if (method === 'DELETE') {
      if (parsed?.notice) { vault.notice = parsed.notice; vault.log.clear(); } else vaults.delete(id);
      return reply(204);
    }
    for (const envelope of parsed.changes) {
      const current = vault.log.get(envelope.id);
      if (!current || envelope.hlc > current.hlc) vault.log.set(envelope.id, { ...envelope, seq: ++vault.seq });
    }
    const after = [...vault.log.values()].filter((e) => e.seq > parsed.cursor).sort((a, b) => a.seq - b.seq);
    return reply(200, { cursor: after.length ? after.at(-1).seq : parsed.cursor, changes: after, more: false, remaining: 0 });
  }
  return { fetchFn, vaults, calls, setOverride: (fn) => { override = fn; } };
}

/** The journal's interface as autosync uses it, in memory (entries, devices, settings, outbox). */
function memoryJournal(entries = []) {
  const stored = new Map(entries.map((e) => [e.id, e]));
  const settings = new Map();
  const queue = new Map();
  let devices = new Map();
  let wall = NOW;
  const clock = createClock({ node: NODE, physical: () => wall++ });
  return {
    stored, settings, queue,
    setting: async (k, fallback) => (settings.has(k) ? settings.get(k) : fallback),
    setSettings: async (more) => { for (const [k, v] of Object.entries(more)) settings.set(k, v); },
    resetOutbox: async (fill) => { queue.clear(); if (fill) for (const e of stored.values()) queue.set(e.id, e.hlc); },
    outbox: async () => [...queue.entries()],
    getMany: async (ids) => ids.map((id) => devices.get(id) ?? stored.get(id)).filter(Boolean),
    devices: () => [...devices.values()],
    async saveDevice(record, { rename = false } = {}) {
      const hlc = clock.now();
      const saved = checkDevice({ ...record, hlc, ...(rename ? { nameHlc: hlc } : {}) });
      devices.set(saved.id, saved);
      queue.set(saved.id, hlc);
      return saved;
    },
    clearDevices: async () => { devices = new Map(); },
    async mergeRemote(incoming, { pushed, settings: more }) {
      const records = incoming.filter((e) => e.kind === 'device');
      devices = mergeDevices(devices, records).devices;
      const winners = mergeAll(stored, incoming.filter((e) => e.kind !== 'device'));
      for (const w of winners) stored.set(w.id, w);
      for (const [id, hlc] of pushed) if (queue.get(id) === hlc) queue.delete(id);
      for (const [k, v] of Object.entries(more)) settings.set(k, v);
      return { winners, invalid: 0, future: 0 };
    },
    onLocalChange() {},
  };
}

const entryAt = (i) => ({ ...ENTRY, id: `3b241101-e2bb-4255-8caf-4136c566a9${String(i).padStart(2, '0')}`, hlc: HLC(NOW - 1000 + i) });

test('inspecting a link changes nothing; only pair() queues and uploads', async () => {
  const server = contractServer();
  const journal = memoryJournal([entryAt(1), entryAt(2), entryAt(3)]);
  const sync = createAutoSync({ journal, fetchFn: server.fetchFn, deviceName: () => 'Phone' });
  const key = newVaultKey();
  const { code } = await sync.inspect(`https://thaw.example/#pair=${key}`);
  assert.equal(code, await verificationCode(key));
  assert.equal(server.calls.length, 0);
  assert.equal(journal.queue.size, 0);
  assert.equal(journal.settings.size, 0);
  await sync.pair(key);
  await sync.syncNow();
  const [vault] = server.vaults.values();
  assert.equal(vault.log.size, 4, 'three check-ins and this device’s record');
  assert.deepEqual(sync.devices().map((d) => [d.name, d.thisDevice]), [['Phone', true]]);
});

test('404, 401, 5xx, empty replies and a 410 with a forged notice never unpair; a verified notice does', async () => {
  const server = contractServer();
  const journal = memoryJournal([entryAt(1)]);
  const sync = createAutoSync({ journal, fetchFn: server.fetchFn });
  const key = newVaultKey();
  await sync.pair(key);
  await sync.syncNow();
  const forged = await makeNotice((await deriveVault(newVaultKey())).noticeKey, (await deriveVault(key)).vaultId);
  const replies = [
    () => ({ ok: false, status: 404, headers: new Map(), json: async () => ({}) }),
    () => ({ ok: false, status: 401, headers: new Map(), json: async () => ({}) }),
    () => ({ ok: false, status: 502, headers: new Map(), json: async () => { throw new SyntaxError('html'); } }),
    () => ({ ok: true, status: 200, headers: new Map(), json: async () => { throw new SyntaxError('empty'); } }),
    () => ({ ok: false, status: 410, headers: new Map(), json: async () => ({ error: { details: { notice: forged } } }) }),
    () => ({ ok: false, status: 410, headers: new Map(), json: async () => ({}) }),
  ];
  for (const reply of replies) {
    server.setOverride(reply);
    await sync.syncNow();
    assert.equal(sync.status().paired, true);
    assert.equal(journal.settings.get('pairing').key, key, 'the key stays');
    assert.match(sync.status().message, /Can’t reach your pairing right now; your entries here are safe|can’t be reached/);
  }
  server.setOverride(null);
  // Another device deletes the synced copy, with its notice.
  const other = createAutoSync({ journal: memoryJournal(), fetchFn: server.fetchFn });
  await other.pair(key);
  await other.deleteRemote();
  assert.ok(server.calls.at(-1).body.notice, 'the DELETE carries the notice');
  await sync.syncNow();
  assert.equal(sync.status().paired, false);
  assert.equal(journal.settings.get('pairing'), null);
  assert.match(sync.status().message, /pairing was deleted/);
  assert.equal(journal.stored.size, 1, 'entries stay');
});

test('a link whose vault was deleted with its notice cannot be joined, and nothing changes', async () => {
  const server = contractServer();
  const key = newVaultKey();
  const first = createAutoSync({ journal: memoryJournal(), fetchFn: server.fetchFn });
  await first.pair(key);
  await first.deleteRemote();
  const journal = memoryJournal([entryAt(1)]);
  const late = createAutoSync({ journal, fetchFn: server.fetchFn });
  await assert.rejects(late.pair(key), DeadLink);
  assert.equal(journal.settings.size, 0);
  assert.equal(journal.queue.size, 0);
});

test('start over: the journal moves to a new vault, the old one ends with a notice, old holders unpair', async () => {
  const server = contractServer();
  const key = newVaultKey();
  const aJournal = memoryJournal([entryAt(1), entryAt(2)]);
  const a = createAutoSync({ journal: aJournal, fetchFn: server.fetchFn, deviceName: () => 'Phone' });
  const bJournal = memoryJournal();
  const b = createAutoSync({ journal: bJournal, fetchFn: server.fetchFn, deviceName: () => 'Laptop' });
  await a.pair(key);
  await a.syncNow();
  await b.pair(key);
  await b.syncNow();
  await a.syncNow();
  assert.deepEqual(a.devices().map((d) => d.name).sort(), ['Laptop', 'Phone']);
  const oldId = (await deriveVault(key)).vaultId;
  await a.startOver();
  assert.notEqual(aJournal.settings.get('pairing').key, key, 'a new key');
  assert.deepEqual(aJournal.settings.get('retiring'), [], 'the old vault is done with');
  assert.ok(server.vaults.get(oldId).notice, 'the old vault keeps only its notice');
  assert.equal(server.vaults.get(oldId).log.size, 0);
  const fresh = [...server.vaults.entries()].find(([id]) => id !== oldId)[1];
  assert.equal(fresh.log.size, 3, 'both check-ins and A’s device record moved');
  assert.deepEqual(a.devices().map((d) => d.name), ['Phone'], 'the list starts again with this device');
  await b.syncNow();
  assert.equal(b.status().paired, false, 'the device holding the old key unpaired');
});
