/**
 * `replay --update-expected`: after the replay has been printed (with its diffs), writes each replayed
 * sample's `<name>.expected.json` from what the handler actually did, the returned event or the error,
 * and the effects the offline stand-ins recorded. Only files whose content changes are written.
 *
 * - An existing expectation keeps its `description`, its `env` and any other key of its own; `result`
 *   or `error` and `effects` are replaced (`effects` is written when the handler had any, or when the
 *   file already listed them, so that "no effects" stays asserted).
 * - A new expectation gets as `env` the trigger's own configuration keys (its config spec) from the
 *   environment the sample was replayed with (process.env < --env-file), so that the new sample replays
 *   the same anywhere; nothing else is copied (no AWS_* settings, no credentials, no LOG_LEVEL).
 * - Files are written in the layout Biome gives the repository's JSON, so an update does not reformat.
 */
import { readFile, writeFile } from "node:fs/promises";
import { customEmailSenderConfigSpec } from "../../triggers/custom-email-sender/config.ts";
import { customMessageConfigSpec } from "../../triggers/custom-message/config.ts";
import { customSmsSenderConfigSpec } from "../../triggers/custom-sms-sender/config.ts";
import { inboundFederationConfigSpec } from "../../triggers/inbound-federation/config.ts";
import type { Parser } from "../../triggers/lib/config.ts";
import { type TriggerName, triggerForSource } from "../../triggers/lib/events.ts";
import { postAuthenticationConfigSpec } from "../../triggers/post-authentication/config.ts";
import { postConfirmationConfigSpec } from "../../triggers/post-confirmation/config.ts";
import { preAuthenticationConfigSpec } from "../../triggers/pre-authentication/config.ts";
import { preSignUpConfigSpec } from "../../triggers/pre-sign-up/config.ts";
import { preTokenGenerationConfigSpec } from "../../triggers/pre-token-generation/config.ts";
import { userMigrationConfigSpec } from "../../triggers/user-migration/config.ts";
import { retryMismatches } from "./retries.ts";
import type { ReplayReport, SampleReport } from "./run.ts";
import { EXPECTATION_SUFFIX } from "./samples.ts";

const CONFIG_KEYS: Record<TriggerName, string[]> = Object.fromEntries(
  Object.entries({
    "pre-sign-up": preSignUpConfigSpec,
    "custom-message": customMessageConfigSpec,
    "pre-authentication": preAuthenticationConfigSpec,
    "post-authentication": postAuthenticationConfigSpec,
    "post-confirmation": postConfirmationConfigSpec,
    "pre-token-generation": preTokenGenerationConfigSpec,
    "user-migration": userMigrationConfigSpec,
    "inbound-federation": inboundFederationConfigSpec,
    "custom-email-sender": customEmailSenderConfigSpec,
    "custom-sms-sender": customSmsSenderConfigSpec,
  } satisfies Record<TriggerName, Record<string, Parser<unknown>>>).map(([trigger, spec]) => [
    trigger,
    Object.keys(spec),
  ]),
) as Record<TriggerName, string[]>;

export interface WrittenExpectation {
  path: string;
  change: "created" | "updated";
}

export interface UpdateResult {
  written: WrittenExpectation[];
  /** The report's exit code once the written files are taken as the expectations. */
  exitCode: 0 | 1 | 2;
}

/**
 * Writes the expectations of `report`'s samples. `env` is the environment the samples were replayed
 * with before their own `env` (process.env < --env-file): new expectations take their `env` from it.
 */
export async function updateExpectations(
  report: ReplayReport,
  env: Readonly<Record<string, string | undefined>>,
): Promise<UpdateResult> {
  const written: WrittenExpectation[] = [];
  let stillFailing = false;
  for (const sample of report.samples) {
    if (sample.status === "pending" || sample.status === "passed" || sample.status === "skipped") continue;
    const path = sample.path.replace(/\.json$/, EXPECTATION_SUFFIX);
    if (!sample.outcome || path === sample.path) {
      stillFailing = true; // the handler could not be loaded: nothing to write
      continue;
    }
    const existingText = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    const existing =
      existingText === undefined
        ? undefined
        : (JSON.parse(existingText.replace(/^\uFEFF/, "")) as Record<string, unknown>);
    const text = formatJson(expectationFor(sample, existing, env));
    if (text !== existingText) {
      await writeFile(path, text);
      written.push({ path, change: existing ? "updated" : "created" });
    }
    // What an expectation cannot fix: a retry that answered otherwise or repeated a once-only effect.
    if (
      sample.attempts &&
      retryMismatches(sample.attempts, triggerForSource(sample.triggerSource)).length > 0
    )
      stillFailing = true;
  }
  const exitCode = report.unusable.length > 0 ? 2 : stillFailing ? 1 : 0;
  return { written, exitCode };
}

/** The expectation `sample`'s replay gives, keeping what `existing` says of itself. */
export function expectationFor(
  sample: SampleReport,
  existing: Record<string, unknown> | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const {
    description,
    env: existingEnv,
    result: _r,
    error: _e,
    effects: oldEffects,
    ...other
  } = existing ?? {};
  const outcome = sample.outcome;
  if (!outcome) throw new Error(`${sample.path} has no outcome to record`);
  const effects = sample.effects ?? [];
  return {
    ...(description === undefined ? {} : { description }),
    ...(existing ? (existingEnv === undefined ? {} : { env: existingEnv }) : { env: configOf(sample, env) }),
    ...(outcome.kind === "result" ? { result: outcome.event } : { error: outcome.error }),
    ...(effects.length > 0 || oldEffects !== undefined ? { effects } : {}),
    ...other,
  };
}

function configOf(
  sample: SampleReport,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const trigger = triggerForSource(sample.triggerSource);
  const keys = trigger ? CONFIG_KEYS[trigger] : [];
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = env[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

const LINE_WIDTH = 110;

/**
 * JSON as Biome lays out the repository's samples: two-space indentation, objects expanded, arrays of
 * plain values on one line when that line fits in 110 columns, a final newline. Invisible and
 * control characters are written as \u escapes, so that a sample shows them.
 */
export function formatJson(value: unknown): string {
  return `${format(value, "", 0)}\n`;
}

function format(value: unknown, indent: string, prefixLength: number): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const inner = `${indent}  `;
    if (value.every((v) => v === null || typeof v !== "object")) {
      const oneLine = `[${value.map((v) => format(v, inner, 0)).join(", ")}]`;
      // +1 for the comma that may follow.
      if (prefixLength + oneLine.length + 1 <= LINE_WIDTH) return oneLine;
    }
    return `[\n${value.map((v) => inner + format(v, inner, inner.length)).join(",\n")}\n${indent}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    const inner = `${indent}  `;
    const lines = entries.map(([key, v]) => {
      const head = `${inner}${quote(key)}: `;
      return head + format(v, inner, head.length);
    });
    return `{\n${lines.join(",\n")}\n${indent}}`;
  }
  return typeof value === "string" ? quote(value) : JSON.stringify(value);
}

const INVISIBLE =
  /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}\u00A0\u115F\u1160\u2000-\u200A\u202F\u205F\u3000\u3164\uFFA0\p{Variation_Selector}]/gu;

function quote(text: string): string {
  return JSON.stringify(text).replace(INVISIBLE, (char) =>
    Array.from(
      { length: char.length },
      (_, i) => `\\u${char.charCodeAt(i).toString(16).toUpperCase().padStart(4, "0")}`,
    ).join(""),
  );
}
