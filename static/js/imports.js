// Which app a file comes from, told by its content (never its name), and reading it. DOM-free:
// works on a Blob (a File in the browser). Loaded only when someone imports, so none of this is
// part of Thaw's first screen.
import { isBearable, readBearable } from './bearable.js';
import { backupText, readDaylioBackupInSlices } from './daylio-backup.js';
import { isDaylioCsv, readDaylioCsvInSlices } from './daylio.js';
import { isHowWeFeel, readHowWeFeel } from './howwefeel.js';
import { ImportError, LIMITS_IMPORT, decodeText, yieldToPage } from './import-entries.js';
import { looksLikeZip } from './zip.js';

export { buildEntries, prepareRows, timeSlicer, yieldToAll } from './import-entries.js';

const MB = 1024 * 1024;

/** 'thaw' | 'daylio-backup' | 'daylio-csv' | 'howwefeel' | 'bearable' | null, from a text's start or a file's first bytes. */
export function detectFormat(head, text = null) {
  if (head && looksLikeZip(head)) return 'daylio-backup';
  const start = text ?? '';
  if (/^\s*[{[]/.test(start)) return 'thaw';
  if (isDaylioCsv(start)) return 'daylio-csv';
  if (isHowWeFeel(start)) return 'howwefeel';
  if (isBearable(start)) return 'bearable';
  return null;
}

// Daylio files (the largest) are read in time slices, so the page never waits on one long task.
const READERS = { 'daylio-csv': readDaylioCsvInSlices, howwefeel: readHowWeFeel, bearable: readBearable };

/**
 * Read a chosen file: {format: 'thaw', text} for Thaw's own export, else what the app's reader
 * returns ({format, source, records, skipped, moods, notices}). ImportError for anything that is
 * too large, damaged or not a known export — and then nothing is imported.
 */
export async function readImportFile(blob) {
  if (blob.size > LIMITS_IMPORT.fileBytes && !looksLikeZip(new Uint8Array(await blob.slice(0, 4).arrayBuffer()))) {
    throw new ImportError(`This file is larger than ${LIMITS_IMPORT.fileBytes / MB} MB, more than an export of mood check-ins would be. Nothing was imported.`);
  }
  const head = new Uint8Array(await blob.slice(0, 4).arrayBuffer());
  if (looksLikeZip(head)) {
    const json = await backupText(blob);
    await yieldToPage();
    return readDaylioBackupInSlices(json);
  }
  if (blob.size > LIMITS_IMPORT.textBytes) {
    throw new ImportError(`This file is larger than ${LIMITS_IMPORT.textBytes / MB} MB, more than an export of mood check-ins would be. Nothing was imported.`);
  }
  const text = decodeText(new Uint8Array(await blob.arrayBuffer()));
  await yieldToPage();
  const format = detectFormat(head, text);
  if (format === 'thaw') return { format, text };
  if (!format) {
    throw new ImportError('This file is not one Thaw can import: a Thaw export (.json), a Daylio export (.csv) or backup (.daylio), How We Feel or Bearable (.csv). Nothing was imported.');
  }
  return READERS[format](text);
}
