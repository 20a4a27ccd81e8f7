/**
 * Runs one hostile event through its real handler (createHandler, offline stand-ins that record what
 * the handler wrote and sent) and checks what every handler promises for any input:
 * - it answers, well within Cognito's 5 s, with the event or a user-facing error: never a crash, and
 *   never a message other than the ones it is allowed to show (an unusable envelope always gets the
 *   generic one);
 * - a returned event differs from the one sent only in `response` (and a callerContext that was not an
 *   object); custom message and pre token generation answer with fields of their own only, never a
 *   value the event's response arrived with: custom message's three fields are each its rendering or
 *   null (all null when it cannot render, email null with CUSTOM_EMAIL off), each message holding the
 *   codeParameter exactly once; pre token generation answers one shape, with no null or empty claim;
 * - the planted password, client metadata and provider tokens are in no error, response, log line,
 *   audit record, message or directory write; the senders' decrypted code is in the one message sent
 *   for it (once in each of its parts) and nowhere else;
 * - inbound federation answers only pool attributes its map names (and their verified flags), each
 *   value text that renders as it reads, an admitted address being one the domain policy admits;
 * - a custom sender never refuses (Lambda's retry is for AWS failures, and there are none here), sends
 *   at most one message, only to the event's own address or E.164 number, HTML-safe and without a
 *   header break, and accounts for every invocation once: MessagesSent with the message, or
 *   MessagesFailed with a MESSAGE_SEND_FAILED record of a known reason and nothing sent;
 * - every audit record written has the types of the record contract (reviewers' tools rely on them);
 * - every log line is one JSON object of bounded size;
 * - every metric line (handlers run as in Lambda, AWS_LAMBDA_FUNCTION_NAME set) is exactly the EMF
 *   document of one of the handler's own metrics, its dimension values the function's name and a
 *   fixed reason, never text from the event; an answer with an error is counted exactly once by a
 *   refusal metric (an unusable envelope by MalformedEvents), an answered event by none.
 */
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import bcrypt from "bcryptjs";
import { STAND_IN_KEY_ARN } from "../../../cli/kms-stand-in.ts";
import {
  MemoryUserDirectory,
  RecordingTextSender,
  StandInCodeDecrypter,
} from "../../../cli/replay/offline-services.ts";
import {
  DEFAULT_ATTRIBUTE_MAP,
  parseAttributeMap,
} from "../../../triggers/inbound-federation/attribute-map.ts";
import { FEDERATION_REFUSED_MESSAGE } from "../../../triggers/inbound-federation/trigger.ts";
import { MemoryAuditStore } from "../../../triggers/lib/audit/memory-store.ts";
import type { AuditRecord } from "../../../triggers/lib/audit/record.ts";
import type { Env } from "../../../triggers/lib/config.ts";
import { MESSAGE_FAILURE_REASONS } from "../../../triggers/lib/custom-sender/failure.ts";
import type { Handler } from "../../../triggers/lib/define-trigger.ts";
import { GENERIC_USER_MESSAGE } from "../../../triggers/lib/errors.ts";
import type { TriggerName } from "../../../triggers/lib/events.ts";
import { DENIAL_REASONS, type MetricName } from "../../../triggers/lib/metrics.ts";
import type {
  LegacyUserStore,
  Mailer,
  OutgoingEmail,
  OutgoingText,
  Services,
} from "../../../triggers/lib/services.ts";
import { hasInvisibleCharacters, withoutInvisibleCharacters } from "../../../triggers/lib/text/invisible.ts";
import { isE164 } from "../../../triggers/lib/text/phone.ts";
import { SIGN_IN_DENIED_MESSAGE } from "../../../triggers/pre-authentication/denial.ts";
import { parseDomainPattern } from "../../../triggers/pre-sign-up/domain-pattern.ts";
import { judgeEmail } from "../../../triggers/pre-sign-up/domain-policy.ts";
import { SIGN_UP_REFUSED_MESSAGE } from "../../../triggers/pre-sign-up/trigger.ts";
import { MIGRATION_REFUSED_MESSAGE } from "../../../triggers/user-migration/trigger.ts";
import { type EmfDocument, emfDocument } from "../../support/capture-metrics.ts";
import {
  PLANTED_CLAIM,
  PLANTED_CODE,
  PLANTED_METADATA,
  PLANTED_PASSWORD,
  PLANTED_TOKEN,
  usableEnvelope,
} from "./corpus.ts";
import { MARKUP_CODE, SENDER_CODES } from "./planted-codes.ts";

