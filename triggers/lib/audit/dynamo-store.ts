/**
 * The DynamoDB audit store: exactly one PutItem per record, guarded by attribute_not_exists so that
 * a retried invocation can never overwrite history (IAM grants PutItem alone). Loaded lazily by the
 * audit trail so that handlers pay for the SDK only when they actually write.
 */
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
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

  async put(tableName: string, record: AuditRecord, signal: AbortSignal): Promise<PutOutcome> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: marshall(record, { removeUndefinedValues: true }),
          ConditionExpression: "attribute_not_exists(pk)",
        }),
        { abortSignal: signal },
      );
      return "written";
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return "duplicate";
      throw error;
    }
  }
}
