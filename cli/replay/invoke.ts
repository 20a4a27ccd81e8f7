/**
 * Routes an event to its handler the way Cognito would, and reports the outcome the way Cognito
 * would: the returned event, or "<Trigger> failed with error <message>.".
 */
import { basename } from "node:path";
import type { Env } from "../../triggers/lib/config.ts";
import { isRecord, TRIGGERS, type TriggerName } from "../../triggers/lib/events.ts";
import type { Services } from "../../triggers/lib/services.ts";
import type { CreateHandler } from "../triggers.ts";

export type Outcome = { kind: "result"; event: unknown } | { kind: "error"; error: string };

export async function invoke(
  createHandler: CreateHandler,
  trigger: TriggerName,
  event: unknown,
  options: { env: Env; services: Services; samplePath: string; attempt?: number },
): Promise<{ outcome: Outcome; logs: string[] }> {
  const attempt = options.attempt ?? 1;
  const context = {
    // A Cognito retry is a new Lambda invocation, with a request id of its own.
    awsRequestId: `replay-${basename(options.samplePath, ".json")}${attempt > 1 ? `-attempt-${attempt}` : ""}`,
    functionName: TRIGGERS[trigger].errorPrefix,
    getRemainingTimeInMillis: () => 5_000,
  };
  // Handlers receive their own copy, as from Cognito's JSON; the sample stays intact for comparison.
  const input = structuredClone(event);
  return captureConsole(async () => {
    // Built inside the capture: a cold start's configuration log lines belong to this sample's logs.
    const handler = createHandler(options.env, options.services);
    try {
      const returned = await handler(input, context);
      if (!isRecord(returned) || typeof returned.triggerSource !== "string") {
        return { kind: "error", error: "InvalidLambdaResponseException: Unrecognizable lambda output" };
      }
      return { kind: "result", event: returned };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { kind: "error", error: `${TRIGGERS[trigger].errorPrefix} failed with error ${message}.` };
    }
  });
}

const CONSOLE_METHODS = ["log", "debug", "info", "warn", "error"] as const;

/** Runs `work` with console output collected instead of printed (samples run one at a time). */
async function captureConsole<T>(work: () => Promise<T>): Promise<{ outcome: T; logs: string[] }> {
  const logs: string[] = [];
  const original = CONSOLE_METHODS.map((method) => console[method]);
  for (const method of CONSOLE_METHODS) {
    console[method] = (...args: unknown[]) => {
      logs.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    };
  }
  try {
    return { outcome: await work(), logs };
  } finally {
    CONSOLE_METHODS.forEach((method, i) => {
      console[method] = original[i] as (typeof console)[typeof method];
    });
  }
}
