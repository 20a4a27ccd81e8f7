/**
 * A corpus of malformed and hostile trigger events: every sample kind of every trigger, each broken in
 * every way an event can be (missing or null parts, wrong types, arrays for objects, numbers as
 * strings, huge strings, unknown fields, prototype-pollution keys), all parsed from JSON text as
 * Lambda delivers them; and the breakage of each trigger's own input on top (federation-mutations.ts,
 * sender-mutations.ts). Secrets are planted in every event so that tests can prove they never leak: a
 * password (request.password, and a `password` in validationData and clientMetadata), a value of
 * client metadata (which the logger reduces to its keys, since a client may put anything there), an
 * identity provider's tokens and unmapped claims (PLANTED_TOKEN), and the custom senders' code
 * (PLANTED_CODE, encrypted as Cognito encrypts it: it may appear in the message sent, nowhere else).
 */
import type { Env } from "../../../triggers/lib/config.ts";
import { TRIGGERS, type TriggerName } from "../../../triggers/lib/events.ts";
import { sampleEvent, sampleExpectation } from "../../support/samples.ts";
import { federationMutations, plantProviderSecrets } from "./federation-mutations.ts";
import {
  at,
  both,
  DELETE,
  everyValue,
  HUGE,
  HUGE_UNICODE,
  invisibleAt,
  type Json,
  type Mutation,
  polluting,
  withPollution,
} from "./mutation.ts";
import { SENDER_CODES } from "./planted-codes.ts";
import { senderMutations } from "./sender-mutations.ts";

export { PLANTED_TOKEN } from "./federation-mutations.ts";
export { PLANTED_CODE } from "./planted-codes.ts";

export const PLANTED_PASSWORD = "Pl4nted-Secret-Passw0rd-7f3a9";
export const PLANTED_METADATA = "Client-Supplied-Value-4c1e0b";
/** Planted in responses: an answer must carry nothing the event's response arrived with. */
export const PLANTED_CLAIM = "Planted-Response-Value-9d2e7a";

/** One sample per path the handlers take (allowed and refused, each event version). */
export const BASES: readonly { trigger: TriggerName; sample: string }[] = [
  { trigger: "pre-sign-up", sample: "pre-sign-up/sign-up-allowed" },
  { trigger: "pre-sign-up", sample: "pre-sign-up/sign-up-refused-blocked-domain" },
  // The federated path: the provider's email_verified decides too.
  { trigger: "pre-sign-up", sample: "pre-sign-up/external-provider" },
  { trigger: "custom-message", sample: "custom-message/sign-up" },
  { trigger: "custom-message", sample: "custom-message/admin-create-user" },
  // CUSTOM_EMAIL=false: the email fields are null whatever the event brought in them.
  { trigger: "custom-message", sample: "custom-message/sign-up-custom-email-disabled" },
  { trigger: "pre-authentication", sample: "pre-authentication/allowed-ipv4-trusted-client" },
  { trigger: "pre-authentication", sample: "pre-authentication/ip-not-in-list" },
  { trigger: "post-authentication", sample: "post-authentication/sign-in" },
  { trigger: "post-confirmation", sample: "post-confirmation/confirm-sign-up" },
  // AUTO_CONFIRM=true: no welcome email unless the provider proved the address.
  { trigger: "post-confirmation", sample: "post-confirmation/confirm-sign-up-auto-verified" },
  { trigger: "pre-token-generation", sample: "pre-token-generation/authentication-v1" },
  { trigger: "pre-token-generation", sample: "pre-token-generation/authentication-v2" },
  { trigger: "pre-token-generation", sample: "pre-token-generation/client-credentials-v3" },
  { trigger: "user-migration", sample: "user-migration/authentication" },
  { trigger: "user-migration", sample: "user-migration/forgot-password" },
  // Migration applies pre authentication's IP policy; a reset's response arrives pre-filled.
  { trigger: "user-migration", sample: "user-migration/authentication-ip-denied" },
  { trigger: "user-migration", sample: "user-migration/forgot-password-response-fields" },
  // OIDC and SAML sign-ins, a refusal, a map of custom attributes and phone numbers, a map refused.
  { trigger: "inbound-federation", sample: "inbound-federation/oidc-google-allowed" },
  { trigger: "inbound-federation", sample: "inbound-federation/saml-allowed" },
  { trigger: "inbound-federation", sample: "inbound-federation/blocked-domain-refused" },
  { trigger: "inbound-federation", sample: "inbound-federation/phone-and-custom-attributes" },
  { trigger: "inbound-federation", sample: "inbound-federation/invalid-attribute-map-setting" },
  // A code, a temporary password with the user name, and the notification without a code: with the
  // user's address in the event, and without it (the user looked up in the pool).
  { trigger: "custom-email-sender", sample: "custom-email-sender/sign-up" },
  { trigger: "custom-email-sender", sample: "custom-email-sender/admin-create-user" },
  { trigger: "custom-email-sender", sample: "custom-email-sender/account-takeover-notification-with-email" },
  { trigger: "custom-email-sender", sample: "custom-email-sender/account-takeover-notification" },
  { trigger: "custom-sms-sender", sample: "custom-sms-sender/sign-up" },
  { trigger: "custom-sms-sender", sample: "custom-sms-sender/admin-create-user" },
];

