/**
 * The settings every AWS SDK client of the handlers is built with. Cognito waits 5 s for a trigger and
 * may retry, so every call is bounded: short connection and request timeouts and a single retry, which
 * together stay under the per-call budget the callers enforce with an AbortSignal (AWS_CALL_BUDGET_MS).
 */
import { NodeHttpHandler } from "@smithy/node-http-handler";

export const AWS_CLIENT_SETTINGS = {
  maxAttempts: 2,
  connectionTimeoutMs: 500,
  requestTimeoutMs: 1_000,
} as const;

export function boundedClientConfig() {
  return {
    maxAttempts: AWS_CLIENT_SETTINGS.maxAttempts,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: AWS_CLIENT_SETTINGS.connectionTimeoutMs,
      requestTimeout: AWS_CLIENT_SETTINGS.requestTimeoutMs,
      // Without this the handler only logs a warning when the timeout passes and keeps waiting.
      throwOnRequestTimeout: true,
    }),
  };
}
