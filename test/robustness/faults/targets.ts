/**
 * Every side effect a handler has, as a fault-injection target: which call fails, what the handler
 * promises when it does, and which audit records must then be on the audit_fallback log line (whole,
 * field for field) or in the table. One table drives every fault file.
 *
 * The custom senders' promise (lib/custom-sender/delivery.ts, failure.ts): Cognito invokes them
 * asynchronously, so a failure another attempt can cure (throttled, no answer, a dropped connection,
 * no answer in time) records MESSAGE_SEND_FAILED and answers with the generic error, which makes Lambda
 * retry; one that would fail the same way again (access denied) records it and returns the event.
 * Nothing is sent either way.
 */

import { FEDERATION_REFUSED_MESSAGE } from "../../../triggers/inbound-federation/trigger.ts";
import type { AuditEntry } from "../../../triggers/lib/audit/record.ts";
import type { Env } from "../../../triggers/lib/config.ts";
import { GENERIC_USER_MESSAGE } from "../../../triggers/lib/errors.ts";
import type { TriggerEvent, TriggerName } from "../../../triggers/lib/events.ts";
import { SIGN_IN_DENIED_MESSAGE } from "../../../triggers/pre-authentication/denial.ts";
import { SIGN_UP_REFUSED_MESSAGE } from "../../../triggers/pre-sign-up/trigger.ts";
import type { Fault, FaultRule } from "../../support/fault-proxy.ts";
import { sampleEvent, sampleExpectation } from "../../support/samples.ts";
import { plantedCodeUnder } from "../hostile/planted-codes.ts";

/** The faults of the fault files: a closed port, or a proxy fault on one call. */
export type FaultKind = "unreachable" | Fault;

/** The tables, email address and phone number of one target, so that targets sharing an endpoint never meet. */
export interface Names {
  auditTable: string;
  legacyTable: string;
  recipient: string;
  /** E.164, one of the 555-01xx numbers set aside for fiction, one per target. */
  phone: string;
}

export function namesOf(slug: string): Names {
  const index = FAULT_TARGETS.findIndex((t) => t.slug === slug);
  return {
    auditTable: `${slug}-audit`,
    legacyTable: `${slug}-legacy`,
    recipient: `${slug}@example.com`,
    phone: `+1206555${String(100 + Math.max(index, 0)).padStart(4, "0")}`,
  };
}

/** The AWS services the fault files put a fault in front of. */
export type Service = "dynamodb" | "ses" | "kms" | "sns" | "cognito";

/** What must be true after the handler met the fault. */
export interface Promised {
  /** "event": the event comes back unchanged; "migrated": the migration sample's expected result. */
  answer: { returns: "event" | "migrated" } | { error: string };
  /** Records on audit_fallback lines, in order (what a healthy run would have written). */
  fallback: Omit<AuditEntry, "requestId">[];
  /** Records that must reach the table despite the fault (event and reason). */
  written: { event: string; reason?: string }[];
  /** Emails (welcome emails, custom sender messages) delivered to the target's recipient. */
  emails: number;
  /** Text messages delivered to the target's phone number. */
  texts?: number;
  /** Whether the legacy record ends up marked migrated. */
  migrated?: boolean;
}

export interface FaultTarget {
  id: string;
  slug: string;
  trigger: TriggerName;
  /**
   * Which fault files run it: "service" only unreachable.test.ts (the whole service is out), "call" only
   * the proxy faults (one call fails, the rest works), "both" every file.
   */
  scope: "service" | "call" | "both";
  event(names: Names): TriggerEvent;
  env(names: Names): Env;
  /** The calls that fail, for proxy faults, by service. */
  rules?(names: Names): Partial<Record<Service, Omit<FaultRule, "fault">>>;
  /** Which service's error the handler should have seen, for the wire-format checks. */
  service?: Service;
  promise(fault: FaultKind): Promised;
}

/** The fields every record takes from the event. */
function about(event: TriggerEvent) {
  return {
    triggerSource: event.triggerSource,
    userPoolId: event.userPoolId,
    clientId: event.callerContext.clientId,
    userName: event.userName,
  };
}

function withTables(sample: string, names: Names, extra: Env = {}): Env {
  const env: Record<string, string | undefined> = { ...sampleExpectation(sample).env, ...extra };
  env.AUDIT_TABLE_NAME = names.auditTable;
  if (env.LEGACY_USERS_TABLE_NAME) env.LEGACY_USERS_TABLE_NAME = names.legacyTable;
  return env;
}

