/** `audit summary` as text: totals, tables of what was denied, and a compact chart of sign-ins per hour. */
import { textTable } from "./format-records.ts";
import { forTerminal } from "./safe-text.ts";
import type { AuditSummary, TimeBucket } from "./summary.ts";

const BAR_WIDTH = 40;
const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
const SPARKS = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];
/** Up to two days are drawn one line per hour; longer ranges one line per day with an hourly sparkline. */
const HOURLY_LINES_UP_TO = 48;

export function renderSummary(
  summary: AuditSummary,
  context: { tableName: string; filters: string[] },
): string {
  const n = (value: number) => value.toLocaleString("en-US");
  const parts: string[] = [
    `Audit summary of ${forTerminal(context.tableName)}, ${summary.since} to ${summary.until} (UTC)`,
    ...(context.filters.length > 0 ? [`Filters: ${forTerminal(context.filters.join("; "))}`] : []),
    "",
    `${n(summary.records)} records  ${n(summary.signIns)} sign-ins  ${n(summary.denials)} denials  ${n(summary.failures)} failures  ${n(summary.users)} users  ${n(summary.ips)} source IPs`,
    "",
    "Events",
    textTable(
      ["EVENT", "OUTCOME", "COUNT"],
      summary.byEvent.map((e) => [e.event, e.outcome, e.count]),
      { alignRight: [2] },
    ),
    "Top denied source IPs",
    orNone(
      textTable(
        ["SOURCE IP", "DENIALS", "USERS", "LAST"],
        summary.topDeniedIps.map((d) => [d.ip, d.count, d.users, d.last]),
        { alignRight: [1, 2] },
      ),
      summary.topDeniedIps.length,
    ),
    "Top denied users",
    orNone(
      textTable(
        ["USER", "EMAIL", "DENIALS", "IPS", "LAST"],
        summary.topDeniedUsers.map((d) => [d.user, d.email, d.count, d.ips, d.last]),
        { alignRight: [2, 3] },
      ),
      summary.topDeniedUsers.length,
    ),
    "Top denied app clients",
    orNone(
      textTable(
        ["CLIENT", "DENIALS", "USERS", "LAST"],
        summary.topDeniedClients.map((d) => [d.clientId, d.count, d.users, d.last]),
        { alignRight: [1, 2] },
      ),
      summary.topDeniedClients.length,
    ),
    "Denial reasons",
    orNone(
      textTable(
        ["REASON", "COUNT"],
        summary.topDenialReasons.map((r) => [r.reason, r.count]),
        { alignRight: [1] },
      ),
      summary.topDenialReasons.length,
    ),
    hourlyChart(summary.timeline.buckets),
  ];
  return parts.join("\n");
}

/** Sign-ins per hour: a bar per hour, or per day a sparkline of its 24 hours. */
export function hourlyChart(hours: readonly TimeBucket[]): string {
  const n = (value: number) => value.toLocaleString("en-US");
  if (hours.length <= HOURLY_LINES_UP_TO) {
    const max = Math.max(1, ...hours.map((h) => h.signIns));
    const countWidth = Math.max(8, ...hours.map((h) => n(h.signIns).length));
    const lines = hours.map((h) => {
      const label = `${h.start.slice(0, 10)} ${h.start.slice(11, 16)}`;
      return `${label}  ${bar(h.signIns, max).padEnd(BAR_WIDTH)}  ${n(h.signIns).padStart(countWidth)}  ${n(h.denials).padStart(7)}`;
    });
    const header = `${"Sign-ins per hour (UTC)".padEnd(16 + 2 + BAR_WIDTH)}  ${"sign-ins".padStart(countWidth)}  ${"denials".padStart(7)}`;
    return `${[header, ...lines].join("\n")}\n`;
  }
  const days = new Map<string, TimeBucket[]>();
  for (const hour of hours) {
    const day = hour.start.slice(0, 10);
    const list = days.get(day) ?? [];
    list.push(hour);
    days.set(day, list);
  }
  const max = Math.max(1, ...hours.map((h) => h.signIns));
  const lines = [...days].map(([day, dayHours]) => {
    const byHour = Array.from({ length: 24 }, (_, hour) => {
      const bucket = dayHours.find((h) => Number(h.start.slice(11, 13)) === hour);
      if (!bucket) return " ";
      return bucket.signIns === 0
        ? "·"
        : (SPARKS[Math.min(7, Math.ceil((bucket.signIns / max) * 8) - 1)] ?? "█");
    }).join("");
    const signIns = dayHours.reduce((sum, h) => sum + h.signIns, 0);
    const denials = dayHours.reduce((sum, h) => sum + h.denials, 0);
    return `${day}  ${byHour}  ${n(signIns).padStart(9)}  ${n(denials).padStart(7)}`;
  });
  const axis = `Sign-ins per hour (UTC), one line per day\n${"".padEnd(10)}  ${"0     6     12    18".padEnd(24)}  ${"sign-ins".padStart(9)}  ${"denials".padStart(7)}`;
  return `${[axis, ...lines].join("\n")}\n`;
}

function bar(value: number, max: number): string {
  const eighths = Math.round((value / max) * BAR_WIDTH * 8);
  return `${"█".repeat(Math.floor(eighths / 8))}${EIGHTHS[eighths % 8]}`;
}

function orNone(table: string, rows: number): string {
  return rows === 0 ? "(none)\n" : table;
}
