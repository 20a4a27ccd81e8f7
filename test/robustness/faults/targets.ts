/**
 * Every side effect a handler has, as a fault-injection target: which call fails, what the handler
 * promises when it does, and which audit records must then be on the audit_fallback log line (whole,
 * field for field) or in the table. One table drives every fault file.
 */
import type { AuditEntry } from "../../../triggers/lib/audit/record.ts";
import type { Env } from "../../../triggers/lib/config.ts";
import { GENERIC_USER_MESSAGE } from "../../../triggers/lib/errors.ts";
import type { TriggerEvent, TriggerName } from "../../../triggers/lib/events.ts";
import { SIGN_IN_DENIED_MESSAGE } from "../../../triggers/pre-authentication/denial.ts";
import { SIGN_UP_REFUSED_MESSAGE } from "../../../triggers/pre-sign-up/trigger.ts";
import type { Fault, FaultRule } from "../../support/fault-proxy.ts";
import { sampleEvent, sampleExpectation } from "../../support/samples.ts";

/** The faults of the fault files: a closed port, or a proxy fault on one call. */
export type FaultKind = "unreachable" | Fault;

/** The tables and the email address of one target, so that targets sharing an endpoint never meet. */
export interface Names {
  auditTable: string;
  legacyTable: string;
  recipient: string;
}

export function namesOf(slug: string): Names {
  return { auditTable: `${slug}-audit`, legacyTable: `${slug}-legacy`, recipient: `${slug}@example.com` };
}

/** What must be true after the handler met the fault. */
export interface Promised {
  /** "event": the event comes back unchanged; "migrated": the migration sample's expected result. */
  answer: { returns: "event" | "migrated" } | { error: string };
  /** Records on audit_fallback lines, in order (what a healthy run would have written). */
  fallback: Omit<AuditEntry, "requestId">[];
  /** Records that must reach the table despite the fault (event and reason). */
  written: { event: string; reason?: string }[];
  /** Welcome emails delivered to the target's recipient. */
  emails: number;
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
  /** The call that fails, for proxy faults. */
  rule?(names: Names): Omit<FaultRule, "fault">;
  /** Which service's error the handler should have seen, for the wire-format checks. */
  service?: "dynamodb" | "ses";
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
  rule: (names) => ({ operation: "PutItem", table: names.auditTable }),
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

export const FAULT_TARGETS: FaultTarget[] = [
  {
    id: "pre sign-up refusal record",
    slug: "sign-up-denied",
    trigger: "pre-sign-up",
    scope: "both",
    event: () => sampleEvent(PRE_SIGN_UP),
    env: (names) => withTables(PRE_SIGN_UP, names),
    rule: (names) => ({ operation: "PutItem", table: names.auditTable }),
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
    rule: (names) => ({ operation: "PutItem", table: names.auditTable }),
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
    rule: (names) => ({ operation: "PutItem", table: names.auditTable }),
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
    rule: (names) => ({ operation: "SendEmail", recipient: names.recipient }),
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
    rule: (names) => ({ operation: "GetItem", table: names.legacyTable }),
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
    rule: (names) => ({ operation: "UpdateItem", table: names.legacyTable }),
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
    rule: (names) => ({ operation: "PutItem", table: names.auditTable }),
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
