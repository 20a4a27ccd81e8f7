/**
 * What the bench measures and its budgets, each on the path most requests take.
 *
 * Cold-start ratios are judged against the baseline that does the same unavoidable work with nothing
 * of the suite: the empty handler for handlers that make no AWS call on that path, and bare SDK
 * clients making the same AWS calls (and, for a migration sign-in, the same bcrypt verification; for
 * the custom senders, the same AWS Encryption SDK decryption) for the handlers that always call AWS.
 * Every row also shows its ratio to the empty handler and to the bare PutItem client.
 */

import type { TriggerName } from "../triggers/lib/events.ts";
import type { BaselineName } from "./build.ts";

export interface ColdCase {
  /** Stable key in results.json. */
  id: string;
  label: string;
  bundle: { trigger: TriggerName } | { baseline: BaselineName };
  /** `<trigger>/<case>` under events/; its `env` configures the run. */
  sample: string;
  /** How the run must end: anything else means the bench measured a different path. */
  expect: { outcome: "returned" | "threw"; requests: string[] };
  budget?: { against: string; maxRatio: number };
  /** A new user per run (the once-only welcome claim would otherwise turn later runs into retries). */
  freshUser?: boolean;
  /** Legacy users as the fixture has them before each run (a first migration each time). */
  resetLegacyUsers?: boolean;
}

export const EMPTY = "empty";
export const BARE_SDK = "bare-sdk";

const PUT = "dynamodb.PutItem";
const MIGRATION_CALLS = ["dynamodb.GetItem", "dynamodb.UpdateItem", PUT];
const DECRYPT = "kms.Decrypt";
// Query-protocol services are counted on the wire by service alone (runners/aws-requests.ts).
const SEND_EMAIL = "ses.request";
const PUBLISH = "sns.request";

export const NO_AWS_COLD_START_MAX = 1.15;
export const AWS_COLD_START_MAX = 1.1;
export const NO_AWS_SIZE_MAX_BYTES = 25_000;
export const WARM_P99_MAX_MS = 0.1;
export const THROUGHPUT_MIN_RATIO = 0.9;

