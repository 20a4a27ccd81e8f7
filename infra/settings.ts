/**
 * The suite's settings as typed CDK props: the configuration contract of architecture.md, one field per
 * environment key. Each function receives only the keys its handler reads, and every value is checked at
 * synth time by the parsers the handlers themselves run at cold start, so a setting that would make a
 * handler fail closed in production fails the synth instead, naming the setting and its key.
 */
import { Token } from "aws-cdk-lib";
import type { Env } from "../triggers/lib/config.ts";
import {
  type CoreTriggerName,
  isOptionalTrigger,
  TRIGGERS,
  type TriggerName,
} from "../triggers/lib/events.ts";
import { handlerConfigProblems, handlerKeys } from "./handler-config.ts";

export interface TriggerSuiteSettings {
  /** ALLOWED_EMAIL_DOMAINS: `example.com` (exactly), `*.example.com` (its subdomains only) or `*`. */
  readonly allowedEmailDomains: readonly string[];
  /** BLOCKED_EMAIL_DOMAINS: same syntax; wins over the allow list. */
  readonly blockedEmailDomains?: readonly string[];
  /**
   * AUTO_CONFIRM: auto-confirm and auto-verify the email of allowed self sign-ups. Post confirmation
   * reads it too: such an address is not proven, so it gets no welcome email.
   */
  readonly autoConfirm?: boolean;
  /**
   * FEDERATED_UNVERIFIED_EMAIL: `deny` refuses a federated first sign-in whose identity provider did not
   * verify the address (`email_verified` not "true", or not mapped); `allow` admits it, never verified.
   * @default "deny"
   */
  readonly federatedUnverifiedEmail?: "deny" | "allow";
  /** DEFAULT_LOCALE: used when the user's `locale` attribute is missing or unsupported. */
  readonly defaultLocale?: "en" | "ja";
  /** APP_NAME: the product name shown in messages. */
  readonly appName: string;
  /**
   * CUSTOM_EMAIL: customise email subject and body (needs the pool to send through SES, DEVELOPER).
   * @default - true exactly when the pool sends email through SES
   */
  readonly customEmail?: boolean;
  /** IP_ALLOWLIST: IPv4/IPv6 CIDRs; empty disables the check. Also becomes the AWS WAF IP sets. */
  readonly ipAllowlist?: readonly string[];
  /** IP_TRUSTED_CLIENT_IDS: confidential clients whose `validationData.sourceIp` is trusted (tokens allowed). */
  readonly ipTrustedClientIds?: readonly string[];
  /** IP_UNTRUSTED_CLIENT_POLICY: `allow` only because AWS WAF enforces the list for public clients. */
  readonly ipUntrustedClientPolicy?: "deny" | "allow";
  /** AUDIT_RETENTION_DAYS: TTL of audit records. */
  readonly auditRetentionDays?: number;
  /** AUDIT_FAILURE_MODE: `open` lets sign-in proceed when the audit write fails; `closed` refuses it. */
  readonly auditFailureMode?: "open" | "closed";
  /** CLAIMS_CONFIG: the pre token generation configuration (docs/tokens-and-migration.md), as a JSON value. */
  readonly claimsConfig?: unknown;
  /** WELCOME_EMAIL_FROM: verified SES identity the welcome email is sent from; unset disables it. */
  readonly welcomeEmailFrom?: string;
  /**
   * USER_POOL_ALIAS_ATTRIBUTES: the pool's alias attributes, which tell user migration when it may
   * name the user. @default - the pool's own AliasAttributes
   */
  readonly userPoolAliasAttributes?: readonly string[];
  /**
   * LEGACY_STANDIN_HASH: what user migration verifies an unknown user's password against, so that the
   * answer takes as long as a wrong password: a hash of the legacy records' own algorithm and cost, in
   * their format, of a random string. Must be within the migration cost bound.
   * @default - a bcrypt cost-10 hash
   */
  readonly legacyStandinHash?: string;
  /** MIGRATION_MAX_FAILED_ATTEMPTS: failed legacy passwords per login that lock its migration. @default 5 */
  readonly migrationMaxFailedAttempts?: number;
  /** MIGRATION_LOCK_MINUTES: how long the lock lasts (and the window the failures are counted in). @default 15 */
  readonly migrationLockMinutes?: number;
  /**
   * FEDERATION_ATTRIBUTE_MAP (inbound federation only): which attributes of the identity provider become
   * which pool attributes, as a JSON value (docs/inbound-federation.md).
   * @default - email and email_verified, each from the attribute of the same name
   */
  readonly federationAttributeMap?: unknown;
  /**
   * FEDERATION_EMAIL_VERIFIED (inbound federation only): `honour` passes the provider's
   * `email_verified` on; `never` marks every federated address unverified.
   * @default "honour"
   */
  readonly federationEmailVerified?: "honour" | "never";
  /**
   * CUSTOM_SENDER_EMAIL_FROM (custom email sender only): the verified SES identity the custom email
   * sender sends every message from, "address" or "Name <address>". Required with the sender.
   */
  readonly customSenderEmailFrom?: string;
}

