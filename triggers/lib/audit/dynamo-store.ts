/**
 * The DynamoDB audit store: exactly one PutItem per record, guarded by attribute_not_exists so that
 * a retried invocation can never overwrite history (IAM grants PutItem alone). Handlers that audit
 * only refusals reach it lazily through the audit trail; handlers that write on every invocation
 * import it directly (defaultAuditStore).
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { dynamoClient } from "../aws-clients.ts";
import type { AuditRecord } from "./record.ts";
import type { AuditStore, PutOutcome } from "./store.ts";

let shared: DynamoAuditStore | undefined;

/** The store on the environment's one DynamoDB client, for handlers that write on every invocation. */
export function defaultAuditStore(): DynamoAuditStore {
  shared ??= new DynamoAuditStore();
  return shared;
}

export class DynamoAuditStore implements AuditStore {
  constructor(private readonly client: DynamoDBClient = dynamoClient()) {}

  async put(tableName: string, record: AuditRecord): Promise<PutOutcome> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: toItem(record),
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return "written";
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return "duplicate";
      throw error;
    }
  }
}

/**
 * The record as DynamoDB attribute values. The audit record is flat (strings, numbers, booleans), so
 * its wire form is written out here rather than through the generic marshaller, which every sign-in
 * would otherwise load and run.
 */
export function toItem(record: AuditRecord): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === "string") item[key] = { S: value };
    else if (typeof value === "number") item[key] = { N: String(value) };
    else if (typeof value === "boolean") item[key] = { BOOL: value };
  }
  return item;
}
