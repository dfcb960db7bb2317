// A person's data, out and back in: Thaw JSON (complete, versioned, re-importable) and CSV (one
// row per check-in, for spreadsheets). DOM-free; merging by id and clock, nothing newer lost.
import { formatCsv } from './csv.js';
import { validate } from './entry.js';
import { core as coreById, regionLabel } from './feelings.js';

export const FORMAT = 'thaw-export';
export const FORMAT_VERSION = 1;

export class ImportError extends Error {}

/** Everything needed to rebuild the history elsewhere. Tombstones are sync bookkeeping: left out. */
export function exportJson(entries, { ownWords = {}, ownTags = [], exportedAt = new Date().toISOString() } = {}) {
  const live = entries.filter((e) => !e.deleted).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return JSON.stringify({
    format: FORMAT, version: FORMAT_VERSION, exportedAt, app: 'Thaw', ownWords, ownTags, entries: live,
  }, null, 1);
}

export const CSV_HEADER = ['date', 'time', 'utc_offset', 'feeling', 'word', 'intensity', 'body', 'tags', 'note', 'id'];

export function exportCsv(entries) {
  const rows = entries
    .filter((e) => !e.deleted)
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    .map((e) => [
      e.at.slice(0, 10),
      e.at.slice(11, 16),
      e.at.length > 23 ? e.at.slice(23).replace('Z', '+00:00') : '+00:00',
      coreById(e.feeling.core)?.label ?? e.feeling.core,
      e.feeling.word ?? '',
      e.intensity ?? '',
      e.body.map((b) => (b.sensations.length ? `${regionLabel(b.region)}: ${b.sensations.join(' ')}` : regionLabel(b.region))).join('; '),
      e.tags.join('; '),
      e.note,
      e.id,
    ]);
  return formatCsv(CSV_HEADER, rows, new Set(['word', 'tags', 'note']));
}

/** The parts of a Thaw export, checked for shape only; ImportError if it isn't one. */
export function readThawJson(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ImportError('This file is not complete JSON — it may be cut short or damaged. Nothing was imported.');
  }
  if (!data || typeof data !== 'object' || data.format !== FORMAT || !Array.isArray(data.entries)) {
    throw new ImportError('This file is not a Thaw export. Nothing was imported.');
  }
  if (data.version > FORMAT_VERSION) {
    throw new ImportError('This export comes from a newer Thaw. Update Thaw on this device, then import again.');
  }
  const ownWords = data.ownWords && typeof data.ownWords === 'object' && !Array.isArray(data.ownWords) ? data.ownWords : {};
  const ownTags = Array.isArray(data.ownTags) ? data.ownTags.filter((t) => typeof t === 'string') : [];
  return { raw: data.entries, ownWords, ownTags };
}

/** Validate exported entries (numbered from `first`): {entries, invalid: [{where, problems}]}. */
export function checkEntries(raw, first = 0) {
  const entries = [];
  const invalid = [];
  raw.forEach((item, i) => {
    const result = validate(item);
    if (result.ok && !result.entry.deleted) entries.push(result.entry);
    else invalid.push({ where: `Entry ${first + i + 1}`, problems: result.ok ? ['A deleted entry.'] : result.problems.map((p) => p.message) });
  });
  return { entries, invalid };
}

/** Read a Thaw export at once: {entries, invalid, ownWords, ownTags}; ImportError if it isn't one. */
export function parseThawJson(text) {
  const { raw, ownWords, ownTags } = readThawJson(text);
  return { ...checkEntries(raw), ownWords, ownTags };
}

/**
 * How incoming entries meet the stored ones, by id and clock: new ones are added, newer versions
 * replace older ones, and nothing newer is ever overwritten. Pure; the caller writes `toWrite`.
 */
export function importPlan(stored, incoming) {
  const toWrite = [];
  let added = 0;
  let updated = 0;
  let alreadyHad = 0;
  const seen = new Map();
  for (const entry of incoming) {
    const current = seen.get(entry.id) ?? stored.get(entry.id);
    if (!current) { added += 1; } else if (entry.hlc > current.hlc) { updated += 1; } else { alreadyHad += 1; continue; }
    seen.set(entry.id, entry);
    toWrite.push(entry);
  }
  return { toWrite, added, updated, alreadyHad };
}

/** "Imported 120, already had 30, skipped 2 invalid." */
export function summaryText({ added, updated, alreadyHad, invalid }) {
  const parts = [`Imported ${added.toLocaleString('en')}`];
  if (updated) parts.push(`updated ${updated.toLocaleString('en')}`);
  parts.push(`already had ${alreadyHad.toLocaleString('en')}`);
  if (invalid) parts.push(`skipped ${invalid.toLocaleString('en')} invalid`);
  return `${parts.join(', ')}.`;
}
