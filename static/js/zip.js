// One file out of a zip archive, read with hostile input in mind. DOM-free (Blob and
// DecompressionStream exist in browsers and in node).
//
// Written by hand, not a library: all Thaw needs is "find this name in the central directory and
// inflate it", which is about eighty lines over the browser's own DecompressionStream('deflate-raw').
// A library would read the sizes the archive claims; here only the bytes named are sliced from the
// file (photos in the archive are never read), and inflating stops the moment the output passes
// the limit, whatever the headers say — so a zip bomb costs nothing. The CRC is checked, so a
// damaged archive is refused rather than half-read.

export class ZipError extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

async function bytes(blob, start, end) {
  return new Uint8Array(await blob.slice(start, end).arrayBuffer());
}

/** Does this start like a zip archive? */
export function looksLikeZip(head) {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6);
}

let crcTable = null;
function crc32(data, crc = 0xffffffff) {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n += 1) {
      let c = n;
      for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = crc;
  for (let i = 0; i < data.length; i += 1) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return c;
}

/** The central directory's entries: [{name, method, flags, crc, compressedSize, size, offset}]. */
export async function zipEntries(blob, { maxEntries = 200_000 } = {}) {
  const tailStart = Math.max(0, blob.size - (22 + 0xffff));
  const tail = await bytes(blob, tailStart, blob.size);
  const view = new DataView(tail.buffer);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i -= 1) {
    if (view.getUint32(i, true) === EOCD) { at = i; break; }
  }
  if (at < 0) throw new ZipError('It is not a complete zip archive (its directory is missing).');
  const count = view.getUint16(at + 10, true);
  const dirSize = view.getUint32(at + 12, true);
  const dirOffset = view.getUint32(at + 16, true);
  if (count === 0xffff || dirOffset === 0xffffffff) throw new ZipError('The archive is larger than Thaw reads (zip64).');
  if (count > maxEntries) throw new ZipError(`The archive holds more than ${maxEntries.toLocaleString('en')} files.`);
  if (dirOffset + dirSize > tailStart + at || dirSize > 64 * 1024 * 1024) throw new ZipError('The archive’s directory is damaged.');
  const dir = await bytes(blob, dirOffset, dirOffset + dirSize);
  const dv = new DataView(dir.buffer);
  const names = new TextDecoder();
  const entries = [];
  let p = 0;
  for (let i = 0; i < count; i += 1) {
    if (p + 46 > dir.length || dv.getUint32(p, true) !== CENTRAL) throw new ZipError('The archive’s directory is damaged.');
    const nameLength = dv.getUint16(p + 28, true);
    const extra = dv.getUint16(p + 30, true);
    const comment = dv.getUint16(p + 32, true);
    if (p + 46 + nameLength > dir.length) throw new ZipError('The archive’s directory is damaged.');
    entries.push({
      name: names.decode(dir.subarray(p + 46, p + 46 + nameLength)),
      flags: dv.getUint16(p + 8, true),
      method: dv.getUint16(p + 10, true),
      crc: dv.getUint32(p + 16, true),
      compressedSize: dv.getUint32(p + 20, true),
      size: dv.getUint32(p + 24, true),
      offset: dv.getUint32(p + 42, true),
    });
    p += 46 + nameLength + extra + comment;
  }
  return entries;
}

/**
 * The bytes of one entry, inflated, never more than `maxSize` bytes (whatever the archive claims).
 * ZipError when it is missing, encrypted, damaged or too large.
 */
export async function readZipEntry(blob, name, { maxSize = 64 * 1024 * 1024 } = {}) {
  const entry = (await zipEntries(blob)).find((e) => e.name === name || e.name.endsWith(`/${name}`));
  if (!entry) throw new ZipError(`There is no ${name} inside.`);
  if (entry.flags & 1) throw new ZipError(`${name} is encrypted.`);
  if (entry.method !== 0 && entry.method !== 8) throw new ZipError(`${name} is packed in a way Thaw doesn’t read (method ${entry.method}).`);
  if (entry.size > maxSize || (entry.method === 0 && entry.compressedSize > maxSize)) {
    throw new ZipError(`${name} is larger than ${Math.round(maxSize / 1048576)} MB.`);
  }
  const local = await bytes(blob, entry.offset, entry.offset + 30);
  const lv = new DataView(local.buffer);
  if (local.length < 30 || lv.getUint32(0, true) !== LOCAL) throw new ZipError(`${name} is damaged.`);
  const start = entry.offset + 30 + lv.getUint16(26, true) + lv.getUint16(28, true);
  const end = start + entry.compressedSize;
  if (end > blob.size) throw new ZipError(`${name} is cut short.`);
  let out;
  let crc;
  if (entry.method === 0) {
    out = await bytes(blob, start, end);
    crc = crc32(out);
  } else {
    ({ out, crc } = await inflate(blob.slice(start, end), maxSize, name));
  }
  if (out.length !== entry.size || (crc ^ 0xffffffff) >>> 0 !== entry.crc) {
    throw new ZipError(`${name} is damaged (its check sum does not match).`);
  }
  return out;
}

/** The inflated bytes and their running CRC, summed chunk by chunk as they come (no long task at the end). */
async function inflate(blob, maxSize, name) {
  const reader = blob.stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks = [];
  let total = 0;
  let crc = 0xffffffff;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxSize) throw new ZipError(`${name} unpacks to more than ${Math.round(maxSize / 1048576)} MB.`);
      chunks.push(value);
      crc = crc32(value, crc);
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    if (error instanceof ZipError) throw error;
    throw new ZipError(`${name} is damaged (${error.message}).`);
  }
  const out = new Uint8Array(total);
  let p = 0;
  for (const chunk of chunks) { out.set(chunk, p); p += chunk.length; }
  return { out, crc };
}