const PRE_SIGN_UP = "pre-sign-up/sign-up-refused-blocked-domain";
const PRE_AUTH = "pre-authentication/ip-not-in-list";
const POST_AUTH = "post-authentication/sign-in";
const POST_CONFIRMATION = "post-confirmation/confirm-sign-up";
export const MIGRATION = "user-migration/authentication";

/** A confirmed sign-up of a user of the target's own, so that claims and emails are not shared. */
function confirmation(names: Names): TriggerEvent {
  const event = sampleEvent(POST_CONFIRMATION);
  const attributes = event.request.userAttributes as Record<string, string>;
  attributes.email = names.recipient;
  attributes.sub = `sub-${names.recipient}`;
  event.userName = attributes.sub;
  return event;
}

const signUpDenied = (): Promised => {
  const event = sampleEvent(PRE_SIGN_UP);
  return {
    answer: { error: SIGN_UP_REFUSED_MESSAGE },
    fallback: [
      {
        ...about(event),
        event: "SIGN_UP_DENIED",
        outcome: "denied",
        reason: "domain-blocked",
        email: "visitor@guest.example.co.jp",
      },
    ],
    written: [],
    emails: 0,
  };
};

const signIn = (mode: "open" | "closed"): FaultTarget => ({
  id: `post authentication sign-in record (AUDIT_FAILURE_MODE=${mode})`,
  slug: `sign-in-${mode}`,
  trigger: "post-authentication",
  scope: "both",
  event: () => sampleEvent(POST_AUTH),
  env: (names) => withTables(POST_AUTH, names, { AUDIT_FAILURE_MODE: mode }),
  rules: (names) => ({ dynamodb: { operation: "PutItem", table: names.auditTable } }),
  service: "dynamodb",
  promise: () => {
    const event = sampleEvent(POST_AUTH);
    return {
      answer: mode === "open" ? { returns: "event" } : { error: GENERIC_USER_MESSAGE },
      fallback: [
        {
          ...about(event),
          event: "SIGN_IN",
          outcome: "success",
          sub: "0b8e2f4a-9071-7024-a1c3-5d6e7f809a1b",
          email: "alex.morgan@example.com",
          newDeviceUsed: true,
        },
      ],
      written: [],
      emails: 0,
    };
  },
});

const FEDERATION_REFUSED = "inbound-federation/blocked-domain-refused";
const EMAIL_SENDER = "custom-email-sender/sign-up";
const SMS_SENDER = "custom-sms-sender/sign-up";

/**
 * The KMS key of a sender target: each target has its own (the stand-in derives a key's material from
 * its ARN), so that a fault on KMS Decrypt can be put on one target's calls alone.
 */
export function keyArnOf(slug: string): string {
  return `arn:aws:kms:us-east-1:111122223333:key/fault-${slug}`;
}

/** A sender's message for the target's own user, recipient and key. */
function senderEvent(sample: string, slug: string): TriggerEvent {
  const names = namesOf(slug);
  const event = sampleEvent(sample);
  const request = event.request as { code: unknown; userAttributes: Record<string, string> };
  request.code = SENDER_TARGET_CODES.get(slug);
  request.userAttributes.sub = `sub-${names.recipient}`;
  if (request.userAttributes.email !== undefined) request.userAttributes.email = names.recipient;
  if (request.userAttributes.phone_number !== undefined) request.userAttributes.phone_number = names.phone;
  event.userName = request.userAttributes.sub;
  return event;
}

const SENDER_SLUGS = [
  "email-decrypt",
  "email-send",
  "email-record",
  "email-outage",
  "sms-decrypt",
  "sms-send",
  "sms-record",
  "sms-outage",
];
/** PLANTED_CODE under each sender target's key, encrypted as Cognito encrypts it. */
const SENDER_TARGET_CODES = new Map(
  await Promise.all(
    SENDER_SLUGS.map(async (slug) => [slug, await plantedCodeUnder(keyArnOf(slug))] as const),
  ),
);

function senderEnv(sample: string, slug: string): Env {
  return withTables(sample, namesOf(slug), { CUSTOM_SENDER_KMS_KEY_ARN: keyArnOf(slug) });
}