/** The only words each handler may say to a user. */
export const ALLOWED_MESSAGES: Record<TriggerName, readonly string[]> = {
  "pre-sign-up": [SIGN_UP_REFUSED_MESSAGE, GENERIC_USER_MESSAGE],
  "custom-message": [GENERIC_USER_MESSAGE],
  "pre-authentication": [SIGN_IN_DENIED_MESSAGE, GENERIC_USER_MESSAGE],
  "post-authentication": [GENERIC_USER_MESSAGE],
  "post-confirmation": [GENERIC_USER_MESSAGE],
  "pre-token-generation": [GENERIC_USER_MESSAGE],
  "user-migration": [MIGRATION_REFUSED_MESSAGE, GENERIC_USER_MESSAGE],
  "inbound-federation": [FEDERATION_REFUSED_MESSAGE, GENERIC_USER_MESSAGE],
  "custom-email-sender": [GENERIC_USER_MESSAGE],
  "custom-sms-sender": [GENERIC_USER_MESSAGE],
};

/** The Lambda function name the handlers run under here; the only FunctionName a metric may carry. */
export const FUNCTION_NAME = "hostile-test-function";

/** The metrics each handler may write; every handler also counts the runtime's three refusals. */
const OWN_METRICS: Record<TriggerName, readonly MetricName[]> = {
  "pre-sign-up": ["SignUpDenied", "AuditFallbacks"],
  "custom-message": [],
  "pre-authentication": ["SignInDenied", "AuditFallbacks"],
  "post-authentication": ["SignIns", "AuditFallbacks"],
  "post-confirmation": ["WelcomeEmailsSent", "WelcomeEmailsFailed", "AuditFallbacks"],
  "pre-token-generation": [],
  "user-migration": ["SignInDenied", "Migrations", "AuditFallbacks"],
  "inbound-federation": ["FederationDenied", "AuditFallbacks"],
  "custom-email-sender": ["MessagesSent", "MessagesFailed", "AuditFallbacks"],
  "custom-sms-sender": ["MessagesSent", "MessagesFailed", "AuditFallbacks"],
};
const RUNTIME_METRICS: readonly MetricName[] = ["MalformedEvents", "ConfigRefusals", "UnexpectedErrors"];
/**
 * The metrics that account for an answer with an error, each such answer exactly once, so that the
 * function's Lambda Errors can be explained by them (infra's alarms rely on it). With the stand-ins here
 * no audit write fails, so post authentication's closed-mode refusal (AuditFallbacks) never happens.
 */
const ERROR_METRICS: readonly string[] = [
  ...RUNTIME_METRICS,
  "SignUpDenied",
  "SignInDenied",
  "FederationDenied",
];

/**
 * Handlers that, once the envelope is usable, always return the event (their promise: never block).
 * The custom senders refuse only when AWS failed in a way a retry can cure, which never happens here.
 */
const NEVER_REFUSE: readonly TriggerName[] = [
  "custom-message",
  "post-authentication",
  "post-confirmation",
  "custom-email-sender",
  "custom-sms-sender",
];
const SENDERS: readonly TriggerName[] = ["custom-email-sender", "custom-sms-sender"];
const MESSAGE_FIELDS = ["smsMessage", "emailMessage", "emailSubject"];
const TOKEN_SHAPES = ["claimsOverrideDetails", "claimsAndScopeOverrideDetails"];
const MAX_LOG_LINE = 16 * 1024;
export const ANSWER_BUDGET_MS = 3_500;

export interface Recorded {
  services: Services;
  /** Everything the stand-ins received, as text, for the secret check. */
  writes(): string;
  auditRecords(): AuditRecord[];
  /** The messages sent: emails and text messages. */
  delivered(): Delivered;
}

export interface Delivered {
  emails: OutgoingEmail[];
  texts: OutgoingText[];
}

