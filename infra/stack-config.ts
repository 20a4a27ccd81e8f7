/**
 * The deployment configuration file of the CDK app (docs/deploying.md): a JSON object with the
 * suite's settings (the configuration contract, camelCased) and the few choices that belong to the stack
 * (pool email, feature plan, MFA, alarms, the optional triggers). Its shape is checked here with
 * messages that name the file and the field; the settings' values are then checked by the construct with
 * the handlers' parsers.
 */
import { readFileSync } from "node:fs";
import type { TriggerSuiteSettings } from "./settings.ts";
import { SETTING_KEYS } from "./settings.ts";

export interface PoolEmailConfig {
  /** A verified SES identity (the address, or an address of a verified domain). */
  readonly from: string;
  readonly fromName?: string;
  readonly replyTo?: string;
  /** When SES is in another region than the pool. */
  readonly sesRegion?: string;
  /** When the domain, not the address, is the verified identity. */
  readonly verifiedDomain?: string;
}

/** Which custom senders to attach (CognitoTriggerSuite's customSenders, with a key the stack creates). */
export interface CustomSendersConfig {
  readonly email: boolean;
  readonly sms: boolean;
}

export interface StackConfig {
  readonly stackName: string;
  /**
   * Attach to this existing pool (created elsewhere) instead of creating one: no pool or clients are
   * created, and email, featurePlan, mfa and mfaFactors do not apply.
   */
  readonly existingUserPoolId?: string;
  /**
   * With existingUserPoolId: replace triggers the pool already has under the suite's keys (restored
   * when the suite's triggers are removed). Default false: such a pool is refused at deploy time.
   */
  readonly replaceExistingTriggers?: boolean;
  /**
   * With existingUserPoolId: the IAM role the pool sends SMS with (SmsConfiguration.SnsCallerArn), which
   * writing the pool back passes (iam:PassRole).
   */
  readonly smsRoleArn?: string;
  /**
   * Put an AWS WAF web ACL holding settings.ipAllowlist on the pool. false only when the pool already
   * has a web ACL that enforces the list (a pool takes one web ACL). Default true.
   */
  readonly ipAllowlistWebAcl?: boolean;
  readonly settings: TriggerSuiteSettings;
  /** Present: the pool sends through SES (DEVELOPER) from this address, and CUSTOM_EMAIL defaults to true. */
  readonly email?: PoolEmailConfig;
  readonly featurePlan: "ESSENTIALS" | "PLUS";
  /**
   * PLUS only: what threat protection does with risky sign-ins. AUDIT (default) records and scores
   * them (visible in the console and CloudWatch) without acting; ENFORCED also blocks or challenges
   * them as configured. Audit first, then enforce once the findings are understood.
   */
  readonly threatProtection?: "AUDIT" | "ENFORCED";
  /** REQUIRED (default): every user enrols a second factor; OPTIONAL: users choose. */
  readonly mfa: "REQUIRED" | "OPTIONAL";
  /**
   * The second factors the pool offers: TOTP (an authenticator app; the default) and SMS (a code texted
   * to the user's phone_number through Amazon SNS, with a role the stack creates). Each at most once.
   */
  readonly mfaFactors: readonly MfaFactor[];
  readonly preTokenGenerationVersion: "V1_0" | "V2_0" | "V3_0";
  /** An existing legacy directory table; unset: the stack creates an empty one. */
  readonly legacyUsersTableName?: string;
  /** An existing SNS topic for the alarms, or an address to subscribe to a topic the stack creates. */
  readonly alarmTopicArn?: string;
  readonly alarmEmail?: string;
  readonly logLevel: "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR" | "FATAL";
  readonly logRetentionDays: number;
  /**
   * Attach the inbound federation trigger (default false). Cognito calls it only for sign-ins through a
   * federated identity provider, which the stack's own pool does not have: it is for existingUserPoolId,
   * or for providers added to the pool outside the stack.
   */
  readonly inboundFederation: boolean;
  /**
   * Attach the custom email and/or SMS sender (default neither), with a KMS key the stack creates. The
   * email sender needs settings.customSenderEmailFrom; the SMS sender, on the stack's own pool, SMS in
   * mfaFactors (the pool texts nothing else).
   */
  readonly customSenders?: CustomSendersConfig;
}

