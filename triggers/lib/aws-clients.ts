/**
 * The DynamoDB client of the handlers, created once per cold start on first use and bounded like every
 * AWS client of the suite (bounded-client-config.ts). Endpoints come from the SDK's standard variables
 * (AWS_ENDPOINT_URL_DYNAMODB, ...), never from project settings.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { boundedClientConfig } from "./bounded-client-config.ts";

export { AWS_CLIENT_SETTINGS } from "./bounded-client-config.ts";
export { AWS_CALL_BUDGET_MS } from "./time-budget.ts";

/** A DynamoDB client with the bounded settings, for the current environment. */
export function createDynamoClient(): DynamoDBClient {
  return new DynamoDBClient(boundedClientConfig());
}

let dynamo: DynamoDBClient | undefined;

/** The one DynamoDB client of this execution environment (created on first use, reused while warm). */
export function dynamoClient(): DynamoDBClient {
  dynamo ??= createDynamoClient();
  return dynamo;
}
