/**
 * How the CLI reaches the handlers: by path, `triggers/<trigger>/trigger.ts` (`.js` in the package), each exporting
 * `createHandler(env, services?)`. Replay and the local pool both load handlers through here.
 */
import { access } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Env } from "../triggers/lib/config.ts";
import type { Handler } from "../triggers/lib/define-trigger.ts";
import { TRIGGERS, type TriggerName } from "../triggers/lib/events.ts";
import type { Services } from "../triggers/lib/services.ts";

export type CreateHandler = (env: Env, services?: Services) => Handler;

const TRIGGERS_DIR = new URL("../triggers/", import.meta.url);
/** `.ts` when the CLI runs from the repository's sources, `.js` in the compiled package. */
const MODULE_EXTENSION = import.meta.url.endsWith(".ts") ? ".ts" : ".js";

/** The module that builds a trigger's handler, or undefined while the trigger is not written yet. */
export async function loadTrigger(trigger: TriggerName): Promise<CreateHandler | undefined> {
  const url = new URL(`${trigger}/trigger${MODULE_EXTENSION}`, TRIGGERS_DIR);
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

/** Lambda function names in the local pool equal Cognito's trigger names (PreSignUp, ...). */
export function triggerForFunctionName(functionName: string): TriggerName | undefined {
  const found = Object.entries(TRIGGERS).find(([, t]) => t.errorPrefix === functionName);
  return found?.[0] as TriggerName | undefined;
}
