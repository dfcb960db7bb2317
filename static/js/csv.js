// CSV (RFC 4180): reading and writing, DOM-free. Fields with commas, quotes or line breaks are
// quoted; quotes are doubled.

/** A CSV file that cannot be read; `row` is the spreadsheet row (1 = the first line) where it went wrong. */
export class CsvError extends Error {
  constructor(message, row) {
    super(message);
    this.row = row;
  }
}

/** Where an unquoted field ends: at a comma or a line break. */
function fieldEnd(source, from, n) {
  let j = from;
  for (; j < n; j += 1) {
    const c = source.charCodeAt(j);
    if (c === 44 || c === 10 || c === 13) break;
  }
  return j;
}

/**
 * CSV text as records [{cells, row}], `row` counting as a spreadsheet does (1 = the first line;
 * a line break inside quotes stays in its row). Lines may end LF, CRLF or \r\r\n (some exports
 * double the \r); a byte-order mark is dropped; blank lines are counted, not returned.
 * Throws CsvError naming the row where a quoted field never ends.
 */
export function readCsv(text, options = {}) {
  const steps = readCsvSteps(text, options);
  for (;;) {
    const { done, value } = steps.next();
    if (done) return value;
  }
}

/**
 * readCsv as a generator that yields every `every` records, so a caller can pause between
 * (`yield*` it inside another generator); its return value is the records.
 */
export function* readCsvSteps(text, { maxRows = Infinity, every = 1000 } = {}) {
  const source = String(text).replace(/^\uFEFF/, '');
  const records = [];
  const n = source.length;
  let row = 1;
  let cells = [];
  let i = 0;
  let pauseAt = every;
  const endLine = () => {
    if (!(cells.length === 1 && cells[0] === '')) {
      records.push({ cells, row });
      if (records.length > maxRows) throw new CsvError(`There are more than ${maxRows.toLocaleString('en')} rows.`, row);
    }
    cells = [];
    row += 1;
  };
  while (i <= n) {
    if (records.length >= pauseAt) { pauseAt += every; yield; }
    if (i === n) { if (cells.length) { cells.push(''); endLine(); } break; }
    if (source.charCodeAt(i) === 34) { // a quoted field
      const startRow = row;
      let field = '';
      let from = i + 1;
      for (;;) {
        const q = source.indexOf('"', from);
        if (q < 0) throw new CsvError('A quoted field never ends — the file may be cut short.', startRow);
        field += source.slice(from, q);
        if (source.charCodeAt(q + 1) === 34) { field += '"'; from = q + 2; continue; }
        i = q + 1;
        break;
      }
      // Text after the closing quote (a quirk of hand-made files) stays with the field.
      const j = fieldEnd(source, i, n);
      field += source.slice(i, j);
      i = j;
      cells.push(field);
    } else {
      const j = fieldEnd(source, i, n);
      cells.push(source.slice(i, j));
      i = j;
    }
    if (i >= n) { endLine(); break; }
    const c = source[i];
    if (c === ',') { i += 1; if (i === n) { cells.push(''); endLine(); break; } continue; }
    // a line ends: \n, \r\n, \r\r\n or a lone \r
    if (c === '\r' && source[i + 1] === '\r' && source[i + 2] === '\n') i += 3;
    else if (c === '\r' && source[i + 1] === '\n') i += 2;
    else i += 1;
    endLine();
    if (i === n) break;
  }
  return records;
}

/** Parse CSV text into rows of strings (blank lines left out). Throws on an unterminated quoted field. */
export function parseCsv(text) {
  return readCsv(text).map((r) => r.cells);
}

/** One CSV field. Text a spreadsheet would run as a formula gets a leading apostrophe. */
export function csvField(value, { text = false } = {}) {
  let out = value == null ? '' : String(value);
  if (text && /^[=+\-@\t\r]/.test(out)) out = `'${out}`;
  return /[",\r\n]/.test(out) ? `"${out.replace(/"/g, '""')}"` : out;
}

export function formatCsv(header, rows, textColumns = new Set()) {
  const line = (cells) => cells.map((cell, i) => csvField(cell, { text: textColumns.has(header[i]) })).join(',');
  return [line(header), ...rows.map(line)].join('\r\n') + '\r\n';
}
