/**
 * An audit item written by hand as DynamoDB attribute values: the same attributes, keys and size as
 * the record the suite writes, without the suite's code (no marshall, no record builder, no budget).
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";

interface EventFields {
  triggerSource?: string;
  userPoolId?: string;
  userName?: string;
  callerContext?: { clientId?: string };
  request?: { userAttributes?: Record<string, string> };
}

export function auditItem(
  event: EventFields,
  auditEvent: string,
  sortKey: (at: string) => string,
): Record<string, AttributeValue> {
  const at = new Date().toISOString();
  const attributes = event.request?.userAttributes ?? {};
  const who = attributes.sub ?? event.userName ?? "unknown";
  const requestId = `bare-${process.pid}`;
  const text = (value: string | undefined): AttributeValue | undefined =>
    value === undefined ? undefined : { S: value };
  const item: Record<string, AttributeValue | undefined> = {
    pk: { S: `USER#${who}` },
    sk: { S: sortKey(at).replace("<request>", requestId) },
    dayShard: { S: `DAY#${at.slice(0, 10)}#${process.pid % 16}` },
    at: { S: at },
    event: { S: auditEvent },
    outcome: { S: "success" },
    triggerSource: text(event.triggerSource),
    userPoolId: text(event.userPoolId),
    clientId: text(event.callerContext?.clientId),
    userName: text(event.userName),
    sub: text(attributes.sub),
    email: text(attributes.email),
    requestId: { S: requestId },
    expiresAt: { N: String(Math.floor(Date.now() / 1000) + 400 * 86_400) },
  };
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined)) as Record<
    string,
    AttributeValue
  >;
}
