// CSV (RFC 4180): reading and writing, DOM-free. Fields with commas, quotes or line breaks are
// quoted; quotes are doubled.

/** Parse CSV text into rows of strings. Throws on an unterminated quoted field. */
export function parseCsv(text) {
  const source = String(text).replace(/^\uFEFF/, '');
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (quoted) {
      if (c === '"') {
        if (source[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false;
      } else {
        field += c;
      }
      i += 1;
      continue;
    }
    if (c === '"' && field === '') { quoted = true; i += 1; continue; }
    if (c === ',') { row.push(field); field = ''; i += 1; continue; }
    if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && source[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += c;
    i += 1;
  }
  if (quoted) throw new Error('The file ends inside a quoted field — it may be cut short.');
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
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
