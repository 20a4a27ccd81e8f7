/**
 * What `audit report` reads: the period's summary and its newest records in one pass, then the summary
 * of the previous period of the same length (same filters) for the comparison. Both periods share one
 * UserIdentities, so a user name linked to a sub in either period counts as that sub's user in both.
 * The previous period costs a second read of the same shape (16 Queries per UTC day it touches).
 */
import { type AuditItem, newestFirst } from "./audit-item.ts";
import type { Target } from "./invocation.ts";
import type { AuditReader } from "./reader.ts";
import type { AuditSummary, BucketSize } from "./summary.ts";
import { SUMMARY_ATTRIBUTES, SummaryBuilder } from "./summary.ts";
import type { TimeRange } from "./time-range.ts";
import { UserIdentities } from "./user-identity.ts";

export const DEFAULT_REPORT_RECORDS = 200;
export const MAX_REPORT_RECORDS = 10_000;

export interface ReportData {
  summary: AuditSummary;
  previous: AuditSummary;
  /** The newest records of the period, newest first, at most `--records`. */
  records: AuditItem[];
}

export async function readReportData(
  reader: AuditReader,
  target: Target,
  options: { top: number; bucket: BucketSize; records: number },
): Promise<ReportData> {
  const identities = new UserIdentities();
  const { range } = target.request;
  const current = new SummaryBuilder(range, identities);
  const newest = new NewestRecords(options.records);
  await reader.each({ ...target.request, attributes: SUMMARY_ATTRIBUTES }, (item) => {
    current.add(item);
    newest.add(item);
  });
  const previousRange = previousPeriod(range);
  const previous = new SummaryBuilder(previousRange, identities);
  await reader.each({ ...target.request, range: previousRange, attributes: SUMMARY_ATTRIBUTES }, (item) =>
    previous.add(item),
  );
  return {
    summary: current.build(options),
    previous: previous.build(options),
    records: newest.list(),
  };
}

/** The period of the same length that ends where `range` starts. */
export function previousPeriod(range: TimeRange): TimeRange {
  const length = range.until.getTime() - range.since.getTime();
  return { since: new Date(range.since.getTime() - length), until: range.since };
}

/** Keeps the newest `limit` records of a stream in any order, in memory proportional to `limit`. */
export class NewestRecords {
  private items: AuditItem[] = [];

  constructor(private readonly limit: number) {}

  add(item: AuditItem): void {
    if (this.limit <= 0) return;
    this.items.push(item);
    if (this.items.length >= 2 * this.limit + 256) this.trim();
  }

  /** Newest first. */
  list(): AuditItem[] {
    this.trim();
    return this.items;
  }

  private trim(): void {
    this.items.sort(newestFirst);
    if (this.items.length > this.limit) this.items.length = this.limit;
  }
}

export interface PeriodChange {
  key: "records" | "signIns" | "denials" | "failures" | "migrations" | "users";
  label: string;
  current: number;
  previous: number;
  change: number;
  /** Rounded percentage of the previous value; undefined when the previous period had none. */
  percent: number | undefined;
}

const COMPARED: ReadonlyArray<[PeriodChange["key"], string]> = [
  ["signIns", "Sign-ins"],
  ["denials", "Denials"],
  ["failures", "Failures"],
  ["migrations", "Migrations"],
  ["users", "Distinct users"],
  ["records", "Records"],
];

export function comparePeriods(current: AuditSummary, previous: AuditSummary): PeriodChange[] {
  return COMPARED.map(([key, label]) => {
    const now = current[key];
    const before = previous[key];
    return {
      key,
      label,
      current: now,
      previous: before,
      change: now - before,
      percent: before === 0 ? undefined : Math.round(((now - before) / before) * 100),
    };
  });
}
