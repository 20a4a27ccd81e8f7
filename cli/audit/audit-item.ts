/**
 * An audit record as read back from the table. Items are checked field by field rather than trusted
 * to match the writer's type: the table may hold records from older or newer writers.
 */
export interface AuditItem {
  pk: string;
  sk: string;
  at: string;
  event: string;
  outcome: string;
  reason?: string;
  userName?: string;
  sub?: string;
  email?: string;
  clientId?: string;
  sourceIp?: string;
  userPoolId?: string;
  triggerSource?: string;
  newDeviceUsed?: boolean;
  requestId?: string;
  expiresAt?: number;
}

/** Field order of JSON and CSV output: what a reviewer reads first comes first. */
export const AUDIT_FIELDS = [
  "at",
  "event",
  "outcome",
  "reason",
  "userName",
  "sub",
  "email",
  "clientId",
  "sourceIp",
  "userPoolId",
  "triggerSource",
  "newDeviceUsed",
  "requestId",
  "expiresAt",
  "pk",
  "sk",
] as const satisfies ReadonlyArray<keyof AuditItem>;

const TEXT_FIELDS = [
  "reason",
  "userName",
  "sub",
  "email",
  "clientId",
  "sourceIp",
  "userPoolId",
  "triggerSource",
  "requestId",
] as const;

/** The item, or undefined when it lacks the keys every audit record has. */
export function toAuditItem(raw: Record<string, unknown>): AuditItem | undefined {
  const { pk, sk, at } = raw;
  if (typeof pk !== "string" || typeof sk !== "string" || typeof at !== "string") return undefined;
  const item: AuditItem = {
    pk,
    sk,
    at,
    event: typeof raw.event === "string" ? raw.event : "",
    outcome: typeof raw.outcome === "string" ? raw.outcome : "",
  };
  for (const field of TEXT_FIELDS) {
    const value = raw[field];
    if (typeof value === "string") item[field] = value;
  }
  if (typeof raw.newDeviceUsed === "boolean") item.newDeviceUsed = raw.newDeviceUsed;
  if (typeof raw.expiresAt === "number") item.expiresAt = raw.expiresAt;
  return item;
}

/** Newest first; the sort key breaks ties so that output is stable. */
export function newestFirst(a: AuditItem, b: AuditItem): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1;
  if (a.sk !== b.sk) return a.sk < b.sk ? 1 : -1;
  return a.pk < b.pk ? 1 : a.pk > b.pk ? -1 : 0;
}

/** Who a record is about, for people: the user name, else the sub, else the email. */
export function userLabel(item: AuditItem): string {
  return item.userName ?? item.sub ?? item.email ?? item.pk.replace(/^USER#/, "");
}
