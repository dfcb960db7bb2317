// Size buckets for envelope plaintext: the server sees which bucket an entry falls in, never the
// length of its note. Padding is trailing ASCII spaces after the JSON text, so an envelope sealed
// before padding existed opens the same way, and an older Thaw can still read a padded one
// (JSON.parse ignores white space after the value). DOM-free.

const STEP = 512; // 512, 1024, 1536, 2048 …
const STEPPED_UP_TO = 2048; // … then powers of two: 4096, 8192 …
/** The largest padded plaintext: AES-GCM adds a 16-byte tag and the server takes ≤ 16 KiB. */
export const MAX_PADDED = 16 * 1024 - 16;
const SPACE = 0x20;

/** The bucket a plaintext of `length` bytes is padded to (itself when past the last bucket). */
export function bucket(length) {
  if (length <= STEPPED_UP_TO) return Math.max(STEP, Math.ceil(length / STEP) * STEP);
  let size = STEPPED_UP_TO;
  while (size < length) size *= 2;
  return Math.max(length, Math.min(size, MAX_PADDED));
}

/** `bytes` followed by spaces up to its bucket. */
export function pad(bytes) {
  const size = bucket(bytes.length);
  if (size === bytes.length) return bytes;
  const out = new Uint8Array(size).fill(SPACE);
  out.set(bytes);
  return out;
}

/** `bytes` without the trailing spaces padding added (JSON never ends in a space). */
export function unpad(bytes) {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === SPACE) end -= 1;
  return bytes.subarray(0, end);
}
