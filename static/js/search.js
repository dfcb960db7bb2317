// Search in History: which check-ins mention what a person typed, in their feeling's word, its
// core, their tags or their note. DOM-free. Case and accents never matter ("cafe" finds "Café",
// "CAN'T" finds "can’t"), every word typed must appear somewhere (in any order), and a leading
// "#" is the tag sign, not part of the word. The work is done in slices with a pause between them,
// so 9,000 check-ins never make one long task on the page.
import { core as coreById } from './feelings.js';

/** Letters that Unicode does not decompose into a base letter and a mark, after lower-casing. */
const PLAIN = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ς: 'σ',
  '’': "'", '‘': "'", 'ʼ': "'", '`': "'",
};
const PLAIN_CHARS = new RegExp(`[${Object.keys(PLAIN).join('')}]`, 'gu');
const MARKS = /\p{M}/gu;
const plain = (text) => text.toLowerCase().replace(PLAIN_CHARS, (ch) => PLAIN[ch]).normalize('NFKD').replace(MARKS, '');

/** Text as search compares it: lower case, no accents, curly apostrophes straight. */
export const fold = (text) => plain(String(text ?? ''));

/** The words of a query, folded; a leading '#' (a tag) dropped. [] means "no search". */
export function queryTerms(query) {
  return fold(query).split(/\s+/u).map((t) => t.replace(/^#+/u, '')).filter(Boolean);
}

/** Everything search looks in, folded into one string (its parts on lines of their own). */
export function searchText(entry) {
  const { core, word } = entry.feeling ?? {};
  return fold([word ?? '', coreById(core)?.label ?? core ?? '', ...(entry.tags ?? []), entry.note ?? ''].join('\n'));
}

export const matchesText = (text, terms) => terms.length > 0 && terms.every((t) => text.includes(t));

/** Does this check-in mention every word of the query? */
export const matches = (entry, query) => matchesText(searchText(entry), queryTerms(query));

const nextTask = () => new Promise((resolve) => { setTimeout(resolve, 0); });

/**
 * Go through `count` items in slices: at most `slice` items, and at most `budget` ms, a task (a
 * busy phone gets shorter slices, not longer tasks). `pause` waits for the next task; `stale`
 * is asked after each pause and ends the walk early (returns false).
 */
async function sliced(count, each, { slice, budget, pause, stale = () => false }) {
  let start = performance.now();
  let done = 0;
  for (let i = 0; i < count; i++) {
    if (done === slice || (done % 64 === 0 && done && performance.now() - start > budget)) {
      await pause();
      if (stale()) return false;
      start = performance.now();
      done = 0;
    }
    each(i);
    done += 1;
  }
  return true;
}

/**
 * The searchable rows of every live check-in, newest first (the order History pages in: time,
 * then id). Made once and kept until something changes.
 */
export async function indexEntries(entries, { slice = 1000, budget = 8, pause = nextTask } = {}) {
  const rows = [];
  await sliced(entries.length, (i) => {
    const entry = entries[i];
    if (!entry.deleted) rows.push({ entry, t: Date.parse(entry.at), text: searchText(entry) });
  }, { slice, budget, pause });
  rows.sort((a, b) => b.t - a.t || (a.entry.id < b.entry.id ? 1 : a.entry.id > b.entry.id ? -1 : 0));
  return rows;
}

/**
 * The check-ins among `rows` (from indexEntries) that match `query`, newest first; null when
 * `stale()` says a newer search has started meanwhile.
 */
export async function find(rows, query, { slice = 4000, budget = 8, pause = nextTask, stale = () => false } = {}) {
  const terms = queryTerms(query);
  if (!terms.length) return [];
  const found = [];
  const whole = await sliced(rows.length, (i) => {
    if (matchesText(rows[i].text, terms)) found.push(rows[i].entry);
  }, { slice, budget, pause, stale });
  return whole ? found : null;
}

/**
 * A note as one line for a row: its lines joined with " · ", at most `max` characters (the row
 * clips it to its width with an ellipsis). In search results, when a word searched for sits far
 * along, the line starts a few words before it with "…", so the row shows why it matched.
 */
export function notePreview(note, query = '', { lead = 32, max = 160 } = {}) {
  const text = String(note ?? '').split(/\r\n|\r|\n/u).map((l) => l.trim()).filter(Boolean).join(' · ');
  const chars = [...text];
  const clip = (from) => {
    const end = Math.min(chars.length, from + max);
    return `${from ? '…' : ''}${chars.slice(from, end).join('')}${end < chars.length ? '…' : ''}`;
  };
  const terms = queryTerms(query);
  if (!terms.length || chars.length <= lead) return clip(0);
  // Fold character by character, remembering where each folded character came from.
  let folded = '';
  const from = [];
  chars.forEach((ch, i) => {
    const f = plain(ch);
    folded += f;
    for (let k = 0; k < f.length; k++) from.push(i);
  });
  const at = Math.min(...terms.map((t) => folded.indexOf(t)).filter((i) => i >= 0));
  if (!Number.isFinite(at) || from[at] <= lead) return clip(0);
  // Begin at the start of a word a little before the match.
  const start = from[at];
  let begin = start - Math.floor(lead / 2);
  while (begin < start && !/\s/u.test(chars[begin - 1])) begin += 1;
  return clip(begin);
}
