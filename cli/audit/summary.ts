/**
 * Aggregates audit records for `audit summary` and `audit report`: counts per event and outcome,
 * the IPs, users, clients and reasons behind denials, and sign-ins, denials, failures and migrations
 * over time. Pure and streaming: records are added one at a time and never kept. Users are counted as
 * people (user-identity.ts): a user named by sub in one record and by user name in another is one.
 */
import { type AuditItem, userLabel } from "./audit-item.ts";
import type { TimeRange } from "./time-range.ts";
import { UserIdentities } from "./user-identity.ts";

/**
 * The record fields a summary counts by, and the only ones its read asks DynamoDB for. The report's
 * records table shows the same fields.
 */
export const SUMMARY_ATTRIBUTES = [
  "event",
  "outcome",
  "reason",
  "userName",
  "sub",
  "email",
  "clientId",
  "sourceIp",
];

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
  /** Records with outcome failure. */
  failures: number;
  /** MIGRATED with outcome success. */
  migrations: number;
  /** Migrations refused (MIGRATION_DENIED, or a migration event with outcome denied). */
  migrationsDenied: number;
}
type BucketCounts = Omit<TimeBucket, "start">;
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
  /** MIGRATED with outcome success. */
  migrations: number;
  /** Distinct people: subs, and user names not linked to a sub by any record read. */
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
  private migrations = 0;
  /** User keys (sub, else user name) as records name them; resolved to people when built. */
  private readonly users = new Set<string>();
  private readonly ips = new Set<string>();
  private readonly byEvent = new Map<string, EventCount>();
  private readonly deniedIps = new Map<string, Denied>();
  private readonly deniedUsers = new Map<string, Denied & { label: string; email?: string | undefined }>();
  private readonly deniedClients = new Map<string, Denied>();
  private readonly reasons = new Map<string, number>();
  /** Hour start (epoch ms) -> counts. */
  private readonly hours = new Map<number, BucketCounts>();

  /**
   * `identities` may be shared with the builder of another period, so that a link between a user name
   * and a sub seen in either period counts the user once in both.
   */
  constructor(
    private readonly range: TimeRange,
    private readonly identities: UserIdentities = new UserIdentities(),
  ) {}

  add(item: AuditItem): void {
    this.records++;
    const user = this.identities.keyOf(item);
    this.users.add(user);
    if (item.sourceIp) this.ips.add(item.sourceIp);
    const eventKey = `${item.event}\u0000${item.outcome}`;
    const eventCount = this.byEvent.get(eventKey) ?? { event: item.event, outcome: item.outcome, count: 0 };
    eventCount.count++;
    this.byEvent.set(eventKey, eventCount);

    const signIn = item.event === "SIGN_IN" && item.outcome === "success";
    const denied = item.outcome === "denied";
    const failure = item.outcome === "failure";
    const migration = item.event.startsWith("MIGRAT");
    const migrated = migration && item.outcome === "success";
    const migrationDenied = migration && denied;
    if (signIn) this.signIns++;
    if (failure) this.failures++;
    if (migrated) this.migrations++;
    if (signIn || denied || failure || migrated) {
      const hour = Math.floor(Date.parse(item.at) / HOUR_MS) * HOUR_MS;
      const bucket = this.hours.get(hour) ?? emptyCounts();
      if (signIn) bucket.signIns++;
      if (denied) bucket.denials++;
      if (failure) bucket.failures++;
      if (migrated) bucket.migrations++;
      if (migrationDenied) bucket.migrationsDenied++;
      this.hours.set(hour, bucket);
    }
    if (!denied) return;

    this.denials++;
    this.reasons.set(item.reason ?? "(none)", (this.reasons.get(item.reason ?? "(none)") ?? 0) + 1);
    if (item.sourceIp) tally(this.deniedIps, item.sourceIp, item.at, user);
    if (item.clientId) tally(this.deniedClients, item.clientId, item.at, user);
    const deniedUser = tally(this.deniedUsers, user, item.at, item.sourceIp, () => ({
      label: userLabel(item),
      email: item.email,
    }));
    deniedUser.email ??= item.email;
  }

  build(options: { top: number; bucket: BucketSize }): AuditSummary {
    const { top } = options;
    const people = (keys: Set<string>) => this.identities.count(keys);
    return {
      since: this.range.since.toISOString(),
      until: this.range.until.toISOString(),
      records: this.records,
      signIns: this.signIns,
      denials: this.denials,
      failures: this.failures,
      migrations: this.migrations,
      users: people(this.users),
      ips: this.ips.size,
      byEvent: [...this.byEvent.values()].sort(
        (a, b) => b.count - a.count || a.event.localeCompare(b.event) || a.outcome.localeCompare(b.outcome),
      ),
      topDeniedIps: ranked(this.deniedIps, top).map(([ip, d]) => ({
        ip,
        count: d.count,
        users: people(d.related),
        last: d.last,
      })),
      topDeniedUsers: ranked(this.deniedPeople(), top).map(([, d]) => ({
        user: d.label,
        ...(d.email ? { email: d.email } : {}),
        count: d.count,
        ips: d.related.size,
        last: d.last,
      })),
      topDeniedClients: ranked(this.deniedClients, top).map(([clientId, d]) => ({
        clientId,
        count: d.count,
        users: people(d.related),
        last: d.last,
      })),
      topDenialReasons: [...this.reasons]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, top)
        .map(([reason, count]) => ({ reason, count })),
      timeline: { bucket: options.bucket, buckets: this.timeline(options.bucket) },
    };
  }

  /** Denials per person: the entries of a user name linked to a sub merged into the sub's. */
  private deniedPeople(): Map<string, Denied & { label: string; email?: string | undefined }> {
    const merged = new Map<string, Denied & { label: string; email?: string | undefined }>();
    for (const [key, entry] of this.deniedUsers) {
      const person = this.identities.resolve(key);
      const into = merged.get(person);
      if (!into) {
        merged.set(person, { ...entry, related: new Set(entry.related) });
        continue;
      }
      into.count += entry.count;
      if (entry.last > into.last) into.last = entry.last;
      for (const ip of entry.related) into.related.add(ip);
      // The sub's own entry names the user best (its records carry the user name too).
      if (key === person) into.label = entry.label;
      into.email ??= entry.email;
    }
    return merged;
  }

  /** Every bucket of the range, empty ones included, so that charts show quiet hours as gaps. */
  private timeline(size: BucketSize): TimeBucket[] {
    const step = size === "hour" ? HOUR_MS : DAY_MS;
    const first = Math.floor(this.range.since.getTime() / step) * step;
    const last = Math.floor((this.range.until.getTime() - 1) / step) * step;
    const buckets = new Map<number, TimeBucket>();
    for (let start = first; start <= last; start += step) {
      buckets.set(start, { start: new Date(start).toISOString(), ...emptyCounts() });
    }
    for (const [hour, counts] of this.hours) {
      const bucket = buckets.get(Math.floor(hour / step) * step);
      if (!bucket) continue;
      bucket.signIns += counts.signIns;
      bucket.denials += counts.denials;
      bucket.failures += counts.failures;
      bucket.migrations += counts.migrations;
      bucket.migrationsDenied += counts.migrationsDenied;
    }
    return [...buckets.values()];
  }
}

function emptyCounts(): BucketCounts {
  return { signIns: 0, denials: 0, failures: 0, migrations: 0, migrationsDenied: 0 };
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
