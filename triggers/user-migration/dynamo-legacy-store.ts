/**
 * The legacy directory in DynamoDB: GetItem by `login`, and conditional UpdateItems that name only the
 * attributes migration owns (written-attributes.ts) and return nothing (the IAM policy allows no
 * more). The mark sets `migratedAt` once and records the Cognito userName that migrated the record;
 * every later mark fails its condition, so a retried invocation never moves the first migration time
 * and of two concurrent spellings only one is written (the trigger tells a retry, its own userName,
 * from another spelling). The failure counter's steps are described in
 * failed-attempts.ts. IAM needs dynamodb:GetItem and dynamodb:UpdateItem on this table only.
 * It also serves the suite-wide LegacyUserStore port (services.ts), whose plain markMigrated the
 * trigger no longer uses.
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { dynamoClient } from "../lib/aws-clients.ts";
import type { LegacyUserStore } from "../lib/services.ts";
import type { CountStep, LockPolicy } from "./failed-attempts.ts";
import type { MigrationDirectory, MigrationMark } from "./migration-directory.ts";

/** The record exists, is not migrated and is not locked at :now. */
const COUNTABLE =
  "attribute_exists(#login) AND attribute_not_exists(migratedAt) AND (attribute_not_exists(lockedUntil) OR lockedUntil <= :now)";

const n = (value: number): AttributeValue => ({ N: String(value) });

export class DynamoLegacyUserStore implements MigrationDirectory, LegacyUserStore {
  constructor(private readonly client: DynamoDBClient = dynamoClient()) {}

  async get(tableName: string, login: string) {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: tableName, Key: { login: { S: login } } }),
    );
    return Item ? unmarshall(Item) : undefined;
  }

  /** LegacyUserStore: sets migratedAt once; "unchanged" when it was already set. */
  async markMigrated(tableName: string, login: string, at: string) {
    const written = await this.update({
      TableName: tableName,
      Key: { login: { S: login } },
      UpdateExpression: "SET migratedAt = :at",
      ConditionExpression: "attribute_exists(#login) AND attribute_not_exists(migratedAt)",
      ExpressionAttributeNames: { "#login": "login" },
      ExpressionAttributeValues: { ":at": { S: at } },
    });
    return written ? ("marked" as const) : ("unchanged" as const);
  }

  async claimMigration(tableName: string, login: string, mark: MigrationMark) {
    const written = await this.update({
      TableName: tableName,
      Key: { login: { S: login } },
      UpdateExpression:
        "SET migratedAt = :at, migratedUserName = :user REMOVE failedAttempts, failuresSince, lockedUntil",
      // attribute_exists: an item deleted meanwhile is not recreated as a bare { login, migratedAt }.
      // Only the first migration writes: a retry finds migratedAt set and is refused here (the trigger
      // then reads the record again and lets it pass when migratedUserName is its own).
      ConditionExpression: `attribute_exists(#login) AND attribute_not_exists(migratedAt)${
        mark.honourLock ? " AND (attribute_not_exists(lockedUntil) OR lockedUntil <= :now)" : ""
      }`,
      ExpressionAttributeNames: { "#login": "login" },
      ExpressionAttributeValues: {
        ":at": { S: mark.at },
        ":user": { S: mark.userName },
        ...(mark.honourLock ? { ":now": n(mark.nowMs) } : {}),
      },
    });
    return written ? ("marked" as const) : ("conflict" as const);
  }

  async countFailure(
    tableName: string,
    login: string,
    step: CountStep,
    { nowMs, policy }: { nowMs: number; policy: LockPolicy },
  ) {
    const until = n(nowMs + policy.lockMs);
    const cutoff = n(nowMs - policy.lockMs);
    const locksAtOnce = policy.maxFailures <= 1;
    const byStep: Record<
      CountStep,
      {
        UpdateExpression: string;
        ConditionExpression: string;
        ExpressionAttributeValues: Record<string, AttributeValue>;
      }
    > = {
      "open-window": {
        UpdateExpression: `SET failedAttempts = :one, failuresSince = :now${locksAtOnce ? ", lockedUntil = :until" : ""}`,
        ConditionExpression: `${COUNTABLE} AND (attribute_not_exists(failuresSince) OR failuresSince <= :cutoff)`,
        ExpressionAttributeValues: {
          ":one": n(1),
          ":cutoff": cutoff,
          ...(locksAtOnce ? { ":until": until } : {}),
        },
      },
      count: {
        UpdateExpression: "SET failedAttempts = failedAttempts + :one",
        ConditionExpression: `${COUNTABLE} AND failuresSince > :cutoff AND failedAttempts < :last`,
        ExpressionAttributeValues: { ":one": n(1), ":cutoff": cutoff, ":last": n(policy.maxFailures - 1) },
      },
      "count-and-lock": {
        UpdateExpression: "SET failedAttempts = :max, lockedUntil = :until",
        ConditionExpression: `${COUNTABLE} AND failuresSince > :cutoff AND failedAttempts >= :last`,
        ExpressionAttributeValues: {
          ":max": n(policy.maxFailures),
          ":until": until,
          ":cutoff": cutoff,
          ":last": n(policy.maxFailures - 1),
        },
      },
    };
    const { UpdateExpression, ConditionExpression, ExpressionAttributeValues } = byStep[step];
    const written = await this.update({
      TableName: tableName,
      Key: { login: { S: login } },
      UpdateExpression,
      ConditionExpression,
      ExpressionAttributeNames: { "#login": "login" },
      ExpressionAttributeValues: { ":now": n(nowMs), ...ExpressionAttributeValues },
    });
    return written ? ("counted" as const) : ("skipped" as const);
  }

  /** true when written, false when the condition did not hold; other errors are thrown. */
  private async update(input: ConstructorParameters<typeof UpdateItemCommand>[0]): Promise<boolean> {
    try {
      await this.client.send(new UpdateItemCommand(input));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
