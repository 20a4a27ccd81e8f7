/**
 * Output of `audit query`: an aligned table for people, JSON for programs, CSV for spreadsheets.
 */
import stringWidth from "string-width";
import { AUDIT_FIELDS, type AuditItem } from "./audit-item.ts";
import { toCsv } from "./csv.ts";
import { forTerminal, safeJson } from "./safe-text.ts";

export const RECORD_FORMATS = ["table", "json", "jsonl", "csv"] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

export function formatRecords(items: readonly AuditItem[], format: RecordFormat): string {
  switch (format) {
    case "json":
      return `${safeJson(items.map(ordered), 2)}\n`;
    case "jsonl":
      return items.map((item) => `${safeJson(ordered(item))}\n`).join("");
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

/**
 * Columns padded to their widest cell, measured in terminal columns (string-width: East Asian wide
 * characters and emoji take two); long cells are cut (the full value is in JSON and CSV).
 */
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
      return stringWidth(text) > maxWidth ? `${cutToWidth(text, maxWidth - 1)}…` : text;
    }),
  );
  const widths = header.map((_, column) => Math.max(...cells.map((row) => stringWidth(row[column] ?? ""))));
  const right = new Set(options.alignRight ?? []);
  return cells
    .map((row) =>
      row
        .map((cell, column) => {
          const padding = " ".repeat(Math.max(0, (widths[column] ?? 0) - stringWidth(cell)));
          return right.has(column) ? `${padding}${cell}` : `${cell}${padding}`;
        })
        .join("  ")
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join("");
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** The longest start of `text` at most `width` columns wide, never splitting a character. */
function cutToWidth(text: string, width: number): string {
  let out = "";
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > width) break;
    out += segment;
    used += w;
  }
  return out;
}

function ordered(item: AuditItem): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of AUDIT_FIELDS) if (item[field] !== undefined) out[field] = item[field];
  return out;
}

function cellText(value: string | number | boolean | undefined): string {
  return value === undefined ? "" : String(value);
}