/** Values only the construct knows (the tables and the key it creates or is given). */
export interface SuiteResources {
  readonly auditTableName: string;
  readonly legacyUsersTableName: string;
  /** The pool's custom sender key (CUSTOM_SENDER_KMS_KEY_ARN); only with a custom sender. */
  readonly customSenderKeyArn?: string;
}

/** Each setting and the environment key it becomes. */
export const SETTING_KEYS = {
  allowedEmailDomains: "ALLOWED_EMAIL_DOMAINS",
  blockedEmailDomains: "BLOCKED_EMAIL_DOMAINS",
  autoConfirm: "AUTO_CONFIRM",
  federatedUnverifiedEmail: "FEDERATED_UNVERIFIED_EMAIL",
  defaultLocale: "DEFAULT_LOCALE",
  appName: "APP_NAME",
  customEmail: "CUSTOM_EMAIL",
  ipAllowlist: "IP_ALLOWLIST",
  ipTrustedClientIds: "IP_TRUSTED_CLIENT_IDS",
  ipUntrustedClientPolicy: "IP_UNTRUSTED_CLIENT_POLICY",
  auditRetentionDays: "AUDIT_RETENTION_DAYS",
  auditFailureMode: "AUDIT_FAILURE_MODE",
  claimsConfig: "CLAIMS_CONFIG",
  welcomeEmailFrom: "WELCOME_EMAIL_FROM",
  userPoolAliasAttributes: "USER_POOL_ALIAS_ATTRIBUTES",
  legacyStandinHash: "LEGACY_STANDIN_HASH",
  migrationMaxFailedAttempts: "MIGRATION_MAX_FAILED_ATTEMPTS",
  migrationLockMinutes: "MIGRATION_LOCK_MINUTES",
  federationAttributeMap: "FEDERATION_ATTRIBUTE_MAP",
  federationEmailVerified: "FEDERATION_EMAIL_VERIFIED",
  customSenderEmailFrom: "CUSTOM_SENDER_EMAIL_FROM",
} as const satisfies Record<keyof TriggerSuiteSettings, string>;

/** The construct's props the values of SuiteResources come from, to name them in a problem. */
const RESOURCE_KEYS: Readonly<Record<string, string>> = {
  AUDIT_TABLE_NAME: "auditTable",
  LEGACY_USERS_TABLE_NAME: "legacyUsersTable",
  CUSTOM_SENDER_KMS_KEY_ARN: "customSenders.kmsKey",
};

/**
 * The keys each handler reads (from its own spec). A function gets no other configuration, so that a
 * setting reaches only the code that needs it.
 */
export const TRIGGER_KEYS: Readonly<Record<TriggerName, readonly string[]>> = Object.fromEntries(
  (Object.keys(TRIGGERS) as TriggerName[]).map((trigger) => [trigger, handlerKeys(trigger)]),
) as Record<TriggerName, string[]>;

/** The triggers every deployment attaches (the optional ones only when asked). */
export const CORE_TRIGGERS: readonly CoreTriggerName[] = (Object.keys(TRIGGERS) as TriggerName[]).filter(
  (trigger): trigger is CoreTriggerName => !isOptionalTrigger(trigger),
);

/** Lambda refuses a function whose environment (keys and values) exceeds 4 KB. */
const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;

/**
 * Stands in for a key ARN that is a CDK token (a key created in the same deployment) when the settings
 * are checked: the parser then checks the rest, and CloudFormation fills in the real ARN.
 */
const KEY_ARN_CHECKED_AT_DEPLOY = "arn:aws:kms:us-east-1:111122223333:key/filled-in-by-cloudformation";

