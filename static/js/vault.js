// The vault: one 256-bit key shared by a person's paired devices. From it come the vault id and
// token the server knows, the AES-GCM key it never sees, the verification code two devices
// compare before joining, and the key that signs a deletion notice. WebCrypto only; DOM-free.
import { pad, unpad } from './padding.js';

const subtle = globalThis.crypto.subtle;
const text = new TextEncoder();
const KEY_BYTES = 32;
export const INFO = {
  id: 'thaw/v1/vault-id', auth: 'thaw/v1/auth', enc: 'thaw/v1/enc', verify: 'thaw/v1/verify', notice: 'thaw/v1/notice',
};
const NOTICE_PREFIX = 'thaw/v1/deleted/';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
let pairs = null; // the 4,096 two-letter writings of 12 bits, made on first use

/**
 * Standard base64 with padding. Every sealed record needs two, so this is on the import's and
 * sync's path: the engine's own Uint8Array.prototype.toBase64 where there is one, else three
 * bytes at a time through a table (spreading bytes into String.fromCharCode for btoa cost more
 * than the AES-GCM).
 */
export function toBase64(bytes) {
  if (typeof bytes.toBase64 === 'function') return bytes.toBase64();
  pairs ??= Array.from({ length: 4096 }, (_, v) => ALPHABET[v >>> 6] + ALPHABET[v & 63]);
  const whole = bytes.length - (bytes.length % 3);
  let out = '';
  for (let i = 0; i < whole; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += pairs[v >>> 12] + pairs[v & 0xfff];
  }
  if (bytes.length - whole === 1) {
    out += `${pairs[bytes[whole] << 4]}==`;
  } else if (bytes.length - whole === 2) {
    const v = (bytes[whole] << 10) | (bytes[whole + 1] << 2);
    out += `${pairs[v >>> 6]}${ALPHABET[v & 63]}=`;
  }
  return out;
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

const hkdfParams = (info) => ({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: text.encode(info) });

function hkdfBase(key) {
  const raw = fromBase64Url(key);
  if (raw.length !== KEY_BYTES) throw new BadPairingLink('A vault key is 32 bytes.');
  return subtle.importKey('raw', raw, 'HKDF', false, ['deriveBits', 'deriveKey']);
}

/**
 * vault_id (32 hex), auth token (43 base64url), the AES-GCM-256 key and the HMAC key of
 * deletion notices, all from the vault key.
 */
export async function deriveVault(key) {
  const base = await hkdfBase(key);
  const [id, auth, encKey, noticeKey] = await Promise.all([
    subtle.deriveBits(hkdfParams(INFO.id), base, 128),
    subtle.deriveBits(hkdfParams(INFO.auth), base, 256),
    subtle.deriveKey(hkdfParams(INFO.enc), base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']),
    subtle.deriveKey(hkdfParams(INFO.notice), base, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign', 'verify']),
  ]);
  return { vaultId: hex(new Uint8Array(id)), token: toBase64Url(new Uint8Array(auth)), encKey, noticeKey };
}

/**
 * The six-digit code both devices show for one vault key (HKDF info thaw/v1/verify): the
 * person compares them before joining, so a link made on someone else's device is noticed.
 */
export async function verificationCode(key) {
  const bits = new DataView(await subtle.deriveBits(hkdfParams(INFO.verify), await hkdfBase(key), 64));
  return String(bits.getBigUint64(0) % 1_000_000n).padStart(6, '0');
}

/** The deletion notice for a vault: base64(HMAC-SHA-256(noticeKey, "thaw/v1/deleted/" + id)). */
export async function makeNotice(noticeKey, vaultId) {
  const mac = await subtle.sign('HMAC', noticeKey, text.encode(NOTICE_PREFIX + vaultId));
  return toBase64(new Uint8Array(mac));
}

/** True only for the notice this vault's key makes; anything else (or nothing) is false. */
export async function verifyNotice(noticeKey, vaultId, notice) {
  if (typeof notice !== 'string' || !/^[A-Za-z0-9+/]{43}=$/.test(notice)) return false;
  return subtle.verify('HMAC', noticeKey, fromBase64(notice), text.encode(NOTICE_PREFIX + vaultId));
}

/** The plaintext of an entry in an envelope; a tombstone keeps only id, hlc and deleted. */
function payload(entry) {
  return entry.deleted ? { id: entry.id, hlc: entry.hlc, deleted: true } : entry;
}

/**
 * Encrypt one entry with a fresh 12-byte IV; its id is bound in as additional data. The
 * plaintext is padded to its size bucket first (padding.js), so a note's length stays private.
 */
export async function seal(encKey, entry) {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const data = await subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: text.encode(entry.id) },
    encKey,
    pad(text.encode(JSON.stringify(payload(entry)))),
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
  const entry = JSON.parse(new TextDecoder().decode(unpad(new Uint8Array(plain))));
  if (entry.id !== envelope.id || entry.hlc !== envelope.hlc || Boolean(entry.deleted) !== envelope.deleted) {
    throw new Error('envelope does not match its content');
  }
  return entry;
}
