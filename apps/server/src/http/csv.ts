/**
 * CSV as spreadsheets write it (RFC 4180): comma-separated, fields quoted when they hold a comma,
 * quote or line break, quotes doubled, CRLF or LF line ends.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark from Excel
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      endField();
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      endRow();
    } else {
      field += c;
    }
  }
  if (quoted) throw new Error('the file ends inside a quoted field (a " is missing)');
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

/**
 * Cells a spreadsheet would run as a formula get a leading apostrophe (CSV injection). Cells
 * that already look guarded get one more, so that reading undoes exactly what writing did.
 */
const GUARD_NEEDED = /^'*[=+@\t\r]/;
const GUARDED = /^'+[=+@\t\r]/;

export function formatCsvRow(fields: Array<string | null>): string {
  return (
    fields
      .map((value) => {
        const text = value ?? '';
        const safe = GUARD_NEEDED.test(text) ? `'${text}` : text;
        return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
      })
      .join(',') + '\r\n'
  );
}

/** Undoes the formula guard of `formatCsvRow` when a file we exported comes back. */
export function unguardCell(value: string): string {
  return GUARDED.test(value) ? value.slice(1) : value;
}
