/**
 * The documented shape of each handler's event and answer: the ecosystem's own Cognito trigger types
 * (`@types/aws-lambda`), with a small overlay where Cognito sends something those types do not allow.
 * Every deviation below names the sample event (events/<trigger>/) that shows what Cognito sends; the
 * type test (test/types/handler-types.test.ts) proves each one is needed (the sample does not
 * type-check as the @types event) and enough (it does as the overlay's).
 *
 * The overlay only ever widens (adds `null`, makes a field optional): every @types event is also an
 * overlay event, so each Lambda entry (`triggers/<trigger>/handler.ts`) is assignable to the matching
 * `...TriggerHandler` of @types/aws-lambda.
 *
 * Types only, imported with `import type`: nothing here reaches a bundle. They describe what Cognito
 * documents, not what the handlers trust: an event is still checked at run time (define-trigger.ts),
 * and every field a handler reads is narrowed where it is read (events.ts `stringMap`, ...).
 * events.ts (which the package's construct declarations reach) deliberately does not import these, so
 * a CDK consumer of the package never needs @types/aws-lambda.
 *
 * Deviations from @types/aws-lambda 8.10.164:
 * - pre sign-up: `request.validationData` is null when the client sent none
 *   (events/pre-sign-up/sign-up-allowed.json, and every pre sign-up sample).
 * - pre authentication: `request.validationData` is null when the client sent none
 *   (events/pre-authentication/ip-missing.json, allowlist-off.json).
 * - pre token generation, all versions: `request.groupConfiguration.preferredRole` is null for a user
 *   without a preferred IAM role (events/pre-token-generation/authentication-v1.json, authentication-v2.json,
 *   client-credentials-v3.json), and the answer copies it (authentication-v1.expected.json).
 * - pre token generation V1: `response.claimsOverrideDetails` arrives null
 *   (events/pre-token-generation/authentication-v1.json); null is also the answer "change nothing".
 * - pre token generation V2/V3: `response.claimsAndScopeOverrideDetails` arrives null
 *   (events/pre-token-generation/authentication-v2.json, client-credentials-v3.json); and a claim added
 *   to a V2/V3 token may be any JSON value, not only a string
 *   (events/pre-token-generation/authentication-v2.expected.json: `"features": ["notes", "sharing"]`).
 *   A V3_0 pool's user events (version "3", TokenGeneration_Authentication ...) are the @types V2
 *   events (their `version` is any string); @types' V3 type covers TokenGeneration_ClientCredentials.
 * - user migration: every response field arrives null
 *   (events/user-migration/authentication.json); `request.validationData` is null when the client sent
 *   none and UserMigration_ForgotPassword carries no `password` at all
 *   (events/user-migration/forgot-password.json).
 * Custom message, post authentication, post confirmation, inbound federation and the custom senders
 * need no overlay so far: their samples are the
 * @types events as they are (`usernameParameter` and the three message fields null, `clientMetadata`
 * absent, `response` {}), and so are their aliases here.
 */
import type {
  AccessTokenGenerationV3,
  ClaimsAndScopeOverrideDetailsV3,
  CustomEmailSenderTriggerEvent,
  CustomMessageTriggerEvent,
  CustomSMSSenderTriggerEvent,
  GroupOverrideDetailsV3,
  IdTokenGenerationV3,
  InboundFederationTriggerEvent,
  PostAuthenticationTriggerEvent,
  PostConfirmationTriggerEvent,
  PreAuthenticationTriggerEvent,
  PreSignUpTriggerEvent,
  PreTokenGenerationTriggerEvent,
  PreTokenGenerationV2TriggerEvent,
  PreTokenGenerationV3TriggerEvent,
  UserMigrationAuthenticationTriggerEvent,
  UserMigrationForgotPasswordTriggerEvent,
} from "aws-lambda";
import type { InvocationContext, StringMap, TriggerName } from "./events.ts";

/** T with the members of Changes replaced, written out as one object type (so an IDE shows fields). */
type Replace<T, Changes> = {
  [K in keyof (Omit<T, keyof Changes> & Changes)]: (Omit<T, keyof Changes> & Changes)[K];
};

/** An @types event (each member of a union on its own) with request and response fields replaced. */
type Overlay<
  Event extends { request: object; response: object },
  Request extends object = Record<never, never>,
  Response extends object = Record<never, never>,
> = Event extends unknown
  ? Replace<
      Event,
      { request: Replace<Event["request"], Request>; response: Replace<Event["response"], Response> }
    >
  : never;

/** Absent, or null when the client sent no ValidationData (pre sign-up, pre authentication, user migration). */
type NullableValidationData = { validationData?: StringMap | null | undefined };

// --- pre sign-up -------------------------------------------------------------------------------------

export type PreSignUpEvent = Overlay<PreSignUpTriggerEvent, NullableValidationData>;

// --- custom message (no deviation) -------------------------------------------------------------------