/** One decrypter for the whole run: it loads the Encryption SDK once, and keeps nothing between codes. */
const codeDecrypter = new StandInCodeDecrypter();
// Loaded now: on a busy machine, loading the SDKs within a first invocation could outlast its
// decryption budget, and the sender would rightly answer with the retry error.
await codeDecrypter.decrypt(STAND_IN_KEY_ARN, SENDER_CODES.planted, new AbortController().signal);

/**
 * Offline stand-ins; the legacy directory knows taro@example.com, whose password is the planted one.
 * The senders' codes are decrypted by the real Encryption SDK, its KMS calls answered in process by the
 * KMS stand-in (cli/kms-stand-in.ts), whose key the samples and the corpus encrypt with; the pool's
 * users are replay's (POOL_USERS), for an account-takeover notification without an address.
 */
export function recordingServices(): Recorded {
  const auditStore = new MemoryAuditStore();
  const sent: OutgoingEmail[] = [];
  const mailer: Mailer = { send: async (email) => void sent.push(email) };
  const textSender = new RecordingTextSender();
  const marks: unknown[] = [];
  const legacyUsers: LegacyUserStore = {
    get: async (_table, login) => (login === TARO.login ? structuredClone(TARO) : undefined),
    markMigrated: async (table, login, at) => {
      marks.push({ table, login, at });
      return "marked";
    },
  };
  return {
    services: {
      auditStore,
      mailer,
      legacyUsers,
      textSender,
      codeDecrypter,
      userDirectory: new MemoryUserDirectory(),
    },
    writes: () => JSON.stringify([[...auditStore.items.values()], sent, marks, textSender.sent]),
    auditRecords: () => [...auditStore.items.values()],
    delivered: () => ({ emails: [...sent], texts: [...textSender.sent] }),
  };
}

// Cost 4: the corpus runs hundreds of migrations; the verifier's cost is not what is tested here.
const TARO = {
  login: "taro@example.com",
  legacyId: "L-000123",
  passwordHash: bcrypt.hashSync(PLANTED_PASSWORD, 4),
  email: "taro@example.com",
  emailVerified: true,
  name: "山田太郎",
};

export interface Answer {
  result?: unknown;
  error?: { name: string; message: string };
  elapsedMs: number;
}

export async function answer(handler: Handler, event: unknown, requestId: string): Promise<Answer> {
  const started = performance.now();
  try {
    const result = await handler(event, { awsRequestId: requestId });
    return { result, elapsedMs: performance.now() - started };
  } catch (error) {
    const { name, message } = error as Error;
    return { error: { name, message }, elapsedMs: performance.now() - started };
  }
}

/** Problems with one answer, as readable lines (empty when every promise held). */
export function problems(options: {
  trigger: TriggerName;
  env: Env;
  sent: unknown;
  got: Answer;
  logs: string[];
  /** The EMF lines written to stdout. */
  metrics: string[];
  writes: string;
  auditRecords: AuditRecord[];
  delivered: Delivered;
}): string[] {
  const { trigger, sent, got, logs } = options;
  const found: string[] = [];
  const usable = usableEnvelope(sent, trigger);
  if (got.elapsedMs >= ANSWER_BUDGET_MS) found.push(`answered after ${Math.round(got.elapsedMs)} ms`);

  if (got.error) {
    if (got.error.name !== "UserFacingError") found.push(`threw ${got.error.name}: ${got.error.message}`);
    if (!ALLOWED_MESSAGES[trigger].includes(got.error.message))
      found.push(`told the user ${JSON.stringify(got.error.message)}`);
    if (!usable && got.error.message !== GENERIC_USER_MESSAGE)
      found.push("an unusable event without the generic message");
    if (usable && NEVER_REFUSE.includes(trigger)) found.push(`refused a usable event: ${got.error.message}`);
  } else {
    if (!usable) found.push("returned a result for an unusable event");
    else found.push(...resultProblems(trigger, sent, got.result, options.env));
    if (usable && trigger === "pre-sign-up") found.push(...signUpProblems(options.env, sent, got.result));
  }
  if (trigger === "post-confirmation") found.push(...welcomeProblems(options.env, sent, options.delivered));
  if (SENDERS.includes(trigger) && usable && options.metrics.every((m) => !m.includes("ConfigRefusals")))
    found.push(...senderProblems(trigger, sent, options));

  const places: [string, string][] = [
    ["the error", JSON.stringify(got.error ?? null)],
    ["the response", safeJson((got.result as { response?: unknown } | undefined)?.response)],
    ["an audit record, email or directory write", options.writes],
    ...logs.map((line): [string, string] => ["a log line", line]),
  ];
  for (const [secret, what] of [
    [PLANTED_PASSWORD, "password"],
    [PLANTED_METADATA, "client metadata"],
    [PLANTED_TOKEN, "provider token"],
  ]) {
    const where = places.find(([, text]) => text.includes(secret as string))?.[0];
    if (where) found.push(`leaked the ${what} in ${where}`);
  }
  // The code may be in the message sent for it; anywhere else it is a leak.
  const codePlaces: [string, string][] = [
    ...places.filter(([place]) => place !== "an audit record, email or directory write"),
    ["an audit record", JSON.stringify(options.auditRecords)],
    ...options.metrics.map((line): [string, string] => ["a metric line", line]),
  ];
  for (const code of [PLANTED_CODE, MARKUP_CODE]) {
    const where = codePlaces.find(([, text]) => text.includes(code))?.[0];
    if (where) found.push(`leaked the decrypted code in ${where}`);
  }
  for (const record of options.auditRecords) found.push(...recordTypeProblems(record));
  found.push(...metricProblems(trigger, usable, got.error !== undefined, options.metrics));
  for (const line of logs) {
    if (line.length > MAX_LOG_LINE) found.push(`a log line of ${line.length} characters`);
    try {
      JSON.parse(line);
    } catch {
      found.push(`a log line that is not JSON: ${line.slice(0, 80)}`);
    }
  }
  return found;
}

