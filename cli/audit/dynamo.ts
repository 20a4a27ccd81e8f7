/**
 * The DynamoDB client of the audit CLI: the default credential chain and the standard endpoint
 * variables (AWS_ENDPOINT_URL_DYNAMODB for a local table), with timeouts that suit a reviewer's
 * interactive read rather than a Lambda's 5 s budget.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { NodeHttpHandler } from "@smithy/node-http-handler";

export interface ClientSettings {
  region?: string | undefined;
  profile?: string | undefined;
}

export function createAuditReaderClient(settings: ClientSettings): DynamoDBClient {
  return new DynamoDBClient({
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.profile ? { profile: settings.profile } : {}),
    // Adaptive retries back off when a large fan-out meets a table's read capacity.
    retryMode: "adaptive",
    maxAttempts: 6,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 5_000,
      requestTimeout: 60_000,
      throwOnRequestTimeout: true,
    }),
  });
}

/** The endpoint the client talks to, when it is not AWS's own (for error messages). */
export function customEndpoint(env: NodeJS.ProcessEnv): string | undefined {
  return env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL ?? undefined;
}
