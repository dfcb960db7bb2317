import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDecipheriv, createPrivateKey, createPublicKey, diffieHellman, hkdfSync, pbkdf2Sync } from 'node:crypto';
import {
  PBKDF2_ITERATIONS, WrongPasscode, checkPasscode, deviceKey, lockoutWait, newDataKey, newInbox, newSalt, nextLockout,
  openEntry, openFromInbox, openInboxKey, openValue, passcodeKey, sealEntry, sealForInbox, sealValue, unwrapDataKey,
  waitLeft, wrapDataKey,
} from '../../static/js/lock.js';

const FAST = 1_000; // PBKDF2 iterations in tests; the default is tested once below
const ENTRY = {
  id: '3b241101-e2bb-4255-8caf-4136c566a962', at: '2026-11-24T18:05:00.000+01:00',
  feeling: { core: 'sad', word: 'lonely' }, intensity: 3, body: [], tags: ['alone'],
  note: 'Quiet evening by the window', hlc: '1732451234567-0000-9f3a6c01d2e4b5a7', deleted: false,
};

const bytes = (b64) => Buffer.from(b64, 'base64');
const flip = (b64, at = 0) => {
  const out = bytes(b64);
  out[at] ^= 1;
  return out.toString('base64');
};
const leaks = (b64) => ['lonely', 'Quiet evening'].some((s) => b64.includes(s) || bytes(b64).toString('latin1').includes(s));
const rawOf = async (key) => new Uint8Array(await crypto.subtle.exportKey('raw', key));

test('the default is 600,000 iterations and a passcode key with it takes under 2 s', async () => {
  assert.equal(PBKDF2_ITERATIONS, 600_000);
  const started = performance.now();
  const key = await passcodeKey('123456', newSalt());
  const took = performance.now() - started;
  assert.ok(took < 2000, `took ${took.toFixed(0)} ms`);
  assert.equal(key.extractable, false);
  const wrapped = await wrapDataKey(key, await newDataKey(), 'passcode');
  assert.ok(await unwrapDataKey(key, wrapped, 'passcode'));
});

test('a data key wrapped by a passcode comes back the same, with a fresh IV each time', async () => {
  const salt = newSalt();
  assert.equal(bytes(salt).length, 16);
  assert.notEqual(salt, newSalt());
  const dataKey = await newDataKey();
  const key = await passcodeKey('correct horse', salt, FAST);
  const one = await wrapDataKey(key, dataKey, 'passcode');
  const two = await wrapDataKey(key, dataKey, 'passcode');
  assert.notEqual(one.iv, two.iv);
  assert.equal(bytes(one.iv).length, 12);
  const back = await unwrapDataKey(await passcodeKey('correct horse', salt, FAST), one, 'passcode');
  assert.equal(back.extractable, true);
  assert.deepEqual(back.usages.sort(), ['decrypt', 'encrypt']);
  assert.deepEqual(await rawOf(back), await rawOf(dataKey));
  assert.deepEqual(await openEntry(back, await sealEntry(dataKey, ENTRY)), ENTRY);
});

test('the passcode is NFKC-normalised, so full-width digits are the same passcode', async () => {
  const salt = newSalt();
  const wrapped = await wrapDataKey(await passcodeKey('１２３４５６', salt, FAST), await newDataKey(), 'passcode');
  assert.ok(await unwrapDataKey(await passcodeKey('123456', salt, FAST), wrapped, 'passcode'));
});

test('a wrong passcode, salt or iteration count is WrongPasscode', async () => {
  const salt = newSalt();
  const wrapped = await wrapDataKey(await passcodeKey('123456', salt, FAST), await newDataKey(), 'passcode');
  await assert.rejects(unwrapDataKey(await passcodeKey('123457', salt, FAST), wrapped, 'passcode'), WrongPasscode);
  await assert.rejects(unwrapDataKey(await passcodeKey('123456', newSalt(), FAST), wrapped, 'passcode'), WrongPasscode);
  await assert.rejects(unwrapDataKey(await passcodeKey('123456', salt, FAST + 1), wrapped, 'passcode'), WrongPasscode);
});