/** The reason a sender records for a call that met `fault`, and whether it then asks Lambda to retry. */
function senderFailure(call: "decrypt" | "send", fault: FaultKind): { reason: string; retried: boolean } {
  if (fault === "access-denied") {
    return { reason: call === "decrypt" ? "decrypt-refused" : "send-refused", retried: false };
  }
  return { reason: fault === "slow" ? `${call}-timeout` : `${call}-failed`, retried: true };
}

/** The MESSAGE_SEND_FAILED record of a sender target, as a healthy audit table would hold it. */
function sendFailedEntry(sample: string, slug: string, reason: string): Omit<AuditEntry, "requestId"> {
  const event = senderEvent(sample, slug);
  const attributes = event.request.userAttributes as Record<string, string>;
  return {
    ...about(event),
    event: "MESSAGE_SEND_FAILED",
    outcome: "failure",
    reason,
    sub: attributes.sub,
    ...(attributes.email === undefined ? {} : { email: attributes.email }),
  };
}

/** A sender whose `call` fails: nothing sent, the failure in the table, a retry asked for when it may help. */
function senderCall(
  channel: "email" | "text",
  call: "decrypt" | "send",
  id: string,
  slug: string,
): FaultTarget {
  const sample = channel === "email" ? EMAIL_SENDER : SMS_SENDER;
  const sendRule = (names: Names) =>
    channel === "email"
      ? { ses: { operation: "SendEmail", recipient: names.recipient } }
      : { sns: { operation: "Publish", recipient: names.phone } };
  return {
    id,
    slug,
    trigger: channel === "email" ? "custom-email-sender" : "custom-sms-sender",
    scope: "call",
    event: () => senderEvent(sample, slug),
    env: () => senderEnv(sample, slug),
    rules: (names) =>
      call === "decrypt" ? { kms: { operation: "Decrypt", keyId: keyArnOf(slug) } } : sendRule(names),
    service: call === "decrypt" ? "kms" : channel === "email" ? "ses" : "sns",
    promise: (fault) => {
      const { reason, retried } = senderFailure(call, fault);
      return {
        answer: retried ? { error: GENERIC_USER_MESSAGE } : { returns: "event" },
        fallback: [],
        written: [{ event: "MESSAGE_SEND_FAILED", reason }],
        emails: 0,
        texts: 0,
      };
    },
  };
}

/**
 * The account-takeover notification for a user the event gives no address for, whose look-up in the
 * pool (Cognito AdminGetUser) fails: nothing sent, the failure in the table, a retry asked for when it
 * may help. The user is the target's own, so that the fault meets this look-up only.
 */
function notificationLookup(id: string, slug: string): FaultTarget {
  const sample = "custom-email-sender/account-takeover-notification";
  const event = () => ({ ...sampleEvent(sample), userName: `${slug}-user` });
  return {
    id,
    slug,
    trigger: "custom-email-sender",
    scope: "call",
    event,
    env: (names) => withTables(sample, names),
    rules: () => ({ cognito: { operation: "AdminGetUser", recipient: `${slug}-user` } }),
    service: "cognito",
    promise: (fault) => {
      const reason =
        fault === "access-denied" ? "lookup-refused" : fault === "slow" ? "lookup-timeout" : "lookup-failed";
      return {
        answer: fault === "access-denied" ? { returns: "event" } : { error: GENERIC_USER_MESSAGE },
        fallback: [],
        written: [{ event: "MESSAGE_SEND_FAILED", reason }],
        emails: 0,
      };
    },
  };
}

/** A sender whose send fails and whose failure record cannot be written either: the record is logged whole. */
function senderFailureRecord(channel: "email" | "text", id: string, slug: string): FaultTarget {
  const sample = channel === "email" ? EMAIL_SENDER : SMS_SENDER;
  return {
    id,
    slug,
    trigger: channel === "email" ? "custom-email-sender" : "custom-sms-sender",
    scope: "call",
    event: () => senderEvent(sample, slug),
    env: () => senderEnv(sample, slug),
    rules: (names) => ({
      dynamodb: { operation: "PutItem", table: names.auditTable },
      ...(channel === "email"
        ? { ses: { operation: "SendEmail", recipient: names.recipient } }
        : { sns: { operation: "Publish", recipient: names.phone } }),
    }),
    service: "dynamodb",
    promise: (fault) => {
      const { reason, retried } = senderFailure("send", fault);
      return {
        answer: retried ? { error: GENERIC_USER_MESSAGE } : { returns: "event" },
        fallback: [sendFailedEntry(sample, slug, reason)],
        written: [],
        emails: 0,
        texts: 0,
      };
    },
  };
}