export class InvalidSettingsError extends Error {
  override readonly name = "InvalidSettingsError";
  constructor(
    scope: string,
    readonly problems: readonly string[],
  ) {
    super(`${scope}: invalid settings:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** The whole configuration as environment strings (tokens stay tokens; unset settings are absent). */
export function settingsEnvironment(settings: TriggerSuiteSettings, resources: SuiteResources): Env {
  const env: Record<string, string> = {
    AUDIT_TABLE_NAME: resources.auditTableName,
    LEGACY_USERS_TABLE_NAME: resources.legacyUsersTableName,
  };
  if (resources.customSenderKeyArn !== undefined) {
    env.CUSTOM_SENDER_KMS_KEY_ARN = resources.customSenderKeyArn;
  }
  for (const [setting, key] of Object.entries(SETTING_KEYS)) {
    const value = settings[setting as keyof TriggerSuiteSettings];
    // An empty list means the same as an unset key to every handler; leave it out.
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    env[key] = asEnvironmentValue(value, key);
  }
  return env;
}

/** The environment of one trigger's function: only the keys its handler reads. */
export function environmentOf(trigger: TriggerName, env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of TRIGGER_KEYS[trigger]) {
    const value = env[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * Reads the environment of each function that is deployed (`deployed`: the seven core triggers unless
 * told otherwise) exactly as its handler will at cold start and returns one line per problem (empty
 * when the settings are valid). A setting only a function that is not deployed reads is not required
 * (nor checked: see ignoredSettings). List items that are CDK tokens (ids of resources not created yet)
 * are left out of the check; the literal items are still checked. A key ARN that is a token passes for
 * a key ARN.
 */
export function validateSettings(
  settings: TriggerSuiteSettings,
  resources: SuiteResources,
  deployed: readonly TriggerName[] = CORE_TRIGGERS,
): string[] {
  const problems = new Set<string>();
  const settingOf = new Map<string, string>([
    ...Object.entries(SETTING_KEYS).map(([s, k]): [string, string] => [k, s]),
    ...Object.entries(RESOURCE_KEYS),
  ]);
  const checkable = settingsEnvironment(checkableSettings(settings), checkableResources(resources));
  const env = settingsEnvironment(settings, resources);
  for (const trigger of deployed) {
    for (const { key, reason } of handlerConfigProblems(trigger, environmentOf(trigger, checkable))) {
      const setting = settingOf.get(key);
      problems.add(setting ? `${setting} (${key}) ${reason}` : `${key} ${reason}`);
    }
    const size = environmentBytes(environmentOf(trigger, env));
    if (size > LAMBDA_ENVIRONMENT_LIMIT_BYTES) {
      problems.add(
        `the ${trigger} function's environment would be ${size} bytes; Lambda allows ${LAMBDA_ENVIRONMENT_LIMIT_BYTES}`,
      );
    }
  }
  return [...problems];
}

/** A setting that was given but that no deployed function reads, and the triggers that would read it. */
export interface IgnoredSetting {
  readonly setting: keyof TriggerSuiteSettings;
  readonly readers: readonly TriggerName[];
}

/**
 * The settings that were given but that no deployed function reads (e.g. customSenderEmailFrom without
 * the custom email sender). They configure nothing.
 */
export function ignoredSettings(
  settings: TriggerSuiteSettings,
  deployed: readonly TriggerName[],
): IgnoredSetting[] {
  const ignored: IgnoredSetting[] = [];
  for (const [setting, key] of Object.entries(SETTING_KEYS) as [keyof TriggerSuiteSettings, string][]) {
    if (settings[setting] === undefined) continue;
    const readers = (Object.keys(TRIGGER_KEYS) as TriggerName[]).filter((trigger) =>
      TRIGGER_KEYS[trigger].includes(key),
    );
    if (!readers.some((trigger) => deployed.includes(trigger))) ignored.push({ setting, readers });
  }
  return ignored;
}

function checkableResources(resources: SuiteResources): SuiteResources {
  const keyArn = resources.customSenderKeyArn;
  return keyArn !== undefined && Token.isUnresolved(keyArn)
    ? { ...resources, customSenderKeyArn: KEY_ARN_CHECKED_AT_DEPLOY }
    : resources;
}

/** List items that are tokens are dropped for checking: the literal items are still checked. */
function checkableSettings(settings: TriggerSuiteSettings): TriggerSuiteSettings {
  return Object.fromEntries(
    Object.entries(settings).map(([key, value]) => [
      key,
      Array.isArray(value) ? value.filter((item) => !Token.isUnresolved(item)) : value,
    ]),
  ) as unknown as TriggerSuiteSettings;
}

function asEnvironmentValue(value: unknown, key: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "boolean" || typeof value === "number") return String(value);
  if (Array.isArray(value)) {
    if (value.some((item) => typeof item !== "string"))
      throw new TypeError(`${key}: list items must be strings`);
    return value.join(",");
  }
  return JSON.stringify(value);
}

function environmentBytes(env: Record<string, string>): number {
  return Object.entries(env).reduce(
    (sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value),
    0,
  );
}
