/**
 * AWS SDK clients, created once per cold start on first use. Cognito waits 5 s for a trigger and may
 * retry, so every call is bounded: short connection and request timeouts and a single retry, which
 * together stay under the per-call budget the callers enforce with an AbortSignal (AWS_CALL_BUDGET_MS).
 * Endpoints come from the SDK's standard variables (AWS_ENDPOINT_URL_DYNAMODB, ...), never from
 * project settings.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { NodeHttpHandler } from "@smithy/node-http-handler";

/** The longest any single AWS operation (with its retry) may take before the handler gives up on it. */
export const AWS_CALL_BUDGET_MS = 2_500;

export const AWS_CLIENT_SETTINGS = {
  maxAttempts: 2,
  connectionTimeoutMs: 500,
  requestTimeoutMs: 1_000,
} as const;

/** A DynamoDB client with the bounded settings, for the current environment. */
export function createDynamoClient(): DynamoDBClient {
  return new DynamoDBClient({
    maxAttempts: AWS_CLIENT_SETTINGS.maxAttempts,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: AWS_CLIENT_SETTINGS.connectionTimeoutMs,
      requestTimeout: AWS_CLIENT_SETTINGS.requestTimeoutMs,
      // Without this the handler only logs a warning when the timeout passes and keeps waiting.
      throwOnRequestTimeout: true,
    }),
  });
}

let dynamo: DynamoDBClient | undefined;

/** The one DynamoDB client of this execution environment (created on first use, reused while warm). */
export function dynamoClient(): DynamoDBClient {
  dynamo ??= createDynamoClient();
  return dynamo;
}
