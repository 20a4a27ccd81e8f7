/**
 * CSV as RFC 4180 has it (comma separated, CRLF line ends, fields with a comma, quote, CR or LF
 * quoted, quotes doubled), made safe to open in a spreadsheet: a cell that starts with =, +, -, @,
 * a tab or a carriage return would be read as a formula (OWASP "CSV injection"), so it gets a
 * leading apostrophe, which spreadsheets show as text and do not evaluate. The full-width forms of
 * = + - @ are included because spreadsheets with Japanese input settings may read them as formulas too.
 * Control and bidirectional characters other than tab, CR and LF become visible `\uXXXX` text, so
 * that a CSV printed to a terminal cannot drive it (JSON output keeps such values exactly).
 */
import { forCsv } from "./safe-text.ts";

const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string): string {
  const visible = forCsv(value);
  const neutral = FORMULA_START.test(visible) ? `'${visible}` : visible;
  return NEEDS_QUOTES.test(neutral) ? `"${neutral.replaceAll('"', '""')}"` : neutral;
}

export function toCsv(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  return rows.map((row) => `${row.map(csvCell).join(",")}\r\n`).join("");
}
