/**
 * Routes an event to its handler the way Cognito would, and reports the outcome the way Cognito
 * would: the returned event, or "<Trigger> failed with error <message>.".
 */
import { access } from "node:fs/promises";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import type { Env } from "../../triggers/lib/config.ts";
import type { Handler } from "../../triggers/lib/define-trigger.ts";
import { isRecord, TRIGGERS, type TriggerName } from "../../triggers/lib/events.ts";
import type { Services } from "../../triggers/lib/services.ts";

type CreateHandler = (env: Env, services?: Services) => Handler;

export type Outcome = { kind: "result"; event: unknown } | { kind: "error"; error: string };

const TRIGGERS_DIR = new URL("../../triggers/", import.meta.url);

/** The module that builds a trigger's handler, or undefined while the trigger is not written yet. */
export async function loadTrigger(trigger: TriggerName): Promise<CreateHandler | undefined> {
  const url = new URL(`${trigger}/trigger.ts`, TRIGGERS_DIR);
  try {
    await access(fileURLToPath(url));
  } catch {
    return undefined;
  }
  const module = (await import(url.href)) as { createHandler?: CreateHandler };
  if (typeof module.createHandler !== "function") {
    throw new Error(`${fileURLToPath(url)} does not export createHandler`);
  }
  return module.createHandler;
}

export async function invoke(
  createHandler: CreateHandler,
  trigger: TriggerName,
  event: unknown,
  options: { env: Env; services: Services; samplePath: string },
): Promise<{ outcome: Outcome; logs: string[] }> {
  const handler = createHandler(options.env, options.services);
  const context = {
    awsRequestId: `replay-${basename(options.samplePath, ".json")}`,
    functionName: TRIGGERS[trigger].errorPrefix,
    getRemainingTimeInMillis: () => 5_000,
  };
  // Handlers receive their own copy, as from Cognito's JSON; the sample stays intact for comparison.
  const input = structuredClone(event);
  return captureConsole(async () => {
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