export const COLD_CASES: ColdCase[] = [
  {
    id: EMPTY,
    label: "empty handler",
    bundle: { baseline: "empty" },
    sample: "pre-sign-up/sign-up-allowed",
    expect: { outcome: "returned", requests: [] },
  },
  {
    id: BARE_SDK,
    label: "bare SDK: PutItem",
    bundle: { baseline: "bare-put-item" },
    sample: "post-authentication/sign-in",
    expect: { outcome: "returned", requests: [PUT] },
  },
  {
    id: "bare-sdk-ses",
    label: "bare SDK: PutItem + SendEmail",
    bundle: { baseline: "bare-put-item-and-send-email" },
    sample: "post-confirmation/confirm-sign-up",
    expect: { outcome: "returned", requests: [PUT, "ses.request"] },
    freshUser: true,
  },
  {
    id: "bare-migration-sign-in",
    label: "bare SDK: Get + bcrypt + Update + Put",
    bundle: { baseline: "bare-migration" },
    sample: "user-migration/authentication",
    expect: { outcome: "returned", requests: MIGRATION_CALLS },
    resetLegacyUsers: true,
  },
  {
    id: "bare-migration-forgot-password",
    label: "bare SDK: Get + Update + Put",
    bundle: { baseline: "bare-migration" },
    sample: "user-migration/forgot-password",
    expect: { outcome: "returned", requests: MIGRATION_CALLS },
    resetLegacyUsers: true,
  },
  {
    id: "bare-decrypt-send-email",
    label: "bare SDK: Encryption SDK decrypt + SendEmail",
    bundle: { baseline: "bare-decrypt-and-send-email" },
    sample: "custom-email-sender/sign-up",
    expect: { outcome: "returned", requests: [DECRYPT, SEND_EMAIL] },
  },
  {
    // No budget: the Encryption SDK's own share, seen against the row above.
    id: "bare-kms-decrypt-send-email",
    label: "bare SDK: KMS Decrypt + SendEmail (no Encryption SDK)",
    bundle: { baseline: "bare-kms-decrypt-and-send-email" },
    sample: "custom-email-sender/sign-up",
    expect: { outcome: "returned", requests: [DECRYPT, SEND_EMAIL] },
  },
  {
    id: "bare-decrypt-publish",
    label: "bare SDK: Encryption SDK decrypt + Publish",
    bundle: { baseline: "bare-decrypt-and-publish" },
    sample: "custom-sms-sender/sign-up",
    expect: { outcome: "returned", requests: [DECRYPT, PUBLISH] },
  },
  {
    id: "custom-message",
    label: "custom message (sign-up code)",
    bundle: { trigger: "custom-message" },
    sample: "custom-message/sign-up",
    expect: { outcome: "returned", requests: [] },
    budget: { against: EMPTY, maxRatio: NO_AWS_COLD_START_MAX },
  },
  {
    id: "pre-token-generation",
    label: "pre token generation (V2)",
    bundle: { trigger: "pre-token-generation" },
    sample: "pre-token-generation/authentication-v2",
    expect: { outcome: "returned", requests: [] },
    budget: { against: EMPTY, maxRatio: NO_AWS_COLD_START_MAX },
  },
  {
    id: "pre-sign-up",
    label: "pre sign-up (allowed)",
    bundle: { trigger: "pre-sign-up" },
    sample: "pre-sign-up/sign-up-allowed",
    expect: { outcome: "returned", requests: [] },
    budget: { against: EMPTY, maxRatio: NO_AWS_COLD_START_MAX },
  },
  {
    id: "pre-authentication",
    label: "pre authentication (allowed)",
    bundle: { trigger: "pre-authentication" },
    sample: "pre-authentication/allowed-ipv4-trusted-client",
    expect: { outcome: "returned", requests: [] },
    budget: { against: EMPTY, maxRatio: NO_AWS_COLD_START_MAX },
  },
  {
    id: "post-authentication",
    label: "post authentication",
    bundle: { trigger: "post-authentication" },
    sample: "post-authentication/sign-in",
    expect: { outcome: "returned", requests: [PUT] },
    budget: { against: BARE_SDK, maxRatio: AWS_COLD_START_MAX },
  },
  {
    id: "post-confirmation",
    label: "post confirmation (welcome email)",
    bundle: { trigger: "post-confirmation" },
    sample: "post-confirmation/confirm-sign-up",
    expect: { outcome: "returned", requests: [PUT, "ses.request"] },
    budget: { against: "bare-sdk-ses", maxRatio: AWS_COLD_START_MAX },
    freshUser: true,
  },
  {
    id: "user-migration-sign-in",
    label: "user migration (sign-in, bcrypt)",
    bundle: { trigger: "user-migration" },
    sample: "user-migration/authentication",
    expect: { outcome: "returned", requests: MIGRATION_CALLS },
    budget: { against: "bare-migration-sign-in", maxRatio: AWS_COLD_START_MAX },
    resetLegacyUsers: true,
  },
  {
    id: "user-migration-forgot-password",
    label: "user migration (forgot password)",
    bundle: { trigger: "user-migration" },
    sample: "user-migration/forgot-password",
    expect: { outcome: "returned", requests: MIGRATION_CALLS },
    budget: { against: "bare-migration-forgot-password", maxRatio: AWS_COLD_START_MAX },
    resetLegacyUsers: true,
  },
  {
    id: "inbound-federation",
    label: "inbound federation (allowed)",
    bundle: { trigger: "inbound-federation" },
    sample: "inbound-federation/oidc-google-allowed",
    expect: { outcome: "returned", requests: [] },
    budget: { against: EMPTY, maxRatio: NO_AWS_COLD_START_MAX },
  },
  {
    id: "custom-email-sender",
    label: "custom email sender (sign-up code)",
    bundle: { trigger: "custom-email-sender" },
    sample: "custom-email-sender/sign-up",
    expect: { outcome: "returned", requests: [DECRYPT, SEND_EMAIL] },
    budget: { against: "bare-decrypt-send-email", maxRatio: AWS_COLD_START_MAX },
  },
  {
    id: "custom-sms-sender",
    label: "custom SMS sender (sign-up code)",
    bundle: { trigger: "custom-sms-sender" },
    sample: "custom-sms-sender/sign-up",
    expect: { outcome: "returned", requests: [DECRYPT, PUBLISH] },
    budget: { against: "bare-decrypt-publish", maxRatio: AWS_COLD_START_MAX },
  },
  {
    id: "pre-sign-up-refused",
    label: "pre sign-up (refused, audited)",
    bundle: { trigger: "pre-sign-up" },
    sample: "pre-sign-up/sign-up-refused-blocked-domain",
    expect: { outcome: "threw", requests: [PUT] },
  },
  {
    id: "pre-authentication-denied",
    label: "pre authentication (denied, audited)",
    bundle: { trigger: "pre-authentication" },
    sample: "pre-authentication/ip-not-in-list",
    expect: { outcome: "threw", requests: [PUT] },
  },
  {
    id: "inbound-federation-refused",
    label: "inbound federation (refused, audited)",
    bundle: { trigger: "inbound-federation" },
    sample: "inbound-federation/blocked-domain-refused",
    expect: { outcome: "threw", requests: [PUT] },
  },
];

/** Samples whose path verifies a password hash (every migration sign-in, the dummy verification too). */
export function hashes(trigger: TriggerName, event: Record<string, unknown>): boolean {
  return trigger === "user-migration" && event.triggerSource === "UserMigration_Authentication";
}

/** Samples replayed warm as a new user each time: see ColdCase.freshUser. */
export function needsFreshUser(trigger: TriggerName, event: Record<string, unknown>): boolean {
  return trigger === "post-confirmation" && event.triggerSource === "PostConfirmation_ConfirmSignUp";
}

/** Handlers measured for size against NO_AWS_SIZE_MAX_BYTES: they never call AWS. */
export const NO_AWS_TRIGGERS: TriggerName[] = ["custom-message", "pre-token-generation"];