export interface HostileCase {
  name: string;
  trigger: TriggerName;
  env: Env;
  /** The event as the handler receives it: parsed from JSON text. */
  event: unknown;
  /** The same event, as JSON text (what the CLI replays). */
  json: string;
}

const OTHER_SOURCE: Record<TriggerName, string> = {
  "pre-sign-up": "PostConfirmation_ConfirmSignUp",
  "custom-message": "PreSignUp_SignUp",
  "pre-authentication": "PostAuthentication_Authentication",
  "post-authentication": "PreAuthentication_Authentication",
  "post-confirmation": "CustomMessage_SignUp",
  "pre-token-generation": "UserMigration_Authentication",
  "user-migration": "TokenGeneration_Authentication",
  "inbound-federation": "PreSignUp_ExternalProvider",
  "custom-email-sender": "CustomSMSSender_SignUp",
  "custom-sms-sender": "CustomEmailSender_SignUp",
};

/** Each trigger's own input, broken on top of what every event is. */
const OWN_MUTATIONS: Partial<Record<TriggerName, () => Mutation[]>> = {
  "inbound-federation": federationMutations,
  "custom-email-sender": () => senderMutations(SENDER_CODES),
  "custom-sms-sender": () => senderMutations(SENDER_CODES),
};

/** What breaks an event, by part. The name says what the handler receives. */
function mutations(trigger: TriggerName): Mutation[] {
  return [...eventMutations(trigger), ...(OWN_MUTATIONS[trigger]?.() ?? [])];
}