/** Every service out: KMS cannot be reached, so nothing is sent, and the record goes to the log. */
function senderOutage(channel: "email" | "text", id: string, slug: string): FaultTarget {
  const sample = channel === "email" ? EMAIL_SENDER : SMS_SENDER;
  return {
    id,
    slug,
    trigger: channel === "email" ? "custom-email-sender" : "custom-sms-sender",
    scope: "service",
    event: () => senderEvent(sample, slug),
    env: () => senderEnv(sample, slug),
    promise: () => ({
      answer: { error: GENERIC_USER_MESSAGE },
      fallback: [sendFailedEntry(sample, slug, "decrypt-failed")],
      written: [],
      emails: 0,
      texts: 0,
    }),
  };
}

export const FAULT_TARGETS: FaultTarget[] = [
  {
    id: "pre sign-up refusal record",
    slug: "sign-up-denied",
    trigger: "pre-sign-up",
    scope: "both",
    event: () => sampleEvent(PRE_SIGN_UP),
    env: (names) => withTables(PRE_SIGN_UP, names),
    rules: (names) => ({ dynamodb: { operation: "PutItem", table: names.auditTable } }),
    service: "dynamodb",
    promise: signUpDenied,
  },
  {
    id: "pre authentication denial record",
    slug: "sign-in-denied",
    trigger: "pre-authentication",
    scope: "both",
    event: () => sampleEvent(PRE_AUTH),
    env: (names) => withTables(PRE_AUTH, names),
    rules: (names) => ({ dynamodb: { operation: "PutItem", table: names.auditTable } }),
    service: "dynamodb",
    promise: () => {
      const event = sampleEvent(PRE_AUTH);
      return {
        answer: { error: SIGN_IN_DENIED_MESSAGE },
        fallback: [
          {
            ...about(event),
            event: "SIGN_IN_DENIED",
            outcome: "denied",
            reason: "ip-not-allowed",
            sub: "e2d3c4b5-a041-70f6-9d8e-7c6b5a4f3e2d",
            email: "priya.nair@example.com",
            sourceIp: "198.51.100.7",
          },
        ],
        written: [],
        emails: 0,
      };
    },
  },
  signIn("open"),
  signIn("closed"),
  {
    id: "post confirmation claim record",
    slug: "claim",
    trigger: "post-confirmation",
    scope: "call",
    event: confirmation,
    env: (names) => withTables(POST_CONFIRMATION, names),
    rules: (names) => ({ dynamodb: { operation: "PutItem", table: names.auditTable } }),
    service: "dynamodb",
    promise: () => ({
      answer: { returns: "event" },
      // At least once while the table is down: the email still goes out.
      fallback: [claimEntry("claim")],
      written: [],
      emails: 1,
    }),
  },
  {
    id: "post confirmation welcome email (SES)",
    slug: "welcome",
    trigger: "post-confirmation",
    scope: "call",
    event: confirmation,
    env: (names) => withTables(POST_CONFIRMATION, names),
    rules: (names) => ({ ses: { operation: "SendEmail", recipient: names.recipient } }),
    service: "ses",
    promise: (fault) => ({
      answer: { returns: "event" },
      fallback: [],
      written: [
        { event: "SIGN_UP_CONFIRMED" },
        { event: "WELCOME_EMAIL_FAILED", reason: fault === "slow" ? "send-timeout" : "send-failed" },
      ],
      emails: 0,
    }),
  },
  {
    id: "post confirmation with DynamoDB and SES both out",
    slug: "confirmation-outage",
    trigger: "post-confirmation",
    scope: "service",
    event: confirmation,
    env: (names) => withTables(POST_CONFIRMATION, names),
    promise: () => ({
      answer: { returns: "event" },
      fallback: [
        claimEntry("confirmation-outage"),
        {
          ...claimEntry("confirmation-outage", false),
          event: "WELCOME_EMAIL_FAILED",
          outcome: "failure",
          reason: "send-failed",
        },
      ],
      written: [],
      emails: 0,
    }),
  },
  {
    id: "user migration legacy read (GetItem)",
    slug: "legacy-read",
    trigger: "user-migration",
    scope: "both",
    event: () => sampleEvent(MIGRATION),
    env: (names) => withTables(MIGRATION, names),
    rules: (names) => ({ dynamodb: { operation: "GetItem", table: names.legacyTable } }),
    service: "dynamodb",
    promise: () => ({
      answer: { error: GENERIC_USER_MESSAGE },
      fallback: [],
      written: [],
      emails: 0,
      migrated: false,
    }),
  },
  {
    id: "user migration migratedAt mark (UpdateItem)",
    slug: "legacy-mark",
    trigger: "user-migration",
    scope: "call",
    event: () => sampleEvent(MIGRATION),
    env: (names) => withTables(MIGRATION, names),
    rules: (names) => ({ dynamodb: { operation: "UpdateItem", table: names.legacyTable } }),
    service: "dynamodb",
    // Not marked, not migrated: the user's retry starts over, so the directory never misses a migration.
    promise: () => ({
      answer: { error: GENERIC_USER_MESSAGE },
      fallback: [],
      written: [],
      emails: 0,
      migrated: false,
    }),
  },
  {
    id: "user migration record",
    slug: "migrated",
    trigger: "user-migration",
    scope: "call",
    event: () => sampleEvent(MIGRATION),
    env: (names) => withTables(MIGRATION, names),
    rules: (names) => ({ dynamodb: { operation: "PutItem", table: names.auditTable } }),
    service: "dynamodb",
    promise: () => {
      const event = sampleEvent(MIGRATION);
      return {
        answer: { returns: "migrated" },
        fallback: [
          {
            ...about(event),
            userName: "taro@example.com",
            event: "MIGRATED",
            outcome: "success",
            reason: "password-verified",
            email: "taro@example.com",
          },
        ],
        written: [],
        emails: 0,
        migrated: true,
      };
    },
  },
  {
    id: "inbound federation refusal record",
    slug: "federation-denied",
    trigger: "inbound-federation",
    scope: "both",
    event: () => sampleEvent(FEDERATION_REFUSED),
    env: (names) => withTables(FEDERATION_REFUSED, names),
    rules: (names) => ({ dynamodb: { operation: "PutItem", table: names.auditTable } }),
    service: "dynamodb",
    // The refusal stands whatever the table does.
    promise: () => ({
      answer: { error: FEDERATION_REFUSED_MESSAGE },
      fallback: [
        {
          ...about(sampleEvent(FEDERATION_REFUSED)),
          event: "FEDERATION_DENIED",
          outcome: "denied",
          reason: "domain-blocked",
          email: "visitor@guest.example.co.jp",
        },
      ],
      written: [],
      emails: 0,
    }),
  },
  senderCall("email", "decrypt", "custom email sender code decryption (KMS Decrypt)", "email-decrypt"),
  senderCall("email", "send", "custom email sender message (SES SendEmail)", "email-send"),
  senderFailureRecord(
    "email",
    "custom email sender failure record (SES and the table both fail)",
    "email-record",
  ),
  senderOutage("email", "custom email sender with KMS, SES and DynamoDB all out", "email-outage"),
  notificationLookup(
    "custom email sender notification's user look-up (Cognito AdminGetUser)",
    "email-lookup",
  ),
  senderCall("text", "decrypt", "custom SMS sender code decryption (KMS Decrypt)", "sms-decrypt"),
  senderCall("text", "send", "custom SMS sender text (SNS Publish)", "sms-send"),
  senderFailureRecord("text", "custom SMS sender failure record (SNS and the table both fail)", "sms-record"),
  senderOutage("text", "custom SMS sender with KMS, SNS and DynamoDB all out", "sms-outage"),
];

/** The post-confirmation record of a target's user, as a healthy run writes it. */
function claimEntry(slug: string, once = true): Omit<AuditEntry, "requestId"> {
  const { recipient } = namesOf(slug);
  return {
    ...about(confirmation(namesOf(slug))),
    event: "SIGN_UP_CONFIRMED",
    outcome: "success",
    sub: `sub-${recipient}`,
    email: recipient,
    ...(once ? { once: true } : {}),
  };
}