function metricProblems(trigger: TriggerName, usable: boolean, refused: boolean, lines: string[]): string[] {
  const found: string[] = [];
  const names: string[] = [];
  for (const line of lines) {
    let doc: EmfDocument;
    try {
      doc = JSON.parse(line) as EmfDocument;
    } catch {
      found.push(`a metric line that is not JSON: ${line.slice(0, 80)}`);
      continue;
    }
    const name = doc._aws?.CloudWatchMetrics?.[0]?.Metrics?.[0]?.Name as MetricName;
    names.push(name);
    if (![...OWN_METRICS[trigger], ...RUNTIME_METRICS].includes(name)) found.push(`counted ${name}`);
    const reasons: readonly string[] | undefined = DENIAL_REASONS[name as keyof typeof DENIAL_REASONS];
    if (reasons && !reasons.includes(doc.Reason ?? ""))
      found.push(`counted ${name} with Reason ${doc.Reason}`);
    const clock = { timestamp: doc.timestamp, Timestamp: doc._aws?.Timestamp };
    const exact =
      typeof clock.timestamp === "string" &&
      Number.isInteger(clock.Timestamp) &&
      isDeepStrictEqual(doc, emfDocument(name, FUNCTION_NAME, reasons ? doc.Reason : undefined, clock));
    if (!exact) found.push(`a metric line that is not exactly its EMF document: ${line.slice(0, 300)}`);
  }
  if (!usable && names.join() !== "MalformedEvents")
    found.push(`counted ${names.join() || "nothing"} for an unusable event`);
  const errorCounts = names.filter((name) => ERROR_METRICS.includes(name));
  if (errorCounts.length !== (refused ? 1 : 0))
    found.push(
      `counted ${errorCounts.join(" + ") || "nothing"} for ${refused ? "a refusal" : "an answered event"}`,
    );
  return found;
}

