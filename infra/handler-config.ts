/**
 * Each handler's configuration spec: the keys it reads and the parser it applies to each, built from
 * the specs the handlers export (and the cross-key rule pre authentication applies after parsing).
 * The construct derives from this both what each function's environment holds and how settings are
 * validated at synth time, so the two cannot drift apart from what the functions enforce at cold start.
 * Every trigger exports its spec from its own config.ts, which its handler also uses.
 */

import { customEmailSenderConfigSpec } from "../triggers/custom-email-sender/config.ts";
import { customMessageConfigSpec } from "../triggers/custom-message/config.ts";
import { customSmsSenderConfigSpec } from "../triggers/custom-sms-sender/config.ts";
import { inboundFederationConfigSpec } from "../triggers/inbound-federation/config.ts";
import type { Env, Parser } from "../triggers/lib/config.ts";
import { ConfigError } from "../triggers/lib/errors.ts";
import type { TriggerName } from "../triggers/lib/events.ts";
import { postAuthenticationConfigSpec } from "../triggers/post-authentication/config.ts";
import { postConfirmationConfigSpec } from "../triggers/post-confirmation/config.ts";
import {
  preAuthenticationConfigSpec,
  preparePreAuthenticationConfig,
} from "../triggers/pre-authentication/config.ts";
import { preSignUpConfigSpec } from "../triggers/pre-sign-up/config.ts";
import { preTokenGenerationConfigSpec } from "../triggers/pre-token-generation/config.ts";
import { userMigrationConfigSpec } from "../triggers/user-migration/config.ts";

type Spec = Record<string, Parser<unknown>>;

interface HandlerConfig {
  readonly spec: Spec;
  /** A rule across keys, applied to the parsed values (throws ConfigError). */
  readonly prepare?: (values: never) => unknown;
}

export const HANDLER_CONFIG: Readonly<Record<TriggerName, HandlerConfig>> = {
  "pre-sign-up": { spec: preSignUpConfigSpec },
  "custom-message": { spec: customMessageConfigSpec },
  "pre-authentication": { spec: preAuthenticationConfigSpec, prepare: preparePreAuthenticationConfig },
  "post-authentication": { spec: postAuthenticationConfigSpec },
  "post-confirmation": { spec: postConfirmationConfigSpec },
  "pre-token-generation": { spec: preTokenGenerationConfigSpec },
  "user-migration": { spec: userMigrationConfigSpec },
  "inbound-federation": { spec: inboundFederationConfigSpec },
  "custom-email-sender": { spec: customEmailSenderConfigSpec },
  "custom-sms-sender": { spec: customSmsSenderConfigSpec },
};

/** The keys a handler reads. */
export function handlerKeys(trigger: TriggerName): string[] {
  return Object.keys(HANDLER_CONFIG[trigger].spec);
}

export interface ConfigProblem {
  readonly key: string;
  readonly reason: string;
}

/**
 * Reads `env` as the handler does at cold start, but key by key so that every bad key is reported, not
 * only the first; the cross-key rule runs once every key parses.
 */
export function handlerConfigProblems(trigger: TriggerName, env: Env): ConfigProblem[] {
  const { spec, prepare } = HANDLER_CONFIG[trigger];
  const problems: ConfigProblem[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, parse] of Object.entries(spec)) {
    try {
      values[key] = parse(env[key], key);
    } catch (error) {
      problems.push(asProblem(error));
    }
  }
  if (problems.length === 0 && prepare) {
    try {
      prepare(values as never);
    } catch (error) {
      problems.push(asProblem(error));
    }
  }
  return problems;
}

function asProblem(error: unknown): ConfigProblem {
  if (error instanceof ConfigError) return { key: error.key, reason: error.reason };
  throw error;
}