/** What breaks any trigger's event. */
function eventMutations(trigger: TriggerName): Mutation[] {
  return [
    ["the sample as is", (e) => e],
    // The event itself.
    ["null instead of the event", () => null],
    ["an array instead of the event", (e) => [e]],
    ["a string instead of the event", () => "PreSignUp_SignUp"],
    ["a number instead of the event", () => 42],
    ["an empty object", () => ({})],
    ["prototype-pollution keys at the top", (e) => ({ ...e, ...polluting() })],
    ["unknown top-level fields", at("extra", { nested: { deeper: [1, "two", null, { three: true }] } })],
    // The envelope.
    ["no triggerSource", at("triggerSource", DELETE)],
    ["triggerSource a number", at("triggerSource", 7)],
    ["triggerSource of another trigger", at("triggerSource", OTHER_SOURCE[trigger])],
    ["an unknown triggerSource", at("triggerSource", "PreFlight_Check")],
    ["a huge triggerSource", at("triggerSource", HUGE)],
    ["no userPoolId", at("userPoolId", DELETE)],
    ["userPoolId a number", at("userPoolId", 123)],
    ["version a number", at("version", 1)],
    ["version an object", at("version", { major: 2 })],
    ["version null", at("version", null)],
    ["region an array", at("region", ["eu-west-1"])],
    ["userName null", at("userName", null)],
    ["userName a number", at("userName", 1234)],
    ["userName an object", at("userName", { first: "taro" })],
    [
      "userName an object without a usable string form",
      at("userName", JSON.parse('{"toString":"x","valueOf":"y"}')),
    ],
    ["userName an array", at("userName", ["taro@example.com"])],
    ["userName empty", at("userName", "")],
    ["userName huge", at("userName", HUGE)],
    ["userName __proto__", at("userName", "__proto__")],
    // User migration folds the name to find the legacy record: other spellings, invisible characters.
    ["userName in full-width and mathematical letters", at("userName", "ＴＡＲＯ@𝐞𝐱𝐚𝐦𝐩𝐥𝐞.com")],
    ["userName with a zero-width space", at("userName", invisibleAt(2, "\u200B"))],
    ["userName with a filler", at("userName", invisibleAt(-3, "\u3164"))],
    ["callerContext null", at("callerContext", null)],
    ["callerContext an array", at("callerContext", [])],
    ["callerContext a string", at("callerContext", "client")],
    ["clientId a number", at("callerContext.clientId", 42)],
    ["clientId an object", at("callerContext.clientId", { id: "1h2j3k4l5m6n7o8p9q0r1s2t3u" })],
    ["clientId huge", at("callerContext.clientId", HUGE)],
    ["prototype-pollution keys in callerContext", at("callerContext", withPollution)],
    // The request.
    ["no request", at("request", DELETE)],
    ["request null", at("request", null)],
    ["request an array", at("request", [])],
    ["request a string", at("request", "request")],
    ["request a number", at("request", 0)],
    ["prototype-pollution keys in the request", at("request", withPollution)],
    ["unknown request fields", at("request.unexpectedField", { a: [1, { b: null }] })],
    ["no userAttributes", at("request.userAttributes", DELETE)],
    ["userAttributes null", at("request.userAttributes", null)],
    ["userAttributes an array", at("request.userAttributes", [["email", "taro@example.com"]])],
    ["userAttributes a string", at("request.userAttributes", "email=taro@example.com")],
    [
      "userAttributes values as numbers",
      at(
        "request.userAttributes",
        everyValue(() => 1),
      ),
    ],
    [
      "userAttributes values as booleans",
      at(
        "request.userAttributes",
        everyValue(() => true),
      ),
    ],
    [
      "userAttributes values null",
      at(
        "request.userAttributes",
        everyValue(() => null),
      ),
    ],
    [
      "userAttributes values as objects",
      at(
        "request.userAttributes",
        everyValue((v) => ({ value: v })),
      ),
    ],
    [
      "userAttributes values huge",
      at(
        "request.userAttributes",
        everyValue(() => HUGE),
      ),
    ],
    [
      "userAttributes values huge, hostile Unicode",
      at(
        "request.userAttributes",
        everyValue(() => HUGE_UNICODE),
      ),
    ],
    ["prototype-pollution keys in userAttributes", at("request.userAttributes", withPollution)],
    [
      "unknown attributes",
      at("request.userAttributes", (v: unknown) => ({ ...(v as Json), "custom:zzz": "1", "dev:x": "y" })),
    ],
    ["email_verified as a boolean", at("request.userAttributes.email_verified", true)],
    ["email an array of addresses", at("request.userAttributes.email", ["a@example.com", "b@example.com"])],
    // Characters that render as nothing, in the local part and in the domain (never admitted).
    ["email with a joiner in the local part", at("request.userAttributes.email", invisibleAt(1, "\u200D"))],
    ["email with a filler in the local part", at("request.userAttributes.email", invisibleAt(2, "\u3164"))],
    [
      "email with a tag character in the domain",
      at("request.userAttributes.email", invisibleAt(-4, "\u{E0041}")),
    ],
    [
      "email with a variation selector in the domain",
      at("request.userAttributes.email", invisibleAt(-6, "\uFE0F")),
    ],
    ["email with a byte order mark in front", at("request.userAttributes.email", invisibleAt(0, "\uFEFF"))],
    ["email_verified false", at("request.userAttributes.email_verified", "false")],
    ["no email_verified", at("request.userAttributes.email_verified", DELETE)],
    [
      "nickname of invisible characters only",
      at("request.userAttributes.nickname", "\u3164\u200B\u{E0041}\u202E"),
    ],
    [
      "nickname with joiners after spaces and braces",
      at("request.userAttributes.nickname", "Ta \u200D{\u200D}ro\u2060"),
    ],
    ["validationData a string", at("request.validationData", "sourceIp=203.0.113.5")],
    ["validationData an array", at("request.validationData", ["203.0.113.5"])],
    ["validationData a number", at("request.validationData", 203)],
    ["sourceIp a number", at("request.validationData.sourceIp", 3405803781)],
    ["sourceIp an array", at("request.validationData.sourceIp", ["203.0.113.5"])],
    ["sourceIp huge", at("request.validationData.sourceIp", HUGE)],
    ["prototype-pollution keys in validationData", at("request.validationData", withPollution)],
    ["clientMetadata an array", at("request.clientMetadata", [PLANTED_METADATA])],
    ["password a number", at("request.password", 12345678)],
    ["password an object", at("request.password", { value: PLANTED_PASSWORD })],
    ["password null", at("request.password", null)],
    ["password huge", at("request.password", `${PLANTED_PASSWORD}${HUGE}`)],
    ["newDeviceUsed as a string", at("request.newDeviceUsed", "true")],
    ["userNotFound as a string", at("request.userNotFound", "false")],
    ["codeParameter a number", at("request.codeParameter", 123456)],
    ["codeParameter null", at("request.codeParameter", null)],
    ["codeParameter empty", at("request.codeParameter", "")],
    ["codeParameter huge", at("request.codeParameter", `{####}${HUGE}`)],
    ["codeParameter a template token", at("request.codeParameter", "{{greeting}}{{content}}")],
    ["usernameParameter an object", at("request.usernameParameter", { name: "{username}" })],
    ["groupConfiguration null", at("request.groupConfiguration", null)],
    ["groupConfiguration a string", at("request.groupConfiguration", "editors")],
    ["groups as a string", at("request.groupConfiguration.groupsToOverride", "admins")],
    ["groups of wrong types", at("request.groupConfiguration.groupsToOverride", [1, null, {}, ["admins"]])],
    ["preferredRole an array", at("request.groupConfiguration.preferredRole", ["arn:aws:iam::1:role/x"])],
    ["prototype-pollution keys in groupConfiguration", at("request.groupConfiguration", withPollution)],
    ["scopes a string", at("request.scopes", "openid")],
    ["scopes of wrong types", at("request.scopes", [1, {}, null])],
    // The response Cognito pre-fills.
    ["no response", at("response", DELETE)],
    ["response null", at("response", null)],
    ["response an array", at("response", [])],
    ["response a string", at("response", "ok")],
    ["prototype-pollution keys in the response", at("response", withPollution)],
    [
      "response pre-filled with wrong types",
      at(
        "response",
        everyValue(() => 0),
      ),
    ],
    // Pre sign-up's flags pre-filled true: the answer must carry the policy's, never these.
    [
      "response flags pre-filled true",
      at("response", { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: true }),
    ],
    [
      "response flags pre-filled as strings",
      at("response", { autoConfirmUser: "true", autoVerifyEmail: "true", autoVerifyPhone: "true" }),
    ],
    // Custom message: its fields arrive with text; names carry the placeholders' text in other forms.
    [
      "message fields pre-filled with text",
      at("response", {
        smsMessage: `Your code is ${PLANTED_CLAIM}`,
        emailMessage: `<a href="https://evil.example">${PLANTED_CLAIM} {####}</a>`,
        emailSubject: PLANTED_CLAIM,
      }),
    ],
    [
      "codeParameter without braces, and in the nickname",
      both(at("request.codeParameter", "####"), at("request.userAttributes.nickname", "Code #### 000000")),
    ],
    ["codeParameter a word the templates contain", at("request.codeParameter", "code")],
    [
      "usernameParameter in the nickname",
      both(at("request.usernameParameter", "[[USER]]"), at("request.userAttributes.nickname", "Hi [[USER]]")),
    ],
    // Pre token generation: claims planted in both response shapes, event sources that are null.
    [
      "token responses pre-filled with claims",
      at("response", {
        claimsOverrideDetails: { claimsToAddOrOverride: { sub: PLANTED_CLAIM, role: PLANTED_CLAIM } },
        claimsAndScopeOverrideDetails: {
          idTokenGeneration: { claimsToAddOrOverride: { role: PLANTED_CLAIM } },
          accessTokenGeneration: { scopesToAdd: [PLANTED_CLAIM] },
          groupOverrideDetails: { groupsToOverride: [PLANTED_CLAIM] },
        },
      }),
    ],
    ["clientId null", at("callerContext.clientId", null)],
    ["clientId empty", at("callerContext.clientId", "")],
    ["no clientId", at("callerContext.clientId", DELETE)],
    ["a claim's source attribute null", at("request.userAttributes.custom:tenant_id", null)],
    ["a claim's source attribute empty", at("request.userAttributes.custom:tenant_id", "")],
  ];
}