function resultProblems(trigger: TriggerName, sent: unknown, result: unknown, env: Env): string[] {
  const found: string[] = [];
  const before = sent as Record<string, unknown>;
  if (typeof result !== "object" || result === null) return [`returned ${typeof result}`];
  const after = result as Record<string, unknown>;
  if (safeJson(after) === "<not JSON>") found.push("returned something JSON cannot carry");
  // defineTrigger gives a missing or non-object response and callerContext an empty object.
  const keepCallerContext = isRecord(before.callerContext);
  const rest = (event: Record<string, unknown>) => {
    const { response: _response, callerContext, ...others } = event;
    return keepCallerContext ? { ...others, callerContext } : others;
  };
  if (!isDeepStrictEqual(rest(after), rest(before))) found.push("changed the event outside its response");
  if (trigger === "custom-message") {
    const response = (isRecord(after.response) ? after.response : {}) as Record<string, unknown>;
    const original = (isRecord(before.response) ? before.response : {}) as Record<string, unknown>;
    const untouched = Object.fromEntries(
      Object.entries(response).filter(([k]) => !MESSAGE_FIELDS.includes(k)),
    );
    const originalRest = Object.fromEntries(
      Object.entries(original).filter(([k]) => !MESSAGE_FIELDS.includes(k)),
    );
    if (!isDeepStrictEqual(untouched, originalRest))
      found.push("custom message changed more than its messages");
    // Each field set on purpose: the handler's rendering or null (Cognito's own message).
    for (const k of MESSAGE_FIELDS) {
      if (!Object.hasOwn(response, k) || (response[k] !== null && typeof response[k] !== "string"))
        found.push(`custom message answered ${k} as ${safeJson(response[k])}`);
    }
    const rendered = typeof response.smsMessage === "string";
    if (!rendered && MESSAGE_FIELDS.some((k) => response[k] !== null))
      found.push("custom message set a field without rendering its message");
    const code = (before.request as Record<string, unknown>).codeParameter;
    if (typeof code !== "string" && rendered) found.push("rendered a message without a codeParameter");
    for (const k of ["smsMessage", "emailMessage"]) {
      const text = response[k];
      if (typeof text === "string" && typeof code === "string" && occurrences(text, code) !== 1)
        found.push(`${k} holds the codeParameter ${occurrences(text, code)} times`);
    }
    const customEmail =
      String(env.CUSTOM_EMAIL ?? "")
        .trim()
        .toLowerCase() === "true";
    if (!customEmail && (response.emailMessage !== null || response.emailSubject !== null))
      found.push("answered email content with CUSTOM_EMAIL off");
  }
  if (trigger === "pre-token-generation") found.push(...tokenProblems(after.response));
  if (trigger === "inbound-federation") found.push(...federationProblems(env, after.response));
  // Cognito reads nothing from a sender's answer: it goes back as it came.
  if (
    SENDERS.includes(trigger) &&
    !isDeepStrictEqual(after.response, isRecord(before.response) ? before.response : {})
  )
    found.push(`a sender answered the response ${safeJson(after.response)}`);
  // The fields each of them answers (keys Cognito does not read from it may stay as they came).
  const ownFields = {
    "custom-message": MESSAGE_FIELDS,
    "pre-token-generation": TOKEN_SHAPES,
    "inbound-federation": ["userAttributesToMap"],
  }[trigger as string];
  const answered = isRecord(after.response) ? after.response : {};
  if (ownFields && safeJson(ownFields.map((k) => answered[k])).includes(PLANTED_CLAIM))
    found.push("answered with a value the event's response arrived with");
  return found;
}

/** Pre token generation answers exactly one shape, and no claim in it is null, empty or undefined. */
function tokenProblems(response: unknown): string[] {
  const found: string[] = [];
  const answer = isRecord(response) ? response : {};
  const shapes = TOKEN_SHAPES.filter((k) => Object.hasOwn(answer, k));
  if (shapes.length !== 1) found.push(`answered the shapes ${shapes.join(", ") || "none"}`);
  for (const shape of shapes) {
    const details = answer[shape];
    if (details !== null && !isRecord(details)) found.push(`answered ${shape} as ${safeJson(details)}`);
    const parts = isRecord(details)
      ? [details, details.idTokenGeneration, details.accessTokenGeneration]
      : [];
    for (const part of parts) {
      const claims = isRecord(part) ? part.claimsToAddOrOverride : undefined;
      if (!isRecord(claims)) continue;
      for (const [claim, value] of Object.entries(claims)) {
        const empty = value === null || value === undefined || value === "" || value === "undefined";
        if (empty || (isRecord(value) && Object.keys(value).length === 0))
          found.push(`answered the claim ${claim} as ${safeJson(value)}`);
      }
    }
  }
  return found;
}

/** How often `part` occurs in `text`, overlaps included. */
function occurrences(text: string, part: string): number {
  if (part === "") return 0;
  let count = 0;
  for (let at = text.indexOf(part); at !== -1; at = text.indexOf(part, at + 1)) count++;
  return count;
}

