// The app lock's keys. One random data key seals the journal on this device; it is stored only
// wrapped, by a key stretched from the passcode and, optionally, by one from the device's
// WebAuthn PRF output. While locked, new check-ins go to an "inbox": sealed to a public key, so
// the locked app can save them but not read them back. WebCrypto only; DOM-free. Encryption of
// entries and values reuses vault.js's envelopes (padded, id bound in).
import { fromBase64, open, seal, toBase64 } from './vault.js';

const subtle = globalThis.crypto.subtle;
const text = new TextEncoder();
const AES = { name: 'AES-GCM', length: 256 };
const EC = { name: 'ECDH', namedCurve: 'P-256' };
const INFO = { device: 'thaw/v1/lock/device', inbox: 'thaw/v1/lock/inbox', wrap: 'thaw/v1/lock/' };
const PURPOSES = ['passcode', 'device'];
const MAX_WAIT = 5 * 60_000;

/** OWASP 2023 for PBKDF2-HMAC-SHA-256. */
export const PBKDF2_ITERATIONS = 600_000;

export class WrongPasscode extends Error {}

const random = (length) => globalThis.crypto.getRandomValues(new Uint8Array(length));

/** A new data key; extractable so it can be wrapped again (new passcode, new device) while unlocked. */
export function newDataKey() {
  return subtle.generateKey(AES, true, ['encrypt', 'decrypt']);
}

/** A PBKDF2 salt: 16 random bytes, base64. */
export function newSalt() {
  return toBase64(random(16));
}

/** The key a passcode wraps the data key with; NFKC so the same passcode typed on another keyboard matches. */
export async function passcodeKey(passcode, saltB64, iterations = PBKDF2_ITERATIONS) {
  const secret = text.encode(String(passcode).normalize('NFKC'));
  const base = await subtle.importKey('raw', secret, 'PBKDF2', false, ['deriveKey']);
  secret.fill(0);
  const params = { name: 'PBKDF2', hash: 'SHA-256', salt: fromBase64(saltB64), iterations };
  return subtle.deriveKey(params, base, AES, false, ['encrypt', 'decrypt']);
}

const hkdfParams = (salt, info) => ({ name: 'HKDF', hash: 'SHA-256', salt, info: text.encode(info) });

async function hkdfAes(secret, salt, info) {
  const base = await subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
  return subtle.deriveKey(hkdfParams(salt, info), base, AES, false, ['encrypt', 'decrypt']);
}

/** The key the device (WebAuthn PRF, 32 bytes) wraps the data key with. */
export async function deviceKey(prfOutput) {
  const bytes = prfOutput instanceof Uint8Array ? prfOutput : new Uint8Array(prfOutput);
  if (bytes.length !== 32) throw new Error('A PRF output is 32 bytes.');
  return hkdfAes(bytes, new Uint8Array(0), INFO.device);
}

function wrapParams(iv, purpose) {
  if (!PURPOSES.includes(purpose)) throw new Error(`unknown purpose ${purpose}`);
  return { name: 'AES-GCM', iv, additionalData: text.encode(INFO.wrap + purpose) };
}

/** The data key encrypted under `wrappingKey`; the purpose is bound in, so a passcode wrapping is not a device one. */
export async function wrapDataKey(wrappingKey, dataKey, purpose) {
  const iv = random(12);
  const params = wrapParams(iv, purpose);
  const raw = new Uint8Array(await subtle.exportKey('raw', dataKey));
  const data = await subtle.encrypt(params, wrappingKey, raw).finally(() => raw.fill(0));
  return { iv: toBase64(iv), data: toBase64(new Uint8Array(data)) };
}

/** The data key back; any failure is WrongPasscode, so a caller cannot tell a wrong key from damage. */
export async function unwrapDataKey(wrappingKey, wrapped, purpose) {
  let raw;
  try {
    const params = wrapParams(fromBase64(wrapped.iv), purpose);
    raw = new Uint8Array(await subtle.decrypt(params, wrappingKey, fromBase64(wrapped.data)));
    if (raw.length !== 32) throw new Error('not a 256-bit key');
    return await subtle.importKey('raw', raw, AES, true, ['encrypt', 'decrypt']);
  } catch {
    throw new WrongPasscode('That passcode did not unlock Thaw.');
  } finally {
    raw?.fill(0);
  }
}