test('a tampered or malformed wrapping is WrongPasscode', async () => {
  const key = await passcodeKey('123456', newSalt(), FAST);
  const wrapped = await wrapDataKey(key, await newDataKey(), 'passcode');
  for (const bad of [
    { ...wrapped, iv: flip(wrapped.iv) }, { ...wrapped, data: flip(wrapped.data) },
    { ...wrapped, data: flip(wrapped.data, bytes(wrapped.data).length - 1) }, { ...wrapped, data: '' },
    { ...wrapped, iv: '' }, { ...wrapped, iv: '%%%' }, { iv: wrapped.iv }, {}, null, undefined,
  ]) {
    await assert.rejects(unwrapDataKey(key, bad, 'passcode'), WrongPasscode, JSON.stringify(bad));
  }
  await assert.rejects(unwrapDataKey(key, wrapped, 'other'), WrongPasscode);
});

test('a passcode wrapping cannot be unwrapped as a device one', async () => {
  const key = await passcodeKey('123456', newSalt(), FAST);
  const wrapped = await wrapDataKey(key, await newDataKey(), 'passcode');
  await assert.rejects(unwrapDataKey(key, wrapped, 'device'), WrongPasscode);
  await assert.rejects(wrapDataKey(key, await newDataKey(), 'other'));
});

test('a device key from a 32-byte PRF output unwraps; another PRF output does not', async () => {
  const prf = crypto.getRandomValues(new Uint8Array(32));
  const dataKey = await newDataKey();
  const key = await deviceKey(prf);
  assert.equal(key.extractable, false);
  const wrapped = await wrapDataKey(key, dataKey, 'device');
  const back = await unwrapDataKey(await deviceKey(prf.slice().buffer), wrapped, 'device');
  assert.deepEqual(await rawOf(back), await rawOf(dataKey));
  const other = prf.slice();
  other[31] ^= 1;
  await assert.rejects(unwrapDataKey(await deviceKey(other), wrapped, 'device'), WrongPasscode);
  await assert.rejects(unwrapDataKey(key, wrapped, 'passcode'), WrongPasscode);
  await assert.rejects(deviceKey(new Uint8Array(16)));
});

test('a sealed value opens under its name only, and not once altered', async () => {
  const dataKey = await newDataKey();
  const value = { reminders: ['20:30'], theme: 'dark' };
  const boxed = await sealValue(dataKey, 'settings', value);
  assert.deepEqual(Object.keys(boxed).sort(), ['data', 'iv']);
  assert.ok(!leaks(boxed.data) && !bytes(boxed.data).toString('latin1').includes('20:30'));
  assert.deepEqual(await openValue(dataKey, 'settings', boxed), value);
  assert.equal(await openValue(dataKey, 'n', await sealValue(dataKey, 'n', 0)), 0);
  await assert.rejects(openValue(dataKey, 'settings', { ...boxed, data: flip(boxed.data) }));
  await assert.rejects(openValue(dataKey, 'settings', { ...boxed, iv: flip(boxed.iv) }));
  await assert.rejects(openValue(dataKey, 'reminders', boxed));
  await assert.rejects(openValue(await newDataKey(), 'settings', boxed));
});

test('a sealed entry round-trips and its ciphertext holds neither note nor feeling word', async () => {
  const dataKey = await newDataKey();
  const record = await sealEntry(dataKey, ENTRY);
  assert.deepEqual(Object.keys(record).sort(), ['data', 'deleted', 'hlc', 'id', 'iv']);
  assert.equal(record.id, ENTRY.id);
  assert.ok(!leaks(record.data));
  assert.deepEqual(await openEntry(dataKey, record), ENTRY);
  await assert.rejects(openEntry(dataKey, { ...record, data: flip(record.data) }));
});