/**
 * Pre sign-up admits what its policy judged, exactly: all three flags the policy's own (never what
 * the event carried), no address with a character that renders as nothing, and, unless
 * FEDERATED_UNVERIFIED_EMAIL=allow, no federated address its provider did not verify.
 */
function signUpProblems(env: Env, sent: unknown, result: unknown): string[] {
  const found: string[] = [];
  const event = sent as { triggerSource: string; request: Record<string, unknown> };
  const attributes = isRecord(event.request.userAttributes) ? event.request.userAttributes : {};
  const setting = (key: string) =>
    String(env[key] ?? "")
      .trim()
      .toLowerCase();
  const confirm = setting("AUTO_CONFIRM") === "true" && event.triggerSource === "PreSignUp_SignUp";
  const response = (result as { response?: unknown }).response;
  if (
    !isDeepStrictEqual(response, {
      autoConfirmUser: confirm,
      autoVerifyEmail: confirm,
      autoVerifyPhone: false,
    })
  )
    found.push(`answered the flags ${safeJson(response)}, not the policy's`);
  if (typeof attributes.email === "string" && hasInvisibleCharacters(attributes.email))
    found.push("admitted an address with an invisible character");
  if (
    event.triggerSource === "PreSignUp_ExternalProvider" &&
    setting("FEDERATED_UNVERIFIED_EMAIL") !== "allow" &&
    attributes.email_verified !== "true"
  )
    found.push("admitted a federated address its provider did not verify");
  return found;
}

/** Post confirmation mails only a proven address: verified, and not by AUTO_CONFIRM (unless federated). */
function welcomeProblems(env: Env, sent: unknown, { emails }: Delivered): string[] {
  if (emails.length === 0) return [];
  const request = isRecord(sent) && isRecord(sent.request) ? sent.request : {};
  const attributes = isRecord(request.userAttributes) ? request.userAttributes : {};
  const autoConfirm =
    String(env.AUTO_CONFIRM ?? "")
      .trim()
      .toLowerCase() === "true";
  const proven =
    attributes.email_verified === "true" &&
    (!autoConfirm || attributes["cognito:user_status"] === "EXTERNAL_PROVIDER");
  return proven ? [] : [`mailed ${emails.length} welcome email(s) to an address nobody proved`];
}

/** The verified flags inbound federation answers beside the attributes they vouch for. */
const VERIFIED_FLAGS: Record<string, string> = {
  email: "email_verified",
  phone_number: "phone_number_verified",
};
/** Cognito's limit for any attribute value. */
const MAX_ATTRIBUTE_LENGTH = 2048;
const CONTROL = /\p{Cc}/u;

/**
 * Inbound federation answers `userAttributesToMap` only: pool attributes its map names and the verified
 * flags of the ones among them that have one, each value text that renders as it reads (no control
 * character, no invisible one but a joiner shaping the character before it) and within Cognito's limit;
 * an admitted address is one the domain policy admits, with its flag; a phone number is E.164.
 */
