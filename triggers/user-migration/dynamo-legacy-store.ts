/**
 * The legacy directory in DynamoDB: GetItem by `login`, and one conditional UpdateItem that sets
 * `migratedAt` only if it is not set yet. A retried invocation therefore neither fails nor moves the
 * first migration time. IAM needs dynamodb:GetItem and dynamodb:UpdateItem on this table only.
 */
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { dynamoClient } from "../lib/aws-clients.ts";
import type { LegacyUserStore } from "../lib/services.ts";

export class DynamoLegacyUserStore implements LegacyUserStore {
  constructor(private readonly client: DynamoDBClient = dynamoClient()) {}

  async get(tableName: string, login: string) {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: tableName, Key: { login: { S: login } } }),
    );
    return Item ? unmarshall(Item) : undefined;
  }

  async markMigrated(tableName: string, login: string, at: string) {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { login: { S: login } },
          UpdateExpression: "SET migratedAt = :at",
          // attribute_exists: an item deleted meanwhile is not recreated as a bare { login, migratedAt }.
          ConditionExpression: "attribute_exists(#login) AND attribute_not_exists(migratedAt)",
          ExpressionAttributeNames: { "#login": "login" },
          ExpressionAttributeValues: { ":at": { S: at } },
        }),
      );
      return "marked" as const;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return "unchanged" as const;
      throw error;
    }
  }
}
