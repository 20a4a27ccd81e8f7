/**
 * What replaying a sample several times in a row (`--repeat`) must show, as when Cognito retries an
 * invocation: every attempt answers like the first, and no attempt repeats a once-only effect of an
 * earlier one (a second welcome email, a second migration mark). Audit records are not once-only
 * (every sign-in attempt is audited); that no retry overwrites one is the store's own guarantee.
 */
import { isDeepStrictEqual } from "node:util";
import type { TriggerName } from "../../triggers/lib/events.ts";
import { jsonDiff } from "./diff.ts";
import type { Outcome } from "./invoke.ts";
import type { Effect } from "./offline-services.ts";
import { maskSecrets } from "./secrets.ts";

export interface Attempt {
  outcome: Outcome;
  /** What this attempt added to the offline stand-ins; absent in live mode. */
  effects?: Effect[];
}

/** Effect kinds that a retry must never repeat. */
const ONCE_ONLY = new Set(["email", "text", "legacyMigrated"]);

/**
 * Once-only kinds that a trigger repeats by design. Cognito invokes the custom senders asynchronously:
 * Lambda retries an attempt only when it failed (and then nothing was sent), and an event Lambda
 * happens to deliver twice is sent twice, since a second copy of a code is harmless and a lost one is
 * not (lib/custom-sender/delivery.ts). Replaying a sender's sample again therefore sends again.
 */
const REPEATED_BY_DESIGN: Partial<Record<TriggerName, ReadonlySet<string>>> = {
  "custom-email-sender": new Set(["email"]),
  "custom-sms-sender": new Set(["text"]),
};

/** The effects in `after` that `before` does not have (both are cumulative lists of one sample). */
export function newEffects(before: Effect[], after: Effect[]): Effect[] {
  const seen = new Map<string, number>();
  for (const effect of before) {
    const key = JSON.stringify(effect);
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return after.filter((effect) => {
    const key = JSON.stringify(effect);
    const count = seen.get(key) ?? 0;
    if (count === 0) return true;
    seen.set(key, count - 1);
    return false;
  });
}

/**
 * One line per problem, each naming the attempt (the first attempt is number 1). `trigger` is the
 * sample's, whose effects may be repeated by design (REPEATED_BY_DESIGN).
 */
export function retryMismatches(attempts: readonly Attempt[], trigger?: TriggerName): string[] {
  const repeatable = (trigger && REPEATED_BY_DESIGN[trigger]) || new Set<string>();
  const [first, ...retries] = attempts;
  if (!first) return [];
  const lines: string[] = [];
  const done: Effect[] = [...(first.effects ?? [])];
  retries.forEach((attempt, index) => {
    const label = `attempt ${index + 2}`;
    lines.push(...outcomeDifference(first.outcome, attempt.outcome).map((line) => `${label}: ${line}`));
    for (const effect of attempt.effects ?? []) {
      const once = Object.keys(effect).some((key) => ONCE_ONLY.has(key) && !repeatable.has(key));
      if (once && done.some((earlier) => isDeepStrictEqual(earlier, effect))) {
        lines.push(`${label}: repeated the once-only effect ${JSON.stringify(effect)}`);
      }
      done.push(effect);
    }
  });
  return lines;
}

function outcomeDifference(first: Outcome, later: Outcome): string[] {
  if (first.kind === "error" && later.kind === "error") {
    return first.error === later.error
      ? []
      : [`error ${JSON.stringify(later.error)} instead of ${JSON.stringify(first.error)}`];
  }
  if (first.kind === "result" && later.kind === "result") {
    if (isDeepStrictEqual(first.event, later.event)) return [];
    // Printed, so computed on masked copies: a password never appears in them.
    const lines = jsonDiff(maskSecrets(first.event), maskSecrets(later.event));
    return lines.length > 0 ? lines : ["a password field differs (not shown)"];
  }
  return later.kind === "error"
    ? [`the error ${JSON.stringify(later.error)} instead of a result`]
    : ["a result instead of an error"];
}