/** A JSON value sealed under its name; the name is bound in, so it cannot be moved to another setting. */
export async function sealValue(dataKey, name, value) {
  const { iv, data } = await seal(dataKey, { id: name, hlc: '', deleted: false, value });
  return { iv, data };
}

/** The value sealed under `name`; throws if altered or sealed under another name. */
export async function openValue(dataKey, name, boxed) {
  const plain = await open(dataKey, { id: name, hlc: '', deleted: false, iv: boxed.iv, data: boxed.data });
  return plain.value;
}

export const sealEntry = (dataKey, entry) => seal(dataKey, entry);
export const openEntry = (dataKey, record) => open(dataKey, record);

/** An inbox key pair: the public key in the clear, the private key sealed with the data key. */
export async function newInbox(dataKey) {
  const pair = await subtle.generateKey(EC, true, ['deriveBits']);
  const publicKey = toBase64(new Uint8Array(await subtle.exportKey('raw', pair.publicKey)));
  const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey));
  const privateKey = await sealValue(dataKey, 'inbox-key', toBase64(pkcs8));
  pkcs8.fill(0);
  return { publicKey, privateKey };
}

/** The inbox's private key, usable only to open what was sealed to it. */
export async function openInboxKey(dataKey, sealedPrivate) {
  const pkcs8 = fromBase64(await openValue(dataKey, 'inbox-key', sealedPrivate));
  return subtle.importKey('pkcs8', pkcs8, EC, false, ['deriveBits']).finally(() => pkcs8.fill(0));
}

// ECIES: ECDH between an ephemeral key and the inbox key, HKDF salted with the ephemeral public key.
async function inboxAes(privateKey, publicRaw, epkRaw) {
  const peer = await subtle.importKey('raw', publicRaw, EC, false, []);
  const shared = new Uint8Array(await subtle.deriveBits({ name: 'ECDH', public: peer }, privateKey, 256));
  return hkdfAes(shared, epkRaw, INFO.inbox).finally(() => shared.fill(0));
}

/** An entry sealed to the inbox; the ephemeral private key is dropped, so the sender cannot open it again. */
export async function sealForInbox(publicKeyB64, entry) {
  const ephemeral = await subtle.generateKey(EC, false, ['deriveBits']);
  const epk = new Uint8Array(await subtle.exportKey('raw', ephemeral.publicKey));
  const key = await inboxAes(ephemeral.privateKey, fromBase64(publicKeyB64), epk);
  const { id, hlc, deleted, iv, data } = await seal(key, entry);
  return { id, epk: toBase64(epk), hlc, deleted, iv, data };
}

/** The entry an inbox record holds; throws if it was altered or sealed to another inbox. */
export async function openFromInbox(privateKey, sealed) {
  const epk = fromBase64(sealed.epk);
  return open(await inboxAes(privateKey, epk, epk), sealed);
}

/** Whether `text` may be a passcode: 6+ digits, or a passphrase of 8+ characters (counted after NFKC). */
export function checkPasscode(value) {
  const code = typeof value === 'string' ? value.normalize('NFKC') : '';
  const length = Array.from(code).length;
  if (!code.trim()) return { ok: false, message: 'Choose at least 6 digits, or a passphrase of at least 8 characters.' };
  if (/^[0-9]+$/.test(code)) return length >= 6 ? { ok: true } : { ok: false, message: 'Use at least 6 digits.' };
  return length >= 8 ? { ok: true } : { ok: false, message: 'Use at least 8 characters for a passphrase.' };
}

/** Milliseconds to wait after `failures` wrong tries in a row: none for the first four. */
export function lockoutWait(failures) {
  if (!(failures >= 5)) return 0;
  return [30_000, 60_000, 120_000][failures - 5] ?? MAX_WAIT;
}

/** The lockout state after one try at `now`. */
export function nextLockout(state, now, ok) {
  if (ok) return { failures: 0, until: 0 };
  const failures = (state?.failures || 0) + 1;
  return { failures, until: now + lockoutWait(failures) };
}

/**
 * Milliseconds still to wait; never more than 5 minutes, so a clock moved back cannot lock the
 * person out for long. Store `now + waitLeft(...)` as the new `until` then, or the 5 minutes restart.
 */
export function waitLeft(state, now) {
  const left = (state?.until ?? 0) - now;
  return left > 0 ? Math.min(left, MAX_WAIT) : 0;
}
