// A check-in: made, validated and normalised here before anything is written. No I/O.
import { BODY_REGIONS, CORES, NUMB, SENSATIONS, coreOfWord } from './feelings.js';
import { HLC_PATTERN } from './hlc.js';

export const LIMITS = { note: 2000, tags: 10, tag: 32, word: 32, regions: BODY_REGIONS.length };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const CONTROL = /[\u0000-\u001f\u007f]/;
const CORE_IDS = new Set([NUMB.id, ...CORES.map((c) => c.id)]);
const REGION_IDS = new Set(BODY_REGIONS.map((r) => r.id));
const SENSATION_SET = new Set(SENSATIONS);
const FIELDS = ['id', 'at', 'feeling', 'intensity', 'body', 'tags', 'note', 'hlc', 'deleted'];
const FIELD_SET = new Set(FIELDS);
const REGION_ORDER = [...REGION_IDS];
/** Characters (code points) in a text, counted only when its UTF-16 length could pass `limit`. */
const longerThan = (text, limit) => text.length > limit && [...text].length > limit;

const pad = (n, width = 2) => String(n).padStart(width, '0');

// Made on first use, not while the first screen starts (1,100 calls of cold code there).
let TWO;
let THREE;

/** ISO 8601 in the device's local time with its offset, e.g. 2026-11-24T18:05:00.000+01:00. */
export function isoWithOffset(date = new Date()) {
  const offset = -date.getTimezoneOffset();
  const shifted = new Date(date.getTime() + offset * 60_000);
  const sign = offset >= 0 ? '+' : '-';
  const year = shifted.getUTCFullYear();
  if (year >= 1000 && year <= 9999 && Number.isInteger(offset) && Math.abs(offset) < 6000) {
    // The same text as toISOString() gives, put together from lookups (imports make thousands).
    TWO ??= Array.from({ length: 100 }, (_, n) => pad(n));
    THREE ??= Array.from({ length: 1000 }, (_, n) => pad(n, 3));
    const abs = Math.abs(offset);
    return `${year}-${TWO[shifted.getUTCMonth() + 1]}-${TWO[shifted.getUTCDate()]}T${TWO[shifted.getUTCHours()]}:`
      + `${TWO[shifted.getUTCMinutes()]}:${TWO[shifted.getUTCSeconds()]}.${THREE[shifted.getUTCMilliseconds()]}`
      + `${sign}${TWO[Math.floor(abs / 60)]}:${TWO[abs % 60]}`;
  }
  const local = shifted.toISOString().slice(0, 23);
  return `${local}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

/** Collapse white space and lower-case: how own words and tags are kept. */
export function cleanLabel(text) {
  return String(text ?? '').normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** A new check-in from what the person chose; validate() decides whether it may be stored. */
export function createEntry(fields, { id = globalThis.crypto.randomUUID(), hlc, at } = {}) {
  return normalise({
    id,
    at: at ?? isoWithOffset(),
    feeling: fields.feeling,
    intensity: fields.intensity ?? null,
    body: fields.body ?? [],
    tags: fields.tags ?? [],
    note: fields.note ?? '',
    hlc,
    deleted: false,
  });
}

/** A tombstone: keeps id, hlc and deleted; the rest is dropped. */
export function tombstone(entry, hlc) {
  return { id: entry.id, hlc, deleted: true };
}

/** Same meaning, one spelling: trimmed text, unique tags and sensations, regions in fixed order. */
export function normalise(entry) {
  if (!entry || typeof entry !== 'object' || entry.deleted === true) return entry;
  const out = { ...entry };
  if (out.feeling && typeof out.feeling === 'object') {
    const feeling = { core: out.feeling.core };
    const { word } = out.feeling;
    if (typeof word === 'string' && word.trim()) feeling.word = cleanLabel(word);
    else if (word != null && word !== '') feeling.word = word;
    out.feeling = feeling;
  }
  if (typeof out.note === 'string') out.note = out.note.normalize('NFC').replace(/\s+$/u, '');
  if (Array.isArray(out.tags)) {
    const clean = out.tags.map((t) => (typeof t === 'string' ? cleanLabel(t) : t));
    out.tags = [...new Set(clean.filter((t) => t !== ''))];
  }
  if (Array.isArray(out.body)) {
    out.body = out.body
      .map((part) => ({
        region: part?.region,
        sensations: Array.isArray(part?.sensations) ? [...new Set(part.sensations)] : part?.sensations,
      }))
      .sort((a, b) => REGION_ORDER.indexOf(a.region) - REGION_ORDER.indexOf(b.region));
  }
  return out;
}

/** Every problem with an entry, as {field, message} in plain words; [] when it may be stored. */
export function problems(entry) {
  const found = [];
  const fail = (field, message) => found.push({ field, message });
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
    return [{ field: 'entry', message: 'This is not a check-in.' }];
  }
  if (typeof entry.id !== 'string' || !UUID.test(entry.id)) fail('id', 'The check-in has no valid id.');
  if (typeof entry.hlc !== 'string' || !HLC_PATTERN.test(entry.hlc)) {
    fail('hlc', 'The check-in has no valid change time.');
  }
  if (entry.deleted === true) {
    const extra = Object.keys(entry).filter((k) => !['id', 'hlc', 'deleted'].includes(k));
    if (extra.length) fail('deleted', `A deleted check-in keeps nothing else (found ${extra.join(', ')}).`);
    return found;
  }
  if (entry.deleted !== false) fail('deleted', 'deleted must be true or false.');
  let unknown = null;
  for (const k of Object.keys(entry)) if (!FIELD_SET.has(k)) (unknown ??= []).push(k);
  if (unknown) fail('entry', `Unknown fields: ${unknown.join(', ')}.`);

  if (typeof entry.at !== 'string' || !ISO_WITH_OFFSET.test(entry.at) || Number.isNaN(Date.parse(entry.at))) {
    fail('at', 'The time of the check-in is not a valid date and time.');
  }
  checkFeeling(entry.feeling, fail);
  const { intensity } = entry;
  if (intensity !== null && !(Number.isInteger(intensity) && intensity >= 1 && intensity <= 5)) {
    fail('intensity', 'Intensity is 1 to 5, or left out.');
  }
  checkBody(entry.body, fail);
  checkTags(entry.tags, fail);
  if (typeof entry.note !== 'string') fail('note', 'The note must be text.');
  else if (longerThan(entry.note, LIMITS.note)) {
    fail('note', `The note is longer than ${LIMITS.note.toLocaleString('en')} characters.`);
  }
  return found;
}

function checkFeeling(feeling, fail) {
  if (!feeling || typeof feeling !== 'object' || !CORE_IDS.has(feeling.core)) {
    fail('feeling', 'Choose a feeling on the wheel, or “Numb / can’t tell”.');
    return;
  }
  const keys = Object.keys(feeling).filter((k) => !['core', 'word'].includes(k));
  if (keys.length) fail('feeling', `Unknown feeling fields: ${keys.join(', ')}.`);
  if (!('word' in feeling)) return;
  const { word } = feeling;
  if (feeling.core === NUMB.id) {
    fail('feeling', '“Numb / can’t tell” has no more precise word.');
  } else if (typeof word !== 'string' || !word.trim() || CONTROL.test(word)) {
    fail('feeling', 'The feeling word must be plain text.');
  } else if (longerThan(word, LIMITS.word)) {
    fail('feeling', `A feeling word is at most ${LIMITS.word} characters.`);
  } else {
    const home = coreOfWord(word);
    if (home && home !== feeling.core) fail('feeling', `“${word}” belongs under ${home}, not ${feeling.core}.`);
  }
}

function checkBody(body, fail) {
  if (!Array.isArray(body)) { fail('body', 'Body places must be a list.'); return; }
  const seen = new Set();
  for (const part of body) {
    if (!part || !REGION_IDS.has(part.region)) { fail('body', `Unknown body place: ${part?.region}.`); continue; }
    if (seen.has(part.region)) fail('body', `${part.region} is listed twice.`);
    seen.add(part.region);
    const bad = (Array.isArray(part.sensations) ? part.sensations : [null]).filter((s) => !SENSATION_SET.has(s));
    if (bad.length) fail('body', `Unknown sensation at ${part.region}: ${bad.join(', ')}.`);
    if (part.region === 'nowhere' && part.sensations?.length) fail('body', '“Nowhere I can tell” has no sensations.');
  }
  if (seen.has('nowhere') && seen.size > 1) fail('body', '“Nowhere I can tell” goes alone.');
}

function checkTags(tags, fail) {
  if (!Array.isArray(tags)) { fail('tags', 'Tags must be a list.'); return; }
  if (tags.length > LIMITS.tags) fail('tags', `At most ${LIMITS.tags} tags on one check-in.`);
  for (const tag of tags) {
    if (typeof tag !== 'string' || !tag.trim() || CONTROL.test(tag) || longerThan(tag, LIMITS.tag)) {
      fail('tags', `A tag is 1 to ${LIMITS.tag} characters of plain text.`);
      return;
    }
  }
  if (new Set(tags).size !== tags.length) fail('tags', 'A tag is listed twice.');
}

/** Normalise, then check: {ok: true, entry} or {ok: false, problems}. */
export function validate(raw) {
  const entry = normalise(raw);
  const found = problems(entry);
  return found.length ? { ok: false, problems: found } : { ok: true, entry };
}
