/**
 * `audit report`: one self-contained HTML file. Styles are inline, charts are SVG drawn by
 * svg-chart.ts, there is no script and nothing is fetched at view time; the Content-Security-Policy
 * forbids it too, so even a value that slipped past escaping could not load or run anything.
 */
import { escapeHtml } from "./html.ts";
import type { AuditSummary, TimeBucket } from "./summary.ts";
import { barChart } from "./svg-chart.ts";

export interface ReportContext {
  tableName: string;
  filters: string[];
  generatedAt: Date;
  /** How the records were read (the key-design path), for the footer. */
  readPath: string;
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
footer { color: var(--muted); font-size: 12px; margin-top: 18px; }
@media print { body { background: #fff; } section, .card { break-inside: avoid; } }
`;

export function renderReport(summary: AuditSummary, context: ReportContext): string {
  const n = (value: number) => value.toLocaleString("en-US");
  const byDay = summary.timeline.bucket === "day";
  const bucketName = byDay ? "day" : "hour";
  const points = (pick: (b: TimeBucket) => number, what: string) =>
    summary.timeline.buckets.map((b) => ({
      label: byDay ? b.start.slice(5, 10) : `${b.start.slice(5, 10)} ${b.start.slice(11, 13)}h`,
      tooltip: `${byDay ? b.start.slice(0, 10) : `${b.start.slice(0, 10)} ${b.start.slice(11, 16)} UTC`}: ${n(pick(b))} ${what}`,
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
  summary.topDeniedClients.map((d) => [d.clientId, d.count, d.users, minute(d.last)]),
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

function table(header: string[], rows: Array<Array<string | number>>): string {
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
              : `<td>${escapeHtml(cell)}</td>`,
          )
          .join("")}</tr>`,
    )
    .join("\n");
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
