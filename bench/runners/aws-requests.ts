/**
 * Counts the requests a process sends to AWS, from Node's own `http.client.request.start` diagnostics
 * channel: the code under test is neither changed nor given a different client. Each request is named
 * by service (from the endpoint it goes to) and, where a header carries it, operation (DynamoDB's
 * X-Amz-Target).
 */
import { subscribe } from "node:diagnostics_channel";
import type { ClientRequest } from "node:http";

export interface AwsRequestLog {
  /** Every request so far, as "<service>.<operation>" (e.g. "dynamodb.PutItem"). */
  readonly requests: string[];
}

/** The service names of the endpoints in AWS_ENDPOINT_URL_<SERVICE>, by host:port. */
function endpointServices(env: NodeJS.ProcessEnv): Map<string, string> {
  const services = new Map<string, string>();
  for (const [key, value] of Object.entries(env)) {
    const service = /^AWS_ENDPOINT_URL_(\w+)$/.exec(key)?.[1];
    // Named as the SDK names its client: COGNITO_IDENTITY_PROVIDER is "cognitoidentityprovider".
    if (service && value) services.set(new URL(value).host, service.toLowerCase().replaceAll("_", ""));
  }
  return services;
}

export function recordAwsRequests(env: NodeJS.ProcessEnv = process.env): AwsRequestLog {
  const services = endpointServices(env);
  const log: AwsRequestLog = { requests: [] };
  subscribe("http.client.request.start", (message) => {
    const request = (message as { request: ClientRequest }).request;
    const host = String(request.getHeader("host") ?? request.host);
    const service = services.get(host) ?? host;
    const target = request.getHeader("x-amz-target");
    if (typeof target === "string") {
      log.requests.push(`${service}.${target.slice(target.indexOf(".") + 1)}`);
      return;
    }
    // Query-protocol services (SES v1) name the operation only in the body, which is already on its way
    // when this channel reports the request: they are counted by service alone.
    log.requests.push(`${service}.request`);
  });
  return log;
}
