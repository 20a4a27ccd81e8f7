/**
 * `audit report`: one self-contained HTML file. Styles are inline, charts are SVG drawn by
 * svg-chart.ts, there is no script and nothing is fetched at view time; the Content-Security-Policy
 * forbids it too, so even a value that slipped past escaping could not load or run anything. The only
 * links are in-page anchors (#records-2) between the pages of records.
 */
import type { AuditItem } from "./audit-item.ts";
import type { ClientNames } from "./client-names.ts";
import { escapeHtml } from "./html.ts";
import { comparePeriods, type PeriodChange } from "./report-data.ts";
import { clientCell, renderRecords } from "./report-records.ts";
import type { AuditSummary, TimeBucket } from "./summary.ts";
import { barChart, stackedBarChart } from "./svg-chart.ts";

export interface ReportContext {
  tableName: string;
  filters: string[];
  generatedAt: Date;
  /** How the records were read (the key-design path), for the footer. */
  readPath: string;
  /** The previous period of the same length, same filters: shown as a comparison. */
  previous?: AuditSummary | undefined;
  /** The newest records of the period (newest first) and the `--records` they were cut to. */
  records?: { items: readonly AuditItem[]; limit: number } | undefined;
  /** App client id -> name, shown next to the ids. */
  clientNames?: ClientNames | undefined;
}

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
:root { color-scheme: light; --ink: #1d2733; --muted: #5b6673; --line: #e3e6ea; --ok: #2f6fb2; --bad: #c2413a; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK JP", sans-serif; color: var(--ink); background: #f6f7f9; }
main { max-width: 1040px; margin: 0 auto; padding: 28px 24px 40px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 10px; }
.meta { color: var(--muted); margin: 0; }
.cards { display: grid; grid-template-columns: repeat(6, 1fr); gap: 10px; margin: 20px 0; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card.bad .value { color: var(--bad); }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; margin: 14px 0; }
.grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 14px; margin: 14px 0; }
.grid section { margin: 0; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
td.num, th.num { text-align: right; }
td { overflow-wrap: break-word; }
section { overflow-x: auto; }
.none { color: var(--muted); margin: 0; }
svg .tick { font-size: 11px; fill: var(--muted); }
svg .empty { font-size: 13px; fill: var(--muted); }
.legend { color: var(--muted); font-size: 12px; margin: 0 0 6px; }
h3 { font-size: 14px; margin: 0 0 8px; }
.client-name { color: var(--muted); }
.client-name::before { content: "("; }
.client-name::after { content: ")"; }
.sub { color: var(--muted); font-size: 12px; }
table.records { font-size: 13px; }
table.records td { padding: 4px 6px; }
table.records .sub { white-space: nowrap; }
table.records td.time { white-space: nowrap; }
tr.denied td:nth-child(3) { color: var(--bad); }
tr.failure td:nth-child(3) { color: var(--bad); font-weight: 600; }
nav.pages { margin: 10px 0 0; color: var(--muted); }
nav.pages a { color: var(--ok); margin-right: 6px; }
td.up { color: var(--bad); }
td.down { color: var(--ok); }
footer { color: var(--muted); font-size: 12px; margin-top: 18px; }
@media print { body { background: #fff; } section, .card { break-inside: avoid; } }
`;

export function renderReport(summary: AuditSummary, context: ReportContext): string {
  const n = (value: number) => value.toLocaleString("en-US");
  const byDay = summary.timeline.bucket === "day";
  const bucketName = byDay ? "day" : "hour";
  const label = (b: TimeBucket) =>
    byDay ? b.start.slice(5, 10) : `${b.start.slice(5, 10)} ${b.start.slice(11, 13)}h`;
  const when = (b: TimeBucket) =>
    byDay ? b.start.slice(0, 10) : `${b.start.slice(0, 10)} ${b.start.slice(11, 16)} UTC`;
  const points = (pick: (b: TimeBucket) => number, what: string) =>
    summary.timeline.buckets.map((b) => ({
      label: label(b),
      tooltip: `${when(b)}: ${n(pick(b))} ${what}`,
      value: pick(b),
    }));
  const range = `${summary.since.slice(0, 16).replace("T", " ")} to ${summary.until.slice(0, 16).replace("T", " ")} UTC`;
  const cards: Array<[string, string, number, boolean]> = [
    ["records", "Records", summary.records, false],
    ["signIns", "Sign-ins", summary.signIns, false],
    ["denials", "Denials", summary.denials, true],
    ["failures", "Failures", summary.failures, true],
    ["users", "Users", summary.users, false],
    ["ips", "Source IPs", summary.ips, false],
  ];
  const clientNames: ClientNames = context.clientNames ?? new Map();

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Audit report: ${escapeHtml(context.tableName)}, ${escapeHtml(range)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>Cognito audit report</h1>
<p class="meta">Table <strong>${escapeHtml(context.tableName)}</strong>, ${escapeHtml(range)}${
    context.filters.length > 0 ? `. Filters: ${escapeHtml(context.filters.join("; "))}` : ""
  }</p>
</header>
<div class="cards">
${cards
  .map(
    ([key, label, value, warn]) =>
      `<div class="card${warn && value > 0 ? " bad" : ""}"><div class="value" data-metric="${key}" data-value="${value}">${n(value)}</div><div class="label">${label}</div></div>`,
  )
  .join("\n")}
</div>
${context.previous ? comparison(comparePeriods(summary, context.previous), context.previous) : ""}
<section>
<h2>Sign-ins per ${bucketName}</h2>
<p class="legend">Successful sign-ins (SIGN_IN, outcome success), UTC.</p>
${barChart({ title: `Sign-ins per ${bucketName}`, points: points((b) => b.signIns, "sign-ins"), color: "#2f6fb2" })}
</section>
<section>
<h2>Denials per ${bucketName}</h2>
<p class="legend">Every record with outcome denied: refused sign-ins, sign-ups and migrations, UTC.</p>
${barChart({ title: `Denials per ${bucketName}`, points: points((b) => b.denials, "denials"), color: "#c2413a" })}
</section>
<section id="failures">
<h2>Failures per ${bucketName}</h2>
<p class="legend">Every record with outcome failure (for example a welcome email that could not be sent), UTC.</p>
${barChart({ title: `Failures per ${bucketName}`, points: points((b) => b.failures, "failures"), color: "#8e3b8a" })}
</section>
<section id="migrations">
<h2>Migrations per ${bucketName}</h2>
<p class="legend">Users migrated from the legacy directory (MIGRATED) and migrations refused, UTC.</p>
${stackedBarChart({
  title: `Migrations per ${bucketName}`,
  series: [
    { name: "migrated", color: "#3a8f5c" },
    { name: "refused", color: "#c2413a" },
  ],
  points: summary.timeline.buckets.map((b) => ({
    label: label(b),
    tooltip: when(b),
    values: [b.migrations, b.migrationsDenied],
  })),
})}
</section>
<div class="grid">
<section>
<h2>Top denied source IPs</h2>
${table(
  ["Source IP", "Denials", "Users", "Last denial"],
  summary.topDeniedIps.map((d) => [d.ip, d.count, d.users, minute(d.last)]),
)}
</section>
<section>
<h2>Top denied app clients</h2>
${table(
  ["App client", "Denials", "Users", "Last denial"],
  summary.topDeniedClients.map((d) => [
    { html: clientCell(d.clientId, clientNames) },
    d.count,
    d.users,
    minute(d.last),
  ]),
)}
</section>
</div>
<section>
<h2>Top denied users</h2>
${table(
  ["User", "Email", "Denials", "Source IPs", "Last denial"],
  summary.topDeniedUsers.map((d) => [d.user, d.email ?? "", d.count, d.ips, minute(d.last)]),
)}
</section>
<div class="grid">
<section>
<h2>Denial reasons</h2>
${table(
  ["Reason", "Denials"],
  summary.topDenialReasons.map((r) => [r.reason, r.count]),
)}
</section>
<section>
<h2>Events</h2>
${table(
  ["Event", "Outcome", "Records"],
  summary.byEvent.map((e) => [e.event, e.outcome, e.count]),
)}
</section>
</div>
${renderRecords(context.records?.items ?? [], {
  limit: context.records?.limit ?? 0,
  total: summary.records,
  clientNames,
})}
<footer>Generated by <code>cognito-triggers audit report</code> at ${escapeHtml(context.generatedAt.toISOString())} from ${escapeHtml(context.readPath)}. All times UTC.</footer>
</main>
</body>
</html>
`;
}

/** "2026-05-10 08:55": the minute is enough in a report, and the line stays short. */
function minute(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** This period against the previous one of the same length: each figure, both values and the change. */
function comparison(changes: readonly PeriodChange[], previous: AuditSummary): string {
  const n = (value: number) => value.toLocaleString("en-US");
  const rows = changes
    .map((c) => {
      const sign = c.change > 0 ? "+" : c.change < 0 ? "−" : "";
      const percent =
        c.percent === undefined ? (c.current > 0 ? " (new)" : "") : ` (${sign}${Math.abs(c.percent)}%)`;
      const direction = c.change > 0 ? "up" : c.change < 0 ? "down" : "same";
      // More denials or failures is the change a reviewer looks for: coloured; other figures are not.
      const warn = c.key === "denials" || c.key === "failures" ? ` ${direction}` : "";
      return `<tr data-compare="${c.key}" data-current="${c.current}" data-previous="${c.previous}" data-change="${c.change}"><td>${c.label}</td><td class="num">${n(c.current)}</td><td class="num">${n(c.previous)}</td><td class="num${warn}">${sign}${n(Math.abs(c.change))}${percent}</td></tr>`;
    })
    .join("\n");
  return `<section id="comparison">
<h2>Compared with the previous period</h2>
<p class="legend">The same filters over the ${escapeHtml(dayOrHours(previous))} before this range: ${escapeHtml(`${minute(previous.since)} to ${minute(previous.until)}`)} UTC. Users are people: a user named by sub in one record and by user name in another counts once.</p>
<table><thead><tr><th></th><th class="num">This period</th><th class="num">Previous period</th><th class="num">Change</th></tr></thead><tbody>
${rows}
</tbody></table>
</section>`;
}

function dayOrHours(summary: AuditSummary): string {
  const hours = (Date.parse(summary.until) - Date.parse(summary.since)) / 3_600_000;
  if (hours % 24 === 0) return hours === 24 ? "day" : `${hours / 24} days`;
  return `${Math.round(hours * 10) / 10} hours`;
}

function table(header: string[], rows: Array<Array<string | number | { html: string }>>): string {
  if (rows.length === 0) return `<p class="none">None in this range.</p>`;
  const numeric = header.map((_, column) => rows.every((row) => typeof row[column] === "number"));
  const th = header.map((h, c) => `<th${numeric[c] ? ' class="num"' : ""}>${escapeHtml(h)}</th>`).join("");
  const body = rows
    .map(
      (row) =>
        `<tr>${row
          .map((cell) =>
            typeof cell === "number"
              ? `<td class="num">${cell.toLocaleString("en-US")}</td>`
              : typeof cell === "string"
                ? `<td>${escapeHtml(cell)}</td>`
                : `<td>${cell.html}</td>`,
          )
          .join("")}</tr>`,
    )
    .join("\n");
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