/** The planted secrets, wherever an event may carry one. */
export function plant(event: Json): Json {
  const request = event.request as Json;
  // A custom sender's code, where Cognito sends one (the account-takeover notification has none).
  if (typeof request.code === "string") request.code = SENDER_CODES.planted;
  plantProviderSecrets(event);
  request.password = PLANTED_PASSWORD;
  const withSecrets = (current: unknown) => ({
    ...(current !== null && typeof current === "object" ? current : {}),
    password: PLANTED_PASSWORD,
    pin: PLANTED_METADATA,
  });
  request.validationData = withSecrets(request.validationData);
  request.clientMetadata = withSecrets(request.clientMetadata);
  return event;
}

export function hostileCorpus(): HostileCase[] {
  return BASES.flatMap(({ trigger, sample }) => {
    const env = sampleExpectation(sample).env;
    return mutations(trigger).map(([name, apply]) => {
      const mutated = apply(plant(sampleEvent(sample) as unknown as Json));
      const json = JSON.stringify(mutated) ?? "null";
      return { name: `${sample}: ${name}`, trigger, env, json, event: JSON.parse(json) as unknown };
    });
  });
}

/** Whether defineTrigger accepts the envelope (otherwise the answer must be the generic message). */
export function usableEnvelope(event: unknown, trigger: TriggerName): boolean {
  const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
  return (
    isRecord(event) &&
    typeof event.triggerSource === "string" &&
    (TRIGGERS[trigger].sources as readonly string[]).includes(event.triggerSource) &&
    isRecord(event.request) &&
    typeof event.userPoolId === "string"
  );
}
