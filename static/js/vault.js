// The vault: one 256-bit key shared by a person's paired devices. From it come the vault id and
// token the server knows, and the AES-GCM key it never sees. WebCrypto only; DOM-free (node too).

const subtle = globalThis.crypto.subtle;
const text = new TextEncoder();
const KEY_BYTES = 32;
export const INFO = { id: 'thaw/v1/vault-id', auth: 'thaw/v1/auth', enc: 'thaw/v1/enc' };

export function toBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64(value) {
  const binary = atob(value);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export const toBase64Url = (bytes) => toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export function fromBase64Url(value) {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]*$/.test(value)) throw new Error('not base64url');
  const padded = value.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (value.length % 4)) % 4);
  return fromBase64(padded);
}

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** A new vault key: 32 random bytes, written as 43 base64url characters. */
export function newVaultKey() {
  return toBase64Url(globalThis.crypto.getRandomValues(new Uint8Array(KEY_BYTES)));
}

export class BadPairingLink extends Error {}

/** The vault key in a pairing link (`…/#pair=<key>`) or a pasted key; BadPairingLink if none. */
export function keyFromLink(link) {
  const raw = String(link ?? '').trim();
  const match = raw.match(/(?:^|[#&])pair=([^&\s]*)/) ?? raw.match(/^([A-Za-z0-9_-]+)$/);
  if (!match) throw new BadPairingLink('That is not a Thaw pairing link.');
  const key = match[1];
  let bytes;
  try { bytes = fromBase64Url(key); } catch { bytes = null; }
  if (!bytes || bytes.length !== KEY_BYTES || key.length !== 43) {
    throw new BadPairingLink('That pairing link is incomplete or mistyped. Copy the whole link again.');
  }
  return key;
}

export function pairingLink(origin, key) {
  return `${origin}/#pair=${key}`;
}

/** vault_id (32 hex), auth token (43 base64url) and the AES-GCM-256 key, all from the vault key. */
export async function deriveVault(key) {
  const raw = fromBase64Url(key);
  if (raw.length !== KEY_BYTES) throw new BadPairingLink('A vault key is 32 bytes.');
  const base = await subtle.importKey('raw', raw, 'HKDF', false, ['deriveBits', 'deriveKey']);
  const params = (info) => ({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: text.encode(info) });
  const [id, auth, encKey] = await Promise.all([
    subtle.deriveBits(params(INFO.id), base, 128),
    subtle.deriveBits(params(INFO.auth), base, 256),
    subtle.deriveKey(params(INFO.enc), base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']),
  ]);
  return { vaultId: hex(new Uint8Array(id)), token: toBase64Url(new Uint8Array(auth)), encKey };
}

/** The plaintext of an entry in an envelope; a tombstone keeps only id, hlc and deleted. */
function payload(entry) {
  return entry.deleted ? { id: entry.id, hlc: entry.hlc, deleted: true } : entry;
}

/** Encrypt one entry with a fresh 12-byte IV; its id is bound in as additional data. */
export async function seal(encKey, entry) {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const data = await subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: text.encode(entry.id) },
    encKey,
    text.encode(JSON.stringify(payload(entry))),
  );
  return { id: entry.id, hlc: entry.hlc, deleted: Boolean(entry.deleted), iv: toBase64(iv), data: toBase64(new Uint8Array(data)) };
}

/** Decrypt an envelope; throws if it was altered, moved to another id, or disagrees with itself. */
export async function open(encKey, envelope) {
  const plain = await subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64(envelope.iv), additionalData: text.encode(envelope.id) },
    encKey,
    fromBase64(envelope.data),
  );
  const entry = JSON.parse(new TextDecoder().decode(plain));
  if (entry.id !== envelope.id || entry.hlc !== envelope.hlc || Boolean(entry.deleted) !== envelope.deleted) {
    throw new Error('envelope does not match its content');
  }
  return entry;
}
