/** How the CDK app (app.ts) reports a configuration mistake: one line, no stack trace. */
import type { InvalidSettingsError } from "./settings.ts";
import type { StackConfigError } from "./stack-config.ts";

/** By name, so that a second copy of the modules (a linked package) is recognised too. */
const CONFIGURATION_ERRORS = new Set<string>(["InvalidSettingsError", "StackConfigError"] satisfies (
  | InvalidSettingsError
  | StackConfigError
)["name"][]);

/**
 * `cognito-trigger-suite: <reason>` for an InvalidSettingsError or a StackConfigError, their list of
 * problems joined on the line (`…: invalid settings: first; second`); undefined for any other error.
 */
export function configurationErrorLine(error: unknown): string | undefined {
  if (!(error instanceof Error && CONFIGURATION_ERRORS.has(error.name))) return undefined;
  const [first = "", ...problems] = error.message.split("\n");
  const reasons = problems.map((line) => line.replace(/^\s*-\s*/, "").trim()).filter((p) => p !== "");
  const reason = reasons.length > 0 ? `${first} ${reasons.join("; ")}` : first;
  return `cognito-trigger-suite: ${reason.replace(/\s+/g, " ").trim()}`;
}
