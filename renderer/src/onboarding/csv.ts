/**
 * CSV text for "export the table" buttons (DESIGN.md §7: every table exports CSV).
 * RFC 4180 quoting; text cells that a spreadsheet would run as a formula are defused.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4180 — quoting rules
 * @see https://owasp.org/www-community/attacks/CSV_Injection — the leading-character guard
 */

/** A value of one CSV cell; `null`/`undefined` become empty. */
export type CsvCell = string | number | boolean | null | undefined;

function cell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  // Host names and messages come from machines we do not control: never let them be formulas.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header line and one line per row, CRLF-separated as RFC 4180 says. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
