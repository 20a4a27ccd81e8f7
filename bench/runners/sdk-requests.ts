/**
 * Counts the requests of the handlers' own SDK clients with middleware, one per attempt: it sits in
 * the deserialize step, which the retry middleware runs again for every attempt. Each request is
 * named "<service>.<operation>" from the client and command names ("dynamodb.PutItem",
 * "ses.SendEmail"). The warm runner checks these counts against those on the wire (aws-requests.ts).
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SESClient } from "@aws-sdk/client-ses";
import type { AwsRequestLog } from "./aws-requests.ts";

const MIDDLEWARE = { step: "deserialize", name: "benchCountRequests" } as const;

interface Context {
  clientName?: string;
  commandName?: string;
}

export function countSdkRequests(clients: { dynamo: DynamoDBClient; ses: SESClient }): AwsRequestLog {
  const log: AwsRequestLog = { requests: [] };
  const count = (context: Context) => {
    const service = (context.clientName ?? "unknown").replace(/Client$/, "").toLowerCase();
    const operation = (context.commandName ?? "unknown").replace(/Command$/, "");
    log.requests.push(`${service}.${operation}`);
  };
  // Generic over the handler type, so that one middleware fits both clients' stacks.
  const counting =
    <Next extends (args: never) => Promise<unknown>>(next: Next, context: Context) =>
    (args: Parameters<Next>[0]) => {
      count(context);
      return next(args) as ReturnType<Next>;
    };
  clients.dynamo.middlewareStack.add(counting, MIDDLEWARE);
  clients.ses.middlewareStack.add(counting, MIDDLEWARE);
  return log;
}