function federationProblems(env: Env, response: unknown): string[] {
  const found: string[] = [];
  const answer = isRecord(response) ? response : {};
  if (!isDeepStrictEqual(Object.keys(answer), ["userAttributesToMap"]))
    return [`answered ${safeJson(Object.keys(answer))}, not userAttributesToMap alone`];
  const mapped = answer.userAttributesToMap;
  if (!isRecord(mapped)) return [`answered userAttributesToMap as ${safeJson(mapped)}`];
  const map = env.FEDERATION_ATTRIBUTE_MAP
    ? parseAttributeMap(JSON.parse(env.FEDERATION_ATTRIBUTE_MAP))
    : DEFAULT_ATTRIBUTE_MAP;
  const allowed = new Set([
    ...Object.keys(map),
    ...Object.keys(map).flatMap((a) => (VERIFIED_FLAGS[a] ? [VERIFIED_FLAGS[a]] : [])),
  ]);
  for (const [name, value] of Object.entries(mapped)) {
    if (!allowed.has(name)) found.push(`answered ${name}, which the map does not name`);
    if (typeof value !== "string") {
      found.push(`answered ${name} as ${safeJson(value)}`);
      continue;
    }
    if (value === "" || value.length > MAX_ATTRIBUTE_LENGTH)
      found.push(`answered ${name} with ${value.length} characters`);
    if (CONTROL.test(value) || value !== withoutInvisibleCharacters(value) || value !== value.trim())
      found.push(`answered ${name} with characters that do not render as they read`);
  }
  const email = mapped.email;
  const policy = {
    allowed: (env.ALLOWED_EMAIL_DOMAINS ?? "").split(",").map((d) => parseDomainPattern(d.trim())),
    blocked: (env.BLOCKED_EMAIL_DOMAINS ?? "")
      .split(",")
      .filter((d) => d.trim() !== "")
      .map((d) => parseDomainPattern(d.trim())),
  };
  if (typeof email !== "string") found.push("admitted a sign-in without an address");
  else if (
    !judgeEmail(email, policy).allowed ||
    hasInvisibleCharacters(email) ||
    email !== email.toLowerCase()
  )
    found.push(`admitted the address ${JSON.stringify(email.slice(0, 80))}`);
  for (const [attribute, flag] of Object.entries(VERIFIED_FLAGS)) {
    const has = Object.hasOwn(mapped, attribute);
    if (has !== Object.hasOwn(mapped, flag)) found.push(`answered ${attribute} and ${flag} apart`);
    if (has && !["true", "false"].includes(mapped[flag] as string))
      found.push(`answered ${flag} as ${safeJson(mapped[flag])}`);
    if (has && env.FEDERATION_EMAIL_VERIFIED === "never" && mapped[flag] !== "false")
      found.push(`answered ${flag} "true" with FEDERATION_EMAIL_VERIFIED=never`);
  }
  if (Object.hasOwn(mapped, "phone_number") && !isE164(mapped.phone_number))
    found.push(`answered the phone number ${safeJson(mapped.phone_number)}`);
  return found;
}

/** Replay's pool users (MemoryUserDirectory's): the verified address of each, by user name. */
const POOL_USERS: ReadonlyMap<string, string> = new Map(
  (
    JSON.parse(
      readFileSync(new URL("../../../cli/replay/fixtures/pool-users.json", import.meta.url), "utf8"),
    ) as {
      users: { username: string; attributes: Record<string, string> }[];
    }
  ).users.flatMap(({ username, attributes }) =>
    attributes.email_verified === "true" && attributes.email ? [[username, attributes.email] as const] : [],
  ),
);

/**
 * The address a sender may write to for `event`: its email attribute, or, for an account-takeover
 * notification without one, the pool's verified address of the event's user.
 */
function ownAddress(
  event: { triggerSource: string; userName?: unknown },
  attributes: Record<string, unknown>,
): string {
  if (typeof attributes.email === "string" && attributes.email.trim() !== "") return attributes.email.trim();
  const notification = event.triggerSource === "CustomEmailSender_AccountTakeOverNotification";
  const user =
    typeof event.userName === "string" && event.userName.trim() !== ""
      ? event.userName
      : attributes.USER_NAME;
  return (notification && typeof user === "string" && POOL_USERS.get(user.trim())) || "";
}

/**
 * Markup the corpus puts in events, live: a tag that is not escaped, or a link to script. (Escaped, the
 * same text is harmless, and the templates contain none of it.)
 */
