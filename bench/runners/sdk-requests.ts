/**
 * Counts the requests of the handlers' own SDK clients with middleware, one per attempt: it sits in
 * the deserialize step, which the retry middleware runs again for every attempt. Each request is
 * named "<service>.<operation>" from the client and command names ("dynamodb.PutItem",
 * "ses.SendEmail", "kms.Decrypt", "sns.Publish"). The middleware goes on every client of the classes
 * given, before its first request. The warm runner checks these counts against those on the wire
 * (aws-requests.ts).
 */
import type { AwsRequestLog } from "./aws-requests.ts";

const MIDDLEWARE = { step: "deserialize", name: "benchCountRequests" } as const;

interface Context {
  clientName?: string;
  commandName?: string;
}

/** What the middleware needs of a client: its stack, and a `send` to hook the first request on. */
interface Client {
  middlewareStack: { add(middleware: unknown, options: typeof MIDDLEWARE): void };
  send(...args: unknown[]): Promise<unknown>;
}

export function countSdkRequests(classes: Iterable<{ prototype: unknown }>): AwsRequestLog {
  const log: AwsRequestLog = { requests: [] };
  const count = (context: Context) => {
    const service = (context.clientName ?? "unknown").replace(/Client$/, "").toLowerCase();
    const operation = (context.commandName ?? "unknown").replace(/Command$/, "");
    log.requests.push(`${service}.${operation}`);
  };
  const counting =
    <Next extends (args: never) => Promise<unknown>>(next: Next, context: Context) =>
    (args: Parameters<Next>[0]) => {
      count(context);
      return next(args) as ReturnType<Next>;
    };
  const counted = new WeakSet<Client>();
  for (const { prototype } of new Set(classes)) {
    const client = prototype as Client;
    const send = client.send;
    client.send = function (this: Client, ...args: unknown[]) {
      if (!counted.has(this)) {
        counted.add(this);
        this.middlewareStack.add(counting, MIDDLEWARE);
      }
      return send.apply(this, args);
    };
  }
  return log;
}
