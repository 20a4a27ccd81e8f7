/**
 * Seed data for the audit CLI tests: records built by the triggers' own `buildAuditRecord` (so keys,
 * shards and attributes are exactly what the triggers write), stored with BatchWriteItem.
 */
import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { type AuditEntry, type AuditRecord, buildAuditRecord } from "../../triggers/lib/audit/record.ts";

export const NOW = new Date("2026-05-10T12:00:00.000Z");
const MINUTE = 60_000;

export const USERS = {
  alice: { sub: "0b9c6f0e-5d3a-4e1f-9a7b-1c2d3e4f5a01", userName: "alice", email: "alice@example.com" },
  bob: { sub: "0b9c6f0e-5d3a-4e1f-9a7b-1c2d3e4f5a02", userName: "bob", email: "bob@example.com" },
  // A pool with email as the username: the user name is the sub.
  carol: {
    sub: "0b9c6f0e-5d3a-4e1f-9a7b-1c2d3e4f5a03",
    userName: "0b9c6f0e-5d3a-4e1f-9a7b-1c2d3e4f5a03",
    email: "carol@example.org",
  },
  dave: { sub: "0b9c6f0e-5d3a-4e1f-9a7b-1c2d3e4f5a04", userName: "dave", email: "dave@example.net" },
} as const;
const ROTATION = [USERS.alice, USERS.bob, USERS.carol, USERS.dave];
export const CLIENTS = ["web1client", "srv2client", "adm3client"] as const;
export const IPS = ["198.51.100.7", "198.51.100.8", "203.0.113.5", "2001:db8::5"] as const;
export const POOL = "eu-west-1_Ab12Cd34E";

/** Text chosen by an attacker: a spreadsheet formula, markup, terminal escapes and a bidi override. */
export const HOSTILE_NAME = `=cmd|' /C calc'!A0`;
export const HOSTILE_EMAIL = "@SUM(1+1)";
export const MARKUP_NAME = `<script>alert("1,2")</script>`;
export const ESCAPE_NAME = "\u001b[2Jmallory\u202e";

/**
 * About five days of activity before NOW, one record every 37 minutes, rotating users, clients and
 * addresses; every 5th a denied sign-in, every 11th a refused sign-up; plus the special cases: a
 * migration keyed by user name (no sub yet), an at-most-once record, and hostile user names.
 */
export function functionalRecords(): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let k = 1; k <= 200; k++) {
    const at = new Date(NOW.getTime() - k * 37 * MINUTE);
    const user = ROTATION[k % 4] as (typeof ROTATION)[number];
    const clientId = CLIENTS[k % 3] as string;
    const sourceIp = IPS[(k >> 1) % 4] as string;
    const base = { userPoolId: POOL, clientId, requestId: `req-${k}` };
    let entry: AuditEntry;
    if (k % 5 === 0) {
      entry = {
        ...base,
        ...user,
        event: "SIGN_IN_DENIED",
        outcome: "denied",
        reason: "ip-not-allowed",
        triggerSource: "PreAuthentication_Authentication",
        sourceIp,
      };
    } else if (k % 11 === 0) {
      entry = {
        ...base,
        event: "SIGN_UP_DENIED",
        outcome: "denied",
        reason: "domain-not-allowed",
        triggerSource: "PreSignUp_SignUp",
        userName: `intruder${k % 2}`,
        email: `intruder${k % 2}@evil.test`,
      };
    } else {
      entry = {
        ...base,
        ...user,
        event: "SIGN_IN",
        outcome: "success",
        triggerSource: "PostAuthentication_Authentication",
        sourceIp,
        newDeviceUsed: k % 2 === 0,
      };
    }
    records.push(buildAuditRecord(entry, at, 400));
  }
  const extra = (minutesAgo: number, entry: AuditEntry) =>
    records.push(buildAuditRecord(entry, new Date(NOW.getTime() - minutesAgo * MINUTE), 400));
  extra(3 * 24 * 60 + 7, {
    event: "MIGRATED",
    outcome: "success",
    triggerSource: "UserMigration_Authentication",
    userPoolId: POOL,
    clientId: "web1client",
    userName: USERS.dave.userName,
    email: USERS.dave.email,
    requestId: "req-migrated",
  });
  extra(120, {
    event: "SIGN_UP_CONFIRMED",
    outcome: "success",
    triggerSource: "PostConfirmation_ConfirmSignUp",
    userPoolId: POOL,
    clientId: "web1client",
    ...USERS.alice,
    requestId: "req-once",
    once: true,
  });
  const hostile = (minutesAgo: number, userName: string, email: string | undefined, requestId: string) =>
    extra(minutesAgo, {
      event: "SIGN_IN_DENIED",
      outcome: "denied",
      reason: "ip-not-allowed",
      triggerSource: "PreAuthentication_Authentication",
      userPoolId: POOL,
      clientId: "web1client",
      userName,
      ...(email ? { email } : {}),
      sourceIp: "203.0.113.66",
      requestId,
    });
  hostile(30, HOSTILE_NAME, HOSTILE_EMAIL, "req-hostile-1");
  hostile(45, MARKUP_NAME, undefined, "req-hostile-2");
  hostile(50, ESCAPE_NAME, undefined, "req-hostile-3");
  return records;
}

/** Writes records 25 at a time, several batches in flight, retrying what DynamoDB leaves unprocessed. */
export async function seed(
  client: DynamoDBClient,
  tableName: string,
  records: readonly AuditRecord[],
  concurrency = 4,
): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < records.length; i += 25) {
    batches.push(
      records
        .slice(i, i + 25)
        .map((record) => ({ PutRequest: { Item: marshall(record, { removeUndefinedValues: true }) } })),
    );
  }
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending: WriteRequest[] | undefined = batches[next++];
      while (pending && pending.length > 0) {
        const result = await client.send(
          new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }),
        );
        pending = result.UnprocessedItems?.[tableName];
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
