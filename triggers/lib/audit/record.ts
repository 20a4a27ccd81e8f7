/**
 * The audit record and its keys (architecture.md, "Audit record"):
 *   pk = USER#<sub or userName>, sk = <ISO time>#<event>#<request id>   one user's history in order
 *   dayShard = DAY#<yyyy-mm-dd>#<0..AUDIT_TIME_SHARDS-1>, at = ISO time  the time index (byTime)
 * The day is spread over shards so that a burst of sign-ins never lands on one hot partition;
 * readers query every shard of a day and merge.
 */
import { stringMap, type TriggerEvent } from "../events.ts";

export const AUDIT_TIME_INDEX = "byTime";
export const AUDIT_TIME_SHARDS = 16;

/** The keys of the table (pk, sk) and of the time index (dayShard, at). */
const AUDIT_KEY_ATTRIBUTES = ["pk", "sk", "dayShard", "at"] as const;

/**
 * Every attribute an audit record may have: what the triggers' PutItem may name (IAM's
 * dynamodb:Attributes condition, infra/audit-table.ts). A test builds records with every field and
 * checks them against this list.
 */
export const AUDIT_RECORD_ATTRIBUTES = [
  ...AUDIT_KEY_ATTRIBUTES,
  "event",
  "outcome",
  "reason",
  "triggerSource",
  "userPoolId",
  "clientId",
  "userName",
  "sub",
  "email",
  "sourceIp",
  "newDeviceUsed",
  "requestId",
  "expiresAt",
] as const;

/**
 * What the time index carries besides its keys (the table's pk and sk are always projected): the
 * fields `cognito-triggers audit` reads, which are the record's fields, and nothing a future writer
 * might add.
 */
export const AUDIT_TIME_INDEX_ATTRIBUTES: readonly string[] = AUDIT_RECORD_ATTRIBUTES.filter(
  (name) => !(AUDIT_KEY_ATTRIBUTES as readonly string[]).includes(name),
);

export type AuditEventName =
  | "SIGN_IN"
  | "SIGN_IN_DENIED"
  | "SIGN_UP_DENIED"
  | "SIGN_UP_CONFIRMED"
  | "WELCOME_EMAIL_FAILED"
  | "FEDERATION_DENIED"
  | "MESSAGE_SEND_FAILED"
  | "MIGRATED"
  | "MIGRATION_DENIED";

export type AuditOutcome = "success" | "denied" | "failure";

/** What a handler knows about the event it audits. */
export interface AuditEntry {
  event: AuditEventName;
  outcome: AuditOutcome;
  reason?: string;
  triggerSource: string;
  userPoolId: string;
  clientId?: string;
  userName?: string;
  sub?: string;
  email?: string;
  sourceIp?: string;
  newDeviceUsed?: boolean;
  requestId: string;
  /**
   * A record that must exist at most once per user (e.g. the welcome-mail claim of post confirmation):
   * its sort key is ONCE#<event>, independent of time and request id, so a retried invocation meets
   * the existing item and the conditional put refuses it.
   */
  once?: boolean;
}

export interface AuditRecord extends Omit<AuditEntry, "once"> {
  pk: string;
  sk: string;
  dayShard: string;
  at: string;
  /** Epoch seconds; the table's TTL attribute. */
  expiresAt: number;
}

export function buildAuditRecord(entry: AuditEntry, now: Date, retentionDays: number): AuditRecord {
  const fields = withContractTypes(entry);
  const at = now.toISOString();
  const who = fields.sub ?? fields.userName ?? "unknown";
  const pk = `USER#${who}`;
  const sk = entry.once ? `ONCE#${entry.event}` : `${at}#${entry.event}#${entry.requestId}`;
  fields.pk = pk;
  fields.sk = sk;
  fields.dayShard = `DAY#${at.slice(0, 10)}#${shardOf(`${pk}|${sk}`)}`;
  fields.at = at;
  fields.expiresAt = Math.floor(now.getTime() / 1000) + retentionDays * 86_400;
  return fields as unknown as AuditRecord;
}

/** The time-index partitions of one UTC day, for readers that fan out. */
export function dayShards(day: string): string[] {
  return Array.from({ length: AUDIT_TIME_SHARDS }, (_, shard) => `DAY#${day}#${shard}`);
}

/** FNV-1a: cheap, stable and well spread; not a security function. */
function shardOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % AUDIT_TIME_SHARDS;
}

/** The fields an entry copies from the event, which Cognito types loosely and a hostile caller not at all. */
const EVENT_TEXT_FIELDS: ReadonlySet<string> = new Set(["clientId", "userName", "sub", "email", "sourceIp"]);

/**
 * The entry's fields, in one pass (every sign-in builds a record): `once` and undefined values left
 * out, and each field copied from the event kept only when it has the contract's type. A record with a
 * number or an object for `userName` would break the readers of the table, and one without a string
 * form (`{"toString": "x"}`) would stop the record from being built at all.
 */
function withContractTypes(entry: AuditEntry): Record<string, unknown> & Partial<AuditEntry> {
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(entry)) {
    const value = (entry as unknown as Record<string, unknown>)[key];
    if (value === undefined || key === "once") continue;
    if (EVENT_TEXT_FIELDS.has(key) && typeof value !== "string") continue;
    if (key === "newDeviceUsed" && typeof value !== "boolean") continue;
    fields[key] = value;
  }
  return fields;
}

/**
 * What every audit record says about the event it records: which trigger, pool and client, who
 * (as far as the event knows), and the Lambda request. Handlers add event, outcome and reason.
 */
export function eventFacts(
  event: TriggerEvent,
  requestId: string,
): Pick<
  AuditEntry,
  "triggerSource" | "userPoolId" | "clientId" | "userName" | "sub" | "email" | "requestId"
> {
  const attributes = stringMap((event.request as { userAttributes?: unknown }).userAttributes);
  return {
    triggerSource: event.triggerSource,
    userPoolId: event.userPoolId,
    clientId: event.callerContext.clientId,
    userName: event.userName,
    sub: attributes.sub,
    email: attributes.email,
    requestId,
  };
}
