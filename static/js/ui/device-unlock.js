// The device's own unlock (fingerprint, face, device PIN) through WebAuthn with the PRF
// extension: a credential made for Thaw on this device gives 32 secret bytes for a fixed salt,
// which wrap the data key (lock.js deviceKey). Nothing is sent anywhere: there is no server
// ceremony, so the challenge is random and unchecked; the PRF output is the only secret used.
import { fromBase64, fromBase64Url, toBase64, toBase64Url } from '../vault.js';

const random = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n));

/** True where a platform authenticator with user verification may exist (PRF is known only after trying). */
export async function deviceUnlockAvailable() {
  try {
    // A WebAuthn relying party needs a domain name: an IP address (a LAN test) cannot have one.
    const named = !/^[\d.]+$/.test(location.hostname) && !location.hostname.includes(':');
    return Boolean(window.PublicKeyCredential && window.isSecureContext && named
      && await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable());
  } catch {
    return false;
  }
}

/** The PRF output of credential `id` for `salt`, after the device's own unlock; null if none. */
export async function devicePrf({ id, salt }) {
  const credential = await navigator.credentials.get({
    publicKey: {
      challenge: random(32),
      rpId: location.hostname,
      allowCredentials: [{ type: 'public-key', id: fromBase64Url(id) }],
      userVerification: 'required',
      timeout: 120_000,
      extensions: { prf: { eval: { first: fromBase64(salt) } } },
    },
  });
  const first = credential?.getClientExtensionResults?.().prf?.results?.first;
  return first ? new Uint8Array(first) : null;
}

/**
 * A new credential for Thaw on this device and its PRF output: {id, salt, prfOutput}. Throws a
 * plain-language error when the device cannot do it (no PRF, cancelled).
 */
export async function createDeviceCredential() {
  const salt = random(32);
  let credential;
  try {
    credential = await navigator.credentials.create({
      publicKey: {
        rp: { name: 'Thaw', id: location.hostname },
        user: { id: random(16), name: 'Thaw on this device', displayName: 'Thaw on this device' },
        challenge: random(32),
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -257 }],
        authenticatorSelection: { authenticatorAttachment: 'platform', userVerification: 'required', residentKey: 'discouraged' },
        timeout: 120_000,
        extensions: { prf: { eval: { first: salt } } },
      },
    });
  } catch {
    throw new Error('The screen lock was not set up for Thaw. You can try again; your passcode still works.');
  }
  const prf = credential?.getClientExtensionResults?.().prf;
  if (!prf?.enabled && !prf?.results?.first) {
    throw new Error('This device’s screen lock cannot protect Thaw’s key in this browser. The passcode still works.');
  }
  const id = toBase64Url(new Uint8Array(credential.rawId));
  const saltText = toBase64(salt);
  const first = prf.results?.first ? new Uint8Array(prf.results.first) : await devicePrf({ id, salt: saltText });
  if (!first) throw new Error('This device’s screen lock did not give Thaw a key. The passcode still works.');
  return { id, salt: saltText, prfOutput: first };
}