test('an inbox entry opens with the inbox private key, and its sealed form hides note and word', async () => {
  const dataKey = await newDataKey();
  const inbox = await newInbox(dataKey);
  assert.equal(bytes(inbox.publicKey).length, 65, 'an uncompressed P-256 point');
  assert.deepEqual(Object.keys(inbox.privateKey).sort(), ['data', 'iv']);
  const sealed = await sealForInbox(inbox.publicKey, ENTRY);
  assert.deepEqual(Object.keys(sealed), ['id', 'epk', 'hlc', 'deleted', 'iv', 'data']);
  assert.equal(sealed.id, ENTRY.id);
  assert.equal(bytes(sealed.epk).length, 65);
  assert.notEqual((await sealForInbox(inbox.publicKey, ENTRY)).epk, sealed.epk, 'a fresh ephemeral key each time');
  assert.ok(!leaks(sealed.data) && !leaks(sealed.epk) && !JSON.stringify(sealed).includes('lonely'));
  const privateKey = await openInboxKey(dataKey, inbox.privateKey);
  assert.equal(privateKey.extractable, false);
  assert.deepEqual(privateKey.usages, ['deriveBits']);
  assert.deepEqual(await openFromInbox(privateKey, sealed), ENTRY);
});

test('an inbox entry does not open with another inbox key, or once its data or epk is altered', async () => {
  const dataKey = await newDataKey();
  const inbox = await newInbox(dataKey);
  const sealed = await sealForInbox(inbox.publicKey, ENTRY);
  const privateKey = await openInboxKey(dataKey, inbox.privateKey);
  const other = await newInbox(dataKey);
  await assert.rejects(openFromInbox(await openInboxKey(dataKey, other.privateKey), sealed));
  await assert.rejects(openFromInbox(privateKey, { ...sealed, data: flip(sealed.data) }));
  await assert.rejects(openFromInbox(privateKey, { ...sealed, iv: flip(sealed.iv) }));
  await assert.rejects(openFromInbox(privateKey, { ...sealed, epk: flip(sealed.epk, 64) }));
  await assert.rejects(openFromInbox(privateKey, { ...sealed, epk: other.publicKey }));
  await assert.rejects(openFromInbox(privateKey, { ...sealed, id: 'ffffffff-e2bb-4255-8caf-4136c566a962' }));
});

test('the inbox private key needs the right data key', async () => {
  const inbox = await newInbox(await newDataKey());
  await assert.rejects(openInboxKey(await newDataKey(), inbox.privateKey));
  await assert.rejects(openInboxKey(await newDataKey(), { ...inbox.privateKey, data: flip(inbox.privateKey.data) }));
});

// The stored formats, checked against node:crypto, so a change that would strand saved keys is noticed.
function gcmOpen(key, boxed, aad) {
  const data = bytes(boxed.data);
  const decipher = createDecipheriv('aes-256-gcm', key, bytes(boxed.iv)).setAAD(Buffer.from(aad));
  decipher.setAuthTag(data.subarray(-16));
  return Buffer.concat([decipher.update(data.subarray(0, -16)), decipher.final()]);
}

test('wrappings and inbox entries are the specified PBKDF2, HKDF, ECDH and AES-GCM', async () => {
  const dataKey = await newDataKey();
  const raw = Buffer.from(await rawOf(dataKey));
  const salt = newSalt();
  const byPasscode = await wrapDataKey(await passcodeKey('ｃｏｒｒｅｃｔ horse', salt, FAST), dataKey, 'passcode');
  const stretched = pbkdf2Sync('correct horse', bytes(salt), FAST, 32, 'sha256');
  assert.deepEqual(gcmOpen(stretched, byPasscode, 'thaw/v1/lock/passcode'), raw);
  const prf = crypto.getRandomValues(new Uint8Array(32));
  const byDevice = await wrapDataKey(await deviceKey(prf), dataKey, 'device');
  const derived = Buffer.from(hkdfSync('sha256', prf, Buffer.alloc(0), 'thaw/v1/lock/device', 32));
  assert.deepEqual(gcmOpen(derived, byDevice, 'thaw/v1/lock/device'), raw);

  const inbox = await newInbox(dataKey);
  const sealed = await sealForInbox(inbox.publicKey, ENTRY);
  const pkcs8 = bytes(await openValue(dataKey, 'inbox-key', inbox.privateKey));
  const point = bytes(sealed.epk);
  const jwk = { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') };
  const shared = diffieHellman({
    privateKey: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }), publicKey: createPublicKey({ key: jwk, format: 'jwk' }),
  });
  const key = Buffer.from(hkdfSync('sha256', shared, point, 'thaw/v1/lock/inbox', 32));
  assert.deepEqual(JSON.parse(gcmOpen(key, sealed, ENTRY.id).toString()), ENTRY);
});

