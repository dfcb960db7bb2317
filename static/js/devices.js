// The devices that share a pairing: one small record per device, sealed and synced in the vault
// like a check-in (same envelope, same padding), so the server learns nothing new. A record is
// never a check-in: it carries kind "device" and lives apart from entries on each device.
// Fields merge one by one (the newest name, the earliest join, the latest sync), so a rename on
// one device and a sync stamp on another both survive. DOM-free.
import { HLC_PATTERN } from './hlc.js';

export const KIND = 'device';
export const NAME_LIMIT = 40;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const CONTROL = /[\u0000-\u001f\u007f]/;
const FIELDS = ['id', 'hlc', 'deleted', 'kind', 'name', 'nameHlc', 'joined', 'lastSynced'];

/** True for anything that claims to be a device record (it never goes near entry validation). */
export const isDeviceRecord = (value) => Boolean(value) && typeof value === 'object' && value.kind === KIND;

/** A name as kept: white space collapsed, trimmed, at most NAME_LIMIT characters. */
export function cleanName(text) {
  return [...String(text ?? '').normalize('NFC').replace(/\s+/g, ' ').trim()].slice(0, NAME_LIMIT).join('');
}

/** A new record for this device, joining now. */
export function newDevice({ id = globalThis.crypto.randomUUID(), name, hlc, now = new Date() }) {
  return {
    id, hlc, deleted: false, kind: KIND, name: cleanName(name) || 'Device', nameHlc: hlc,
    joined: now.toISOString(), lastSynced: null,
  };
}

/** The record if it is a well-formed device record, else null (then it is skipped, not stored). */
export function checkDevice(raw) {
  if (!isDeviceRecord(raw) || Array.isArray(raw)) return null;
  if (Object.keys(raw).some((k) => !FIELDS.includes(k))) return null;
  const { id, hlc, deleted, name, nameHlc, joined, lastSynced } = raw;
  if (typeof id !== 'string' || !UUID.test(id) || deleted !== false) return null;
  if (typeof hlc !== 'string' || !HLC_PATTERN.test(hlc)) return null;
  if (typeof nameHlc !== 'string' || !HLC_PATTERN.test(nameHlc) || nameHlc > hlc) return null;
  if (typeof name !== 'string' || !name || CONTROL.test(name) || [...name].length > NAME_LIMIT) return null;
  const time = (v) => typeof v === 'string' && ISO.test(v) && !Number.isNaN(Date.parse(v));
  if (!time(joined) || !(lastSynced === null || time(lastSynced))) return null;
  return { id, hlc, deleted, kind: KIND, name, nameHlc, joined, lastSynced };
}

const later = (a, b) => (a === null ? b : b === null ? a : a > b ? a : b);

/** Field by field: the newest name, the earliest join, the latest sync, the greatest clock. */
export function mergeDevice(a, b) {
  if (!a) return b;
  if (!b) return a;
  const named = a.nameHlc > b.nameHlc || (a.nameHlc === b.nameHlc && a.name >= b.name) ? a : b;
  return {
    id: a.id,
    hlc: a.hlc > b.hlc ? a.hlc : b.hlc,
    deleted: false,
    kind: KIND,
    name: named.name,
    nameHlc: named.nameHlc,
    joined: a.joined < b.joined ? a.joined : b.joined,
    lastSynced: later(a.lastSynced, b.lastSynced),
  };
}

const same = (a, b) => a && b && a.name === b.name && a.nameHlc === b.nameHlc && a.joined === b.joined
  && a.lastSynced === b.lastSynced;

/**
 * Merge incoming records into the stored ones (a Map by id). Returns the new map and the ids
 * whose merged version holds something the incoming one lacked: those are sealed again with a
 * newer clock and pushed, so every device ends with the same record.
 */
export function mergeDevices(stored, incoming) {
  const next = new Map(stored);
  const repush = new Set();
  for (const record of incoming) {
    const mine = next.get(record.id);
    const merged = mergeDevice(mine, record);
    next.set(record.id, merged);
    if (same(merged, record)) repush.delete(record.id);
    else repush.add(record.id);
  }
  return { devices: next, repush: [...repush] };
}

/**
 * A sensible first name for this device ("Phone", "Tablet", "Computer") from its browser's user
 * agent, its mobile hint, and whether it is touched (coarse pointer) on a small screen.
 */
export function defaultName(userAgent = '', { mobile = null, coarse = false, width = 1024 } = {}) {
  if (/iPad|Tablet/i.test(userAgent) || (/Android/i.test(userAgent) && !/Mobile/i.test(userAgent))) return 'Tablet';
  if (mobile === true || /iPhone|Android|Mobile/i.test(userAgent)) return 'Phone';
  if (coarse) return width < 700 ? 'Phone' : 'Tablet';
  return 'Computer';
}
