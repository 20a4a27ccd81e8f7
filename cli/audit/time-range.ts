/**
 * The time bounds of an audit read: `--since` and `--until` take ISO-8601 instants or durations back
 * from now (`90m`, `24h`, `7d`, `2w`). The range is half-open, [since, until), and always in UTC
 * because the audit keys are.
 */
import { UsageError } from "../usage-error.ts";

export interface TimeRange {
  since: Date;
  until: Date;
}

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const RELATIVE = /^(\d{1,7})([smhdw])$/;
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const DAY_MS = UNIT_MS.d;
/** The longest retention the triggers allow (AUDIT_RETENTION_DAYS): nothing older can exist. */
export const MAX_RANGE_DAYS = 3650;

/** `now`, a duration back from `now`, or an ISO-8601 date or date-time (no zone means UTC). */
export function parseInstant(text: string, now: Date, option: string): Date {
  const value = text.trim();
  if (value === "now") return now;
  const relative = RELATIVE.exec(value);
  if (relative) {
    const [, amount, unit] = relative;
    return new Date(now.getTime() - Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS]);
  }
  const iso = ISO_DATE_TIME.exec(value);
  if (!iso) {
    throw new UsageError(
      `${option} ${JSON.stringify(text)} is not a time: use ISO-8601 (2026-05-01, 2026-05-01T09:30Z) or a duration back from now (30m, 24h, 7d, 2w)`,
    );
  }
  const [, year, month, day, hour = "00", minute = "00", second = "00", fraction = "", zone] = iso;
  const calendarOk = isCalendarDate(Number(year), Number(month), Number(day));
  if (!calendarOk || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
    throw new UsageError(`${option} ${JSON.stringify(text)} is not a valid date or time`);
  }
  const millis = fraction ? fraction.slice(0, 4).padEnd(4, "0") : "";
  const normalisedZone =
    !zone || zone.toUpperCase() === "Z" ? "Z" : zone.replace(/^([+-]\d{2})(\d{2})$/, "$1:$2");
  const parsed = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}${millis}${normalisedZone}`);
  if (Number.isNaN(parsed))
    throw new UsageError(`${option} ${JSON.stringify(text)} is not a valid date or time`);
  return new Date(parsed);
}

export function parseRange(
  options: { since?: string | undefined; until?: string | undefined },
  now: Date,
  defaultSince: string,
): TimeRange {
  const since = parseInstant(options.since ?? defaultSince, now, "--since");
  const until = options.until === undefined ? now : parseInstant(options.until, now, "--until");
  if (since.getTime() >= until.getTime()) {
    throw new UsageError(`--since (${since.toISOString()}) must be before --until (${until.toISOString()})`);
  }
  if (until.getTime() - since.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw new UsageError(`the time range is longer than ${MAX_RANGE_DAYS} days, the longest audit retention`);
  }
  return { since, until };
}

/** The first and last ISO instants inside the range, for inclusive BETWEEN conditions. */
export function isoBounds(range: TimeRange): { from: string; to: string } {
  return { from: range.since.toISOString(), to: new Date(range.until.getTime() - 1).toISOString() };
}

/** The UTC days the range touches, newest first, each with the part of the range inside it. */
export function daysNewestFirst(range: TimeRange): Array<{ day: string; from: string; to: string }> {
  const { from, to } = isoBounds(range);
  const days: Array<{ day: string; from: string; to: string }> = [];
  const first = Date.parse(from.slice(0, 10));
  for (let start = Date.parse(to.slice(0, 10)); start >= first; start -= DAY_MS) {
    const day = new Date(start).toISOString().slice(0, 10);
    const dayFrom = new Date(start).toISOString();
    const dayTo = new Date(start + DAY_MS - 1).toISOString();
    days.push({ day, from: dayFrom > from ? dayFrom : from, to: dayTo < to ? dayTo : to });
  }
  return days;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
