import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  BadPairingLink, deriveVault, fromBase64, fromBase64Url, keyFromLink, newVaultKey, open, pairingLink, seal, toBase64,
  toBase64Url,
} from '../../static/js/vault.js';

const ENTRY = {
  id: '3b241101-e2bb-4255-8caf-4136c566a962', at: '2026-11-24T18:05:00.000+01:00',
  feeling: { core: 'sad', word: 'lonely' }, intensity: 3, body: [], tags: ['alone'],
  note: 'Quiet evening 🙂', hlc: '1732451234567-0000-9f3a6c01d2e4b5a7', deleted: false,
};

// RFC 5869 HKDF-SHA-256 with an empty salt, by hand, to check WebCrypto is used as specified.
function hkdf(ikm, info, length) {
  const prk = createHmac('sha256', Buffer.alloc(32)).update(ikm).digest();
  let previous = Buffer.alloc(0);
  const out = [];
  for (let i = 1; Buffer.concat(out).length < length; i++) {
    previous = createHmac('sha256', prk).update(Buffer.concat([previous, Buffer.from(info), Buffer.from([i])])).digest();
    out.push(previous);
  }
  return Buffer.concat(out).subarray(0, length);
}

test('a vault key is 32 random bytes as 43 base64url characters', () => {
  const a = newVaultKey();
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(fromBase64Url(a).length, 32);
  assert.notEqual(a, newVaultKey());
});

test('derivation is HKDF-SHA-256 with the DESIGN info strings', async () => {
  const key = toBase64Url(Uint8Array.from({ length: 32 }, (_, i) => i));
  const { vaultId, token } = await deriveVault(key);
  const ikm = fromBase64Url(key);
  assert.equal(vaultId, hkdf(ikm, 'thaw/v1/vault-id', 16).toString('hex'));
  assert.equal(token, hkdf(ikm, 'thaw/v1/auth', 32).toString('base64url'));
  assert.match(vaultId, /^[0-9a-f]{32}$/);
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  const again = await deriveVault(key);
  assert.equal(again.vaultId, vaultId, 'the same key gives the same vault on every device');
});

test('seal and open round-trip an entry, with a fresh IV each time', async () => {
  const { encKey } = await deriveVault(newVaultKey());
  const one = await seal(encKey, ENTRY);
  const two = await seal(encKey, ENTRY);
  assert.notEqual(one.iv, two.iv);
  assert.equal(Buffer.from(one.iv, 'base64').length, 12);
  assert.deepEqual(await open(encKey, one), ENTRY);
  assert.equal(one.id, ENTRY.id);
  assert.equal(one.hlc, ENTRY.hlc);
  assert.ok(!one.data.includes('lonely') && !Buffer.from(one.data, 'base64').toString().includes('lonely'));
});

test('a tombstone seals only id, hlc and deleted', async () => {
  const { encKey } = await deriveVault(newVaultKey());
  const sealed = await seal(encKey, { ...ENTRY, deleted: true });
  assert.equal(sealed.deleted, true);
  assert.deepEqual(await open(encKey, sealed), { id: ENTRY.id, hlc: ENTRY.hlc, deleted: true });
});

test('an envelope moved to another id, altered, or opened with another key fails', async () => {
  const { encKey } = await deriveVault(newVaultKey());
  const sealed = await seal(encKey, ENTRY);
  await assert.rejects(open(encKey, { ...sealed, id: 'ffffffff-e2bb-4255-8caf-4136c566a962' }));
  const bytes = Buffer.from(sealed.data, 'base64');
  bytes[0] ^= 1;
  await assert.rejects(open(encKey, { ...sealed, data: bytes.toString('base64') }));
  await assert.rejects(open(encKey, { ...sealed, hlc: '1999999999999-0000-9f3a6c01d2e4b5a7' }));
  const other = await deriveVault(newVaultKey());
  await assert.rejects(open(other.encKey, sealed));
});

test('pairing links: good ones give the key, bad or truncated ones a clear error', () => {
  const key = newVaultKey();
  const link = pairingLink('https://thaw.example', key);
  assert.equal(link, `https://thaw.example/#pair=${key}`);
  assert.equal(keyFromLink(link), key);
  assert.equal(keyFromLink(`  ${link}\n`), key);
  assert.equal(keyFromLink(key), key);
  for (const bad of ['', 'hello', link.slice(0, -5), `${link}xx`, 'https://thaw.example/#pair=', 'https://x/#pair=%%%']) {
    assert.throws(() => keyFromLink(bad), BadPairingLink, bad);
  }
});

test('toBase64 writes what Buffer writes, at every length, and fromBase64 reads it back', () => {
  for (let length = 0; length < 600; length += 1) {
    const bytes = new Uint8Array(Buffer.from(Array.from({ length }, (_, i) => (i * 181 + length * 7) & 0xff)));
    const text = toBase64(bytes);
    assert.equal(text, Buffer.from(bytes).toString('base64'), `length ${length}`);
    assert.deepEqual(fromBase64(text), bytes);
  }
  // The engine's own Uint8Array.prototype.toBase64 is used where there is one.
  const bytes = Uint8Array.of(1, 2, 3);
  bytes.toBase64 = () => 'native';
  assert.equal(toBase64(bytes), 'native');
});
