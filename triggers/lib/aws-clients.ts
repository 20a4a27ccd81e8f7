/**
 * AWS SDK clients, created once per cold start on first use. Cognito waits 5 s for a trigger and may
 * retry, so every call is bounded: short connection and request timeouts and a single retry, which
 * together stay under the per-call budget the callers enforce with an AbortSignal (AWS_CALL_BUDGET_MS).
 * Endpoints come from the SDK's standard variables (AWS_ENDPOINT_URL_DYNAMODB, ...), never from
 * project settings.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SESClient } from "@aws-sdk/client-ses";
import { NodeHttpHandler } from "@smithy/node-http-handler";

export { AWS_CALL_BUDGET_MS } from "./time-budget.ts";

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

/**
 * An SES (v1 API) client with the bounded settings. The SDK is imported when this is first called,
 * so that the handlers that only write DynamoDB never load it.
 */
export async function createSesClient(): Promise<SESClient> {
  const ses = await import("@aws-sdk/client-ses");
  return new ses.SESClient({
    maxAttempts: AWS_CLIENT_SETTINGS.maxAttempts,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: AWS_CLIENT_SETTINGS.connectionTimeoutMs,
      requestTimeout: AWS_CLIENT_SETTINGS.requestTimeoutMs,
      throwOnRequestTimeout: true,
    }),
  });
}

let ses: Promise<SESClient> | undefined;

/** The one SES client of this execution environment (created on first use, reused while warm). */
export function sesClient(): Promise<SESClient> {
  ses ??= createSesClient().catch((error: unknown) => {
    ses = undefined;
    throw error;
  });
  return ses;
}