const ACTIVE_MARKUP = /<(?:script|img|b)\b|href\s*=\s*["']?\s*javascript:/i;
/** Control characters other than tab and line breaks. */
const STRAY_CONTROL = /(?![\t\n\r])\p{Cc}/u;

/**
 * What a custom sender promises for any usable event under a valid configuration: at most one
 * message, only to the user's own recipient, its code (when its source has one) once in each part and
 * HTML-escaped, no markup from the event, no header break in the subject; every invocation counted once
 * (MessagesSent with the message, MessagesFailed with a MESSAGE_SEND_FAILED record and nothing sent).
 */
function senderProblems(
  trigger: TriggerName,
  sent: unknown,
  options: { delivered: Delivered; metrics: string[]; auditRecords: AuditRecord[] },
): string[] {
  const found: string[] = [];
  const event = sent as { triggerSource: string; userName?: unknown; request: Record<string, unknown> };
  const attributes = isRecord(event.request.userAttributes) ? event.request.userAttributes : {};
  const { emails, texts } = options.delivered;
  const messages = emails.length + texts.length;
  const counted = (name: string) => options.metrics.filter((line) => line.includes(`"${name}"`)).length;
  const failures = options.auditRecords.filter((r) => r.event === "MESSAGE_SEND_FAILED");
  if (messages > 1) found.push(`sent ${messages} messages for one event`);
  if (
    messages === 1 &&
    (counted("MessagesSent") !== 1 || counted("MessagesFailed") !== 0 || failures.length > 0)
  )
    found.push("sent a message without counting it once as sent");
  if (
    messages === 0 &&
    (counted("MessagesFailed") !== 1 || counted("MessagesSent") !== 0 || failures.length !== 1)
  )
    found.push("sent nothing without counting and recording one failure");
  for (const failure of failures) {
    if (!Object.hasOwn(MESSAGE_FAILURE_REASONS, failure.reason ?? ""))
      found.push(`recorded the failure reason ${safeJson(failure.reason)}`);
  }
  const withCode = event.triggerSource !== "CustomEmailSender_AccountTakeOverNotification";
  const code = [PLANTED_CODE, MARKUP_CODE].find((c) =>
    [...emails.flatMap((e) => [e.text, e.subject]), ...texts.map((t) => t.body)].some((part) =>
      part.includes(c),
    ),
  );
  if (messages === 1 && withCode && code === undefined) found.push("sent a message without its code");
  if (!withCode && code !== undefined) found.push("sent a code in a message that has none");
  for (const email of emails) {
    const address = ownAddress(event, attributes);
    if (trigger !== "custom-email-sender") found.push("sent an email");
    if (!/^[^\s@<>,;"]+@[^\s@<>,;"]+$/.test(email.to) || email.to.split("@")[0] !== address.split("@")[0])
      found.push(
        `emailed ${JSON.stringify(email.to.slice(0, 80))} for the address ${JSON.stringify(address.slice(0, 80))}`,
      );
    if (/[\r\n]/.test(email.subject)) found.push("sent a subject with a line break");
    if (ACTIVE_MARKUP.test(email.html)) found.push("sent markup from the event in the HTML");
    if (STRAY_CONTROL.test(email.html + email.text + email.subject)) found.push("sent control characters");
    if (code !== undefined) {
      if (occurrences(email.text, code) !== 1)
        found.push(`put the code in the text ${occurrences(email.text, code)} times`);
      const escaped = code
        .replaceAll("&", "&amp;")
        .replaceAll("<", "&lt;")
        .replaceAll(">", "&gt;")
        .replaceAll('"', "&quot;")
        .replaceAll("'", "&#39;");
      if (occurrences(email.html, escaped) !== 1 && occurrences(email.html, code) !== 1)
        found.push("did not put the code in the HTML exactly once");
    }
  }
  for (const text of texts) {
    if (trigger !== "custom-sms-sender") found.push("sent a text message");
    if (!isE164(text.to) || text.to !== attributes.phone_number)
      found.push(
        `texted ${JSON.stringify(text.to.slice(0, 40))} for the number ${safeJson(attributes.phone_number)}`,
      );
    if (STRAY_CONTROL.test(text.body)) found.push("texted control characters");
    if (code !== undefined && occurrences(text.body, code) !== 1)
      found.push(`put the code in the text message ${occurrences(text.body, code)} times`);
  }
  return found;
}

/** The audit record contract (README "The audit trail"): text fields are strings, or absent. */
const RECORD_TYPES: Record<string, "string" | "number" | "boolean"> = {
  pk: "string",
  sk: "string",
  dayShard: "string",
  at: "string",
  expiresAt: "number",
  event: "string",
  outcome: "string",
  reason: "string",
  triggerSource: "string",
  userPoolId: "string",
  clientId: "string",
  userName: "string",
  sub: "string",
  email: "string",
  sourceIp: "string",
  newDeviceUsed: "boolean",
  requestId: "string",
};

function recordTypeProblems(record: object): string[] {
  const { tableName: _table, ...fields } = record as Record<string, unknown>;
  return Object.entries(fields)
    .filter(([key, value]) => typeof value !== RECORD_TYPES[key])
    .map(
      ([key, value]) =>
        `wrote an audit record whose ${key} is ${Array.isArray(value) ? "an array" : typeof value}`,
    );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "undefined";
  } catch {
    return "<not JSON>";
  }
}
