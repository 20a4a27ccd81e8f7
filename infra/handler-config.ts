/**
 * Each handler's configuration spec: the keys it reads and the parser it applies to each, built from
 * the parsers the handlers export (and the cross-key rule pre authentication applies after parsing).
 * The construct derives from this both what each function's environment holds and how settings are
 * validated at synth time, so the two cannot drift apart from what the functions enforce at cold start.
 * Where a trigger keeps its spec private, it is rebuilt here from the same exported parsers; keep the
 * two in step when a handler gains a key.
 */

import { LOCALES as MESSAGE_LOCALES } from "../triggers/custom-message/templates/index.ts";
import { appName } from "../triggers/lib/app-name.ts";
import {
  auditConfigSpec,
  commaList,
  type Env,
  flag,
  json,
  oneOf,
  type Parser,
  requiredText,
} from "../triggers/lib/config.ts";
import { ConfigError } from "../triggers/lib/errors.ts";
import type { TriggerName } from "../triggers/lib/events.ts";
import { senderAddress } from "../triggers/post-confirmation/settings.ts";
import { LOCALES as WELCOME_LOCALES } from "../triggers/post-confirmation/templates/index.ts";
import {
  preAuthenticationConfigSpec,
  preparePreAuthenticationConfig,
} from "../triggers/pre-authentication/config.ts";
import { parseDomainPattern } from "../triggers/pre-sign-up/domain-pattern.ts";
import { parseClaimsConfig } from "../triggers/pre-token-generation/claims-config.ts";
import { parseAliasAttribute } from "../triggers/user-migration/alias-sign-in.ts";

type Spec = Record<string, Parser<unknown>>;

interface HandlerConfig {
  readonly spec: Spec;
  /** A rule across keys, applied to the parsed values (throws ConfigError). */
  readonly prepare?: (values: never) => unknown;
}

export const HANDLER_CONFIG: Readonly<Record<TriggerName, HandlerConfig>> = {
  "pre-sign-up": {
    spec: {
      ALLOWED_EMAIL_DOMAINS: commaList({ required: true, item: parseDomainPattern }),
      BLOCKED_EMAIL_DOMAINS: commaList({ required: false, item: parseDomainPattern }),
      AUTO_CONFIRM: flag(false),
      ...auditConfigSpec,
    },
  },
  "custom-message": {
    spec: {
      APP_NAME: appName(),
      DEFAULT_LOCALE: oneOf(MESSAGE_LOCALES, "en"),
      CUSTOM_EMAIL: flag(false),
    },
  },
  "pre-authentication": { spec: preAuthenticationConfigSpec, prepare: preparePreAuthenticationConfig },
  "post-authentication": {
    spec: { ...auditConfigSpec, AUDIT_FAILURE_MODE: oneOf(["open", "closed"], "open") },
  },
  "post-confirmation": {
    spec: {
      WELCOME_EMAIL_FROM: senderAddress(),
      APP_NAME: appName(),
      DEFAULT_LOCALE: oneOf(WELCOME_LOCALES, "en"),
      ...auditConfigSpec,
    },
  },
  "pre-token-generation": {
    spec: { CLAIMS_CONFIG: json({ required: true, default: undefined, validate: parseClaimsConfig }) },
  },
  "user-migration": {
    spec: {
      LEGACY_USERS_TABLE_NAME: requiredText(),
      USER_POOL_ALIAS_ATTRIBUTES: commaList({ required: false, item: parseAliasAttribute }),
      ...auditConfigSpec,
    },
  },
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
