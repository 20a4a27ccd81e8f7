/**
 * Aggregates audit records for `audit summary` and `audit report`: counts per event and outcome,
 * the IPs, users, clients and reasons behind denials, and sign-ins and denials over time.
 * Pure and streaming: records are added one at a time and never kept.
 */
import { type AuditItem, userLabel } from "./audit-item.ts";
import type { TimeRange } from "./time-range.ts";

export interface EventCount {
  event: string;
  outcome: string;
  count: number;
}
export interface DeniedIp {
  ip: string;
  count: number;
  users: number;
  last: string;
}
export interface DeniedUser {
  user: string;
  email?: string | undefined;
  count: number;
  ips: number;
  last: string;
}
export interface DeniedClient {
  clientId: string;
  count: number;
  users: number;
  last: string;
}
export interface ReasonCount {
  reason: string;
  count: number;
}
export interface TimeBucket {
  /** ISO start of the bucket (UTC). */
  start: string;
  signIns: number;
  denials: number;
}
export type BucketSize = "hour" | "day";

export interface AuditSummary {
  since: string;
  until: string;
  records: number;
  /** SIGN_IN with outcome success. */
  signIns: number;
  /** Every record with outcome denied. */
  denials: number;
  failures: number;
  users: number;
  ips: number;
  byEvent: EventCount[];
  topDeniedIps: DeniedIp[];
  topDeniedUsers: DeniedUser[];
  topDeniedClients: DeniedClient[];
  topDenialReasons: ReasonCount[];
  timeline: { bucket: BucketSize; buckets: TimeBucket[] };
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

interface Denied {
  count: number;
  last: string;
  related: Set<string>;
}

export class SummaryBuilder {
  private records = 0;
  private signIns = 0;
  private denials = 0;
  private failures = 0;
  private readonly users = new Set<string>();
  private readonly ips = new Set<string>();
  private readonly byEvent = new Map<string, EventCount>();
  private readonly deniedIps = new Map<string, Denied>();
  private readonly deniedUsers = new Map<string, Denied & { label: string; email?: string | undefined }>();
  private readonly deniedClients = new Map<string, Denied>();
  private readonly reasons = new Map<string, number>();
  /** Hour start (epoch ms) -> counts. */
  private readonly hours = new Map<number, { signIns: number; denials: number }>();

  constructor(private readonly range: TimeRange) {}

  add(item: AuditItem): void {
    this.records++;
    this.users.add(item.pk);
    if (item.sourceIp) this.ips.add(item.sourceIp);
    const eventKey = `${item.event}\u0000${item.outcome}`;
    const eventCount = this.byEvent.get(eventKey) ?? { event: item.event, outcome: item.outcome, count: 0 };
    eventCount.count++;
    this.byEvent.set(eventKey, eventCount);

    const signIn = item.event === "SIGN_IN" && item.outcome === "success";
    const denied = item.outcome === "denied";
    if (signIn) this.signIns++;
    if (item.outcome === "failure") this.failures++;
    if (signIn || denied) {
      const hour = Math.floor(Date.parse(item.at) / HOUR_MS) * HOUR_MS;
      const bucket = this.hours.get(hour) ?? { signIns: 0, denials: 0 };
      if (signIn) bucket.signIns++;
      else bucket.denials++;
      this.hours.set(hour, bucket);
    }
    if (!denied) return;

    this.denials++;
    this.reasons.set(item.reason ?? "(none)", (this.reasons.get(item.reason ?? "(none)") ?? 0) + 1);
    if (item.sourceIp) tally(this.deniedIps, item.sourceIp, item.at, item.pk);
    if (item.clientId) tally(this.deniedClients, item.clientId, item.at, item.pk);
    const user = tally(this.deniedUsers, item.pk, item.at, item.sourceIp, () => ({
      label: userLabel(item),
      email: item.email,
    }));
    user.email ??= item.email;
  }

  build(options: { top: number; bucket: BucketSize }): AuditSummary {
    const { top } = options;
    return {
      since: this.range.since.toISOString(),
      until: this.range.until.toISOString(),
      records: this.records,
      signIns: this.signIns,
      denials: this.denials,
      failures: this.failures,
      users: this.users.size,
      ips: this.ips.size,
      byEvent: [...this.byEvent.values()].sort(
        (a, b) => b.count - a.count || a.event.localeCompare(b.event) || a.outcome.localeCompare(b.outcome),
      ),
      topDeniedIps: ranked(this.deniedIps, top).map(([ip, d]) => ({
        ip,
        count: d.count,
        users: d.related.size,
        last: d.last,
      })),
      topDeniedUsers: ranked(this.deniedUsers, top).map(([, d]) => ({
        user: d.label,
        ...(d.email ? { email: d.email } : {}),
        count: d.count,
        ips: d.related.size,
        last: d.last,
      })),
      topDeniedClients: ranked(this.deniedClients, top).map(([clientId, d]) => ({
        clientId,
        count: d.count,
        users: d.related.size,
        last: d.last,
      })),
      topDenialReasons: [...this.reasons]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, top)
        .map(([reason, count]) => ({ reason, count })),
      timeline: { bucket: options.bucket, buckets: this.timeline(options.bucket) },
    };
  }

  /** Every bucket of the range, empty ones included, so that charts show quiet hours as gaps. */
  private timeline(size: BucketSize): TimeBucket[] {
    const step = size === "hour" ? HOUR_MS : DAY_MS;
    const first = Math.floor(this.range.since.getTime() / step) * step;
    const last = Math.floor((this.range.until.getTime() - 1) / step) * step;
    const buckets = new Map<number, TimeBucket>();
    for (let start = first; start <= last; start += step) {
      buckets.set(start, { start: new Date(start).toISOString(), signIns: 0, denials: 0 });
    }
    for (const [hour, counts] of this.hours) {
      const bucket = buckets.get(Math.floor(hour / step) * step);
      if (!bucket) continue;
      bucket.signIns += counts.signIns;
      bucket.denials += counts.denials;
    }
    return [...buckets.values()];
  }
}

function tally<T extends Denied>(
  map: Map<string, T>,
  key: string,
  at: string,
  related: string | undefined,
  extra?: () => Omit<T, keyof Denied>,
): T {
  let entry = map.get(key);
  if (!entry) {
    entry = { count: 0, last: at, related: new Set<string>(), ...extra?.() } as T;
    map.set(key, entry);
  }
  entry.count++;
  if (at > entry.last) entry.last = at;
  if (related) entry.related.add(related);
  return entry;
}

/** Most denials first; the most recent breaks ties, then the key, so output is stable. */
function ranked<T extends Denied>(map: Map<string, T>, top: number): Array<[string, T]> {
  return [...map]
    .sort(
      (a, b) =>
        b[1].count - a[1].count ||
        (a[1].last < b[1].last ? 1 : a[1].last > b[1].last ? -1 : 0) ||
        (a[0] < b[0] ? -1 : 1),
    )
    .slice(0, top);
}