export const DEFAULT_STACK_NAME = "CognitoTriggerSuite";

export const MFA_FACTORS = ["TOTP", "SMS"] as const;
export type MfaFactor = (typeof MFA_FACTORS)[number];

export class StackConfigError extends Error {
  override readonly name = "StackConfigError";
}

export function loadStackConfig(path: string): StackConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new StackConfigError(`${path}: cannot read the configuration file (${(error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StackConfigError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  return parseStackConfig(value, path);
}

/** Checks the shape of a parsed configuration; every problem is reported at once. */
export function parseStackConfig(value: unknown, source: string): StackConfig {
  const problems: string[] = [];
  const top = record(value, "the configuration", problems) ?? {};
  onlyKeys(
    top,
    [
      "stackName",
      "existingUserPoolId",
      "replaceExistingTriggers",
      "smsRoleArn",
      "ipAllowlistWebAcl",
      "threatProtection",
      "settings",
      "email",
      "featurePlan",
      "mfa",
      "mfaFactors",
      "preTokenGenerationVersion",
      "legacyUsersTableName",
      "alarmTopicArn",
      "alarmEmail",
      "logLevel",
      "logRetentionDays",
      "inboundFederation",
      "customSenders",
    ],
    "",
    problems,
  );

  const settingsIn = record(top.settings, "settings", problems) ?? {};
  onlyKeys(settingsIn, Object.keys(SETTING_KEYS), "settings.", problems);
  const settings = {
    allowedEmailDomains:
      stringList(settingsIn.allowedEmailDomains, "settings.allowedEmailDomains", problems) ?? [],
    blockedEmailDomains: stringList(settingsIn.blockedEmailDomains, "settings.blockedEmailDomains", problems),
    autoConfirm: boolean(settingsIn.autoConfirm, "settings.autoConfirm", problems),
    federatedUnverifiedEmail: choice(
      settingsIn.federatedUnverifiedEmail,
      ["deny", "allow"] as const,
      "settings.federatedUnverifiedEmail",
      problems,
    ),
    defaultLocale: choice(
      settingsIn.defaultLocale,
      ["en", "ja"] as const,
      "settings.defaultLocale",
      problems,
    ),
    appName: text(settingsIn.appName, "settings.appName", problems) ?? "",
    customEmail: boolean(settingsIn.customEmail, "settings.customEmail", problems),
    ipAllowlist: stringList(settingsIn.ipAllowlist, "settings.ipAllowlist", problems),
    ipTrustedClientIds: stringList(settingsIn.ipTrustedClientIds, "settings.ipTrustedClientIds", problems),
    ipUntrustedClientPolicy: choice(
      settingsIn.ipUntrustedClientPolicy,
      ["deny", "allow"] as const,
      "settings.ipUntrustedClientPolicy",
      problems,
    ),
    auditRetentionDays: wholeNumber(settingsIn.auditRetentionDays, "settings.auditRetentionDays", problems),
    auditFailureMode: choice(
      settingsIn.auditFailureMode,
      ["open", "closed"] as const,
      "settings.auditFailureMode",
      problems,
    ),
    claimsConfig: settingsIn.claimsConfig,
    welcomeEmailFrom: text(settingsIn.welcomeEmailFrom, "settings.welcomeEmailFrom", problems),
    userPoolAliasAttributes: stringList(
      settingsIn.userPoolAliasAttributes,
      "settings.userPoolAliasAttributes",
      problems,
    ),
    legacyStandinHash: text(settingsIn.legacyStandinHash, "settings.legacyStandinHash", problems),
    migrationMaxFailedAttempts: wholeNumber(
      settingsIn.migrationMaxFailedAttempts,
      "settings.migrationMaxFailedAttempts",
      problems,
    ),
    migrationLockMinutes: wholeNumber(
      settingsIn.migrationLockMinutes,
      "settings.migrationLockMinutes",
      problems,
    ),
    federationAttributeMap: settingsIn.federationAttributeMap,
    federationEmailVerified: choice(
      settingsIn.federationEmailVerified,
      ["honour", "never"] as const,
      "settings.federationEmailVerified",
      problems,
    ),
    customSenderEmailFrom: text(settingsIn.customSenderEmailFrom, "settings.customSenderEmailFrom", problems),
    // Every setting the construct takes is read here: a new one cannot be accepted and silently dropped.
  } satisfies TriggerSuiteSettings & Record<keyof TriggerSuiteSettings, unknown>;
  if (settingsIn.appName === undefined) problems.push("settings.appName is required");
  if (settingsIn.allowedEmailDomains === undefined) problems.push("settings.allowedEmailDomains is required");

  let email: PoolEmailConfig | undefined;
  if (top.email !== undefined) {
    const emailIn = record(top.email, "email", problems) ?? {};
    onlyKeys(emailIn, ["from", "fromName", "replyTo", "sesRegion", "verifiedDomain"], "email.", problems);
    const from = text(emailIn.from, "email.from", problems);
    if (from === undefined) problems.push("email.from is required when email is set");
    email = {
      from: from ?? "",
      fromName: text(emailIn.fromName, "email.fromName", problems),
      replyTo: text(emailIn.replyTo, "email.replyTo", problems),
      sesRegion: text(emailIn.sesRegion, "email.sesRegion", problems),
      verifiedDomain: text(emailIn.verifiedDomain, "email.verifiedDomain", problems),
    };
  }

  const existingUserPoolId = text(top.existingUserPoolId, "existingUserPoolId", problems);
  if (existingUserPoolId !== undefined) {
    if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(existingUserPoolId)) {
      problems.push(
        `existingUserPoolId ${JSON.stringify(existingUserPoolId)} is not a user pool id (region_id)`,
      );
    }
    for (const key of ["email", "featurePlan", "mfa", "mfaFactors", "threatProtection"]) {
      if (top[key] !== undefined) {
        problems.push(`${key} describes the pool the stack creates; with existingUserPoolId there is none`);
      }
    }
  } else {
    for (const key of ["replaceExistingTriggers", "smsRoleArn", "userPoolAliasAttributes"]) {
      const value = key === "userPoolAliasAttributes" ? settingsIn[key] : top[key];
      if (value !== undefined) {
        problems.push(
          `${key === "userPoolAliasAttributes" ? "settings." : ""}${key} applies only with existingUserPoolId (the stack's own pool is read directly)`,
        );
      }
    }
  }
  const customSenders = customSendersConfig(top.customSenders, problems);
  const smsRoleArn = text(top.smsRoleArn, "smsRoleArn", problems);
  if (smsRoleArn !== undefined && !/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/.test(smsRoleArn)) {
    problems.push(`smsRoleArn ${JSON.stringify(smsRoleArn)} is not an IAM role ARN`);
  }
  const config: StackConfig = {
    stackName: text(top.stackName, "stackName", problems) ?? DEFAULT_STACK_NAME,
    existingUserPoolId,
    replaceExistingTriggers: boolean(top.replaceExistingTriggers, "replaceExistingTriggers", problems),
    smsRoleArn,
    ipAllowlistWebAcl: boolean(top.ipAllowlistWebAcl, "ipAllowlistWebAcl", problems),
    settings,
    email,
    featurePlan:
      choice(top.featurePlan, ["ESSENTIALS", "PLUS"] as const, "featurePlan", problems) ?? "ESSENTIALS",
    threatProtection: choice(
      top.threatProtection,
      ["AUDIT", "ENFORCED"] as const,
      "threatProtection",
      problems,
    ),
    mfa: choice(top.mfa, ["REQUIRED", "OPTIONAL"] as const, "mfa", problems) ?? "REQUIRED",
    mfaFactors: mfaFactors(top.mfaFactors, problems) ?? ["TOTP"],
    preTokenGenerationVersion:
      choice(
        top.preTokenGenerationVersion,
        ["V1_0", "V2_0", "V3_0"] as const,
        "preTokenGenerationVersion",
        problems,
      ) ?? "V2_0",
    legacyUsersTableName: text(top.legacyUsersTableName, "legacyUsersTableName", problems),
    alarmTopicArn: text(top.alarmTopicArn, "alarmTopicArn", problems),
    alarmEmail: text(top.alarmEmail, "alarmEmail", problems),
    logLevel:
      choice(
        top.logLevel,
        ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"] as const,
        "logLevel",
        problems,
      ) ?? "INFO",
    logRetentionDays: wholeNumber(top.logRetentionDays, "logRetentionDays", problems) ?? 400,
    inboundFederation: boolean(top.inboundFederation, "inboundFederation", problems) ?? false,
    customSenders,
  };
  if (customSenders?.sms && !existingUserPoolId && !config.mfaFactors.includes("SMS")) {
    problems.push(
      'customSenders.sms: the stack\'s pool texts only SMS MFA codes, and mfaFactors has no "SMS": the SMS sender would never be called; add "SMS" to mfaFactors or leave customSenders.sms off',
    );
  }
  if (config.threatProtection !== undefined && config.featurePlan !== "PLUS" && !existingUserPoolId) {
    problems.push('threatProtection needs featurePlan "PLUS" (threat protection is a PLUS feature)');
  }
  if (config.alarmTopicArn !== undefined && config.alarmEmail !== undefined) {
    problems.push("alarmTopicArn and alarmEmail are exclusive: the alarms go to one topic");
  }
  if (problems.length > 0) {
    throw new StackConfigError(
      `${source}: invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
  return config;
}

function record(value: unknown, where: string, problems: string[]): Record<string, unknown> | undefined {
  if (typeof value === "object" && value !== null && !Array.isArray(value))
    return value as Record<string, unknown>;
  problems.push(`${where} must be a JSON object`);
  return undefined;
}

function onlyKeys(
  value: Record<string, unknown>,
  known: readonly string[],
  prefix: string,
  problems: string[],
) {
  for (const key of Object.keys(value)) {
    if (!known.includes(key))
      problems.push(`${prefix}${key} is not a known setting (known: ${known.join(", ")})`);
  }
}

function text(value: unknown, where: string, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  problems.push(`${where} must be a non-empty string`);
  return undefined;
}

function boolean(value: unknown, where: string, problems: string[]): boolean | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  problems.push(`${where} must be true or false`);
  return undefined;
}

function wholeNumber(value: unknown, where: string, problems: string[]): number | undefined {
  if (value === undefined || Number.isSafeInteger(value)) return value as number | undefined;
  problems.push(`${where} must be a whole number`);
  return undefined;
}

function stringList(value: unknown, where: string, problems: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value as string[];
  problems.push(`${where} must be a list of strings`);
  return undefined;
}

/** `{ "email": boolean, "sms": boolean }`, each false when left out. */
function customSendersConfig(value: unknown, problems: string[]): CustomSendersConfig | undefined {
  if (value === undefined) return undefined;
  const senders = record(value, "customSenders", problems);
  if (!senders) return undefined;
  onlyKeys(senders, ["email", "sms"], "customSenders.", problems);
  return {
    email: boolean(senders.email, "customSenders.email", problems) ?? false,
    sms: boolean(senders.sms, "customSenders.sms", problems) ?? false,
  };
}

/** A non-empty list of distinct factors; order carries no meaning (the user picks at sign-in). */
function mfaFactors(value: unknown, problems: string[]): MfaFactor[] | undefined {
  if (value === undefined) return undefined;
  const expected = `mfaFactors must be a non-empty list of distinct factors from ${MFA_FACTORS.join(", ")} (e.g. ["SMS", "TOTP"]), got ${JSON.stringify(value)}`;
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((item) => (MFA_FACTORS as readonly unknown[]).includes(item)) ||
    new Set(value).size !== value.length
  ) {
    problems.push(expected);
    return undefined;
  }
  return value as MfaFactor[];
}

function choice<const T extends string>(
  value: unknown,
  choices: readonly T[],
  where: string,
  problems: string[],
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" && (choices as readonly string[]).includes(value)) return value as T;
  problems.push(`${where} must be one of ${choices.join(", ")}, got ${JSON.stringify(value)}`);
  return undefined;
}