export type CustomMessageEvent = CustomMessageTriggerEvent;

// --- pre authentication ------------------------------------------------------------------------------

export type PreAuthenticationEvent = Overlay<PreAuthenticationTriggerEvent, NullableValidationData>;

// --- post authentication, post confirmation (no deviation) ------------------------------------------

export type PostAuthenticationEvent = PostAuthenticationTriggerEvent;

export type PostConfirmationEvent = PostConfirmationTriggerEvent;

// --- pre token generation ----------------------------------------------------------------------------

/** A claim value of a V2/V3 token: any JSON but null (Cognito refuses a null claim). */
export type ClaimValue = string | number | boolean | ClaimValue[] | { [claim: string]: ClaimValue };

/** Groups as Cognito sends them in `request.groupConfiguration`, and as the answer may copy them. */
export type GroupConfiguration = Replace<
  GroupOverrideDetailsV3,
  { preferredRole?: string | null | undefined }
>;

type WithGroups = { groupConfiguration: GroupConfiguration };

/** V1 (ID token only, string claims). */
export type ClaimsOverrideDetails = Replace<
  NonNullable<PreTokenGenerationTriggerEvent["response"]["claimsOverrideDetails"]>,
  { groupOverrideDetails?: GroupConfiguration | undefined }
>;

type TokenClaims = { claimsToAddOrOverride?: { [claim: string]: ClaimValue } | undefined };

/** V2 and V3 (ID and access tokens, scopes): JSON claim values. */
export type ClaimsAndScopeOverrideDetails = Replace<
  ClaimsAndScopeOverrideDetailsV3,
  {
    idTokenGeneration?: Replace<IdTokenGenerationV3, TokenClaims> | undefined;
    accessTokenGeneration?: Replace<AccessTokenGenerationV3, TokenClaims> | undefined;
    groupOverrideDetails?: GroupConfiguration | undefined;
  }
>;

export type PreTokenGenerationV1Event = Overlay<
  PreTokenGenerationTriggerEvent,
  WithGroups,
  { claimsOverrideDetails: ClaimsOverrideDetails | null }
>;

export type PreTokenGenerationV2Event = Overlay<
  PreTokenGenerationV2TriggerEvent | PreTokenGenerationV3TriggerEvent,
  WithGroups,
  { claimsAndScopeOverrideDetails: ClaimsAndScopeOverrideDetails | null }
>;

/** Which one a pool sends is its LambdaVersion (V1_0, V2_0, V3_0); the answer takes the same shape. */
export type PreTokenGenerationEvent = PreTokenGenerationV1Event | PreTokenGenerationV2Event;

// --- user migration ----------------------------------------------------------------------------------

/** Arrives with every field null; the answer sets them (user-migration/migration-response.ts). */
type NullableMigrationResponse = {
  [K in keyof UserMigrationAuthenticationTriggerEvent["response"]]:
    | UserMigrationAuthenticationTriggerEvent["response"][K]
    | null;
};

export type UserMigrationEvent =
  | Overlay<UserMigrationAuthenticationTriggerEvent, NullableValidationData, NullableMigrationResponse>
  | Overlay<
      UserMigrationForgotPasswordTriggerEvent,
      NullableValidationData & { password?: string | undefined },
      NullableMigrationResponse
    >;

// --- inbound federation, custom email and SMS senders (no deviation) ---------------------------------

export type InboundFederationEvent = InboundFederationTriggerEvent;

export type CustomEmailSenderEvent = CustomEmailSenderTriggerEvent;

export type CustomSmsSenderEvent = CustomSMSSenderTriggerEvent;

// --- handlers ----------------------------------------------------------------------------------------

/** The documented event of each trigger. */
export interface CognitoEvents {
  "pre-sign-up": PreSignUpEvent;
  "custom-message": CustomMessageEvent;
  "pre-authentication": PreAuthenticationEvent;
  "post-authentication": PostAuthenticationEvent;
  "post-confirmation": PostConfirmationEvent;
  "pre-token-generation": PreTokenGenerationEvent;
  "user-migration": UserMigrationEvent;
  "inbound-federation": InboundFederationEvent;
  "custom-email-sender": CustomEmailSenderEvent;
  "custom-sms-sender": CustomSmsSenderEvent;
}

/** Given the event Cognito documents, the handler answers with that event, its response set. */
export type DocumentedHandler<Event> = (event: Event, context?: Partial<InvocationContext>) => Promise<Event>;

/**
 * A Lambda entry: the documented signature first (what an IDE shows), then the one the runtime really
 * has, for anything else (a replayed file, an emulator, a hostile caller), which is checked and, when
 * malformed, refused with the generic message.
 */
export type CognitoTriggerHandler<Event> = DocumentedHandler<Event> &
  ((event: unknown, context?: Partial<InvocationContext>) => Promise<unknown>);

export type TriggerHandlerOf<Name extends TriggerName> = CognitoTriggerHandler<CognitoEvents[Name]>;