test('checkPasscode: 6+ digits, or a passphrase of 8+ characters', () => {
  for (const [code, ok] of [
    ['12345', false], ['123456', true], ['abcdefg', false], ['correct horse', true], ['', false], ['      ', false],
    ['        ', false], ['abcdefgh', true], ['1234567a', true], ['12345 6', false], ['１２３４５６', true], [undefined, false],
  ]) {
    const result = checkPasscode(code);
    assert.equal(result.ok, ok, JSON.stringify(code));
    if (!ok) assert.match(result.message, /^Use at least|^Choose at least/);
  }
  assert.equal(checkPasscode('12345').message, 'Use at least 6 digits.');
  assert.equal(checkPasscode('abcdefg').message, 'Use at least 8 characters for a passphrase.');
});

test('lockoutWait: nothing for four wrong tries, then 30 s, 1, 2 and at most 5 minutes', () => {
  const table = [[0, 0], [1, 0], [4, 0], [5, 30_000], [6, 60_000], [7, 120_000], [8, 300_000], [9, 300_000], [100, 300_000]];
  for (const [failures, wait] of table) assert.equal(lockoutWait(failures), wait, String(failures));
});

test('nextLockout and waitLeft over a run of wrong tries, then a right one', () => {
  let state = null;
  let now = 1_000_000;
  assert.equal(waitLeft(state, now), 0);
  for (let i = 1; i <= 4; i++) {
    state = nextLockout(state, now, false);
    assert.deepEqual(state, { failures: i, until: now });
    assert.equal(waitLeft(state, now), 0);
    now += 1_000;
  }
  state = nextLockout(state, now, false);
  assert.deepEqual(state, { failures: 5, until: now + 30_000 });
  assert.equal(waitLeft(state, now), 30_000);
  assert.equal(waitLeft(state, now + 10_000), 20_000);
  assert.equal(waitLeft(state, now + 30_000), 0);
  now += 30_000;
  state = nextLockout(state, now, false);
  assert.deepEqual(state, { failures: 6, until: now + 60_000 });
  now += 60_000;
  state = nextLockout(state, now, false);
  assert.equal(waitLeft(state, now), 120_000);
  now += 120_000;
  state = nextLockout(state, now, false);
  assert.deepEqual(state, { failures: 8, until: now + 300_000 });
  now += 300_000;
  state = nextLockout(state, now, true);
  assert.deepEqual(state, { failures: 0, until: 0 });
  assert.equal(waitLeft(state, now), 0);
});

test('waitLeft: a clock moved back never means more than 5 minutes', () => {
  const state = nextLockout({ failures: 7, until: 0 }, 10_000_000, false);
  assert.equal(waitLeft(state, 10_000_000), 300_000);
  assert.equal(waitLeft(state, 10_000_000 - 3_600_000), 300_000, 'an hour back');
  assert.equal(waitLeft(state, 0), 300_000);
  assert.equal(waitLeft({ failures: 5, until: 60_000 }, 0), 60_000, 'a shorter wait is not lengthened');
  assert.equal(waitLeft({ failures: 5, until: 60_000 }, 90_000), 0);
  assert.equal(waitLeft({ failures: 9, until: Number.NaN }, 0), 0);
});
