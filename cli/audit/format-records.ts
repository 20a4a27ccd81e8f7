/**
 * Output of `audit query`: an aligned table for people, JSON for programs, CSV for spreadsheets.
 */
import { AUDIT_FIELDS, type AuditItem } from "./audit-item.ts";
import { toCsv } from "./csv.ts";
import { forTerminal, safeJson } from "./safe-text.ts";

export const RECORD_FORMATS = ["table", "json", "csv"] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

export function formatRecords(items: readonly AuditItem[], format: RecordFormat): string {
  switch (format) {
    case "json":
      return `${safeJson(items.map(ordered), 2)}\n`;
    case "csv":
      return toCsv([
        [...AUDIT_FIELDS],
        ...items.map((item) => AUDIT_FIELDS.map((field) => cellText(item[field]))),
      ]);
    case "table":
      return textTable(
        ["TIME", "EVENT", "OUTCOME", "REASON", "USER", "EMAIL", "CLIENT", "SOURCE IP"],
        items.map((i) => [
          i.at,
          i.event,
          i.outcome,
          i.reason,
          i.userName ?? i.sub,
          i.email,
          i.clientId,
          i.sourceIp,
        ]),
      );
  }
}

/** Columns padded to their widest cell; long cells are cut (the full value is in JSON and CSV). */
export function textTable(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | undefined>>,
  options: { maxWidth?: number; alignRight?: readonly number[] } = {},
): string {
  const maxWidth = options.maxWidth ?? 40;
  const cells = [header, ...rows].map((row) =>
    row.map((cell) => {
      const text =
        cell === undefined || cell === ""
          ? "-"
          : typeof cell === "number"
            ? cell.toLocaleString("en-US")
            : forTerminal(cell);
      return text.length > maxWidth ? `${text.slice(0, maxWidth - 1)}…` : text;
    }),
  );
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? "").length)));
  const right = new Set(options.alignRight ?? []);
  return cells
    .map((row) =>
      row
        .map((cell, column) =>
          right.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
        )
        .join("  ")
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join("");
}

function ordered(item: AuditItem): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of AUDIT_FIELDS) if (item[field] !== undefined) out[field] = item[field];
  return out;
}

function cellText(value: string | number | boolean | undefined): string {
  return value === undefined ? "" : String(value);
}
