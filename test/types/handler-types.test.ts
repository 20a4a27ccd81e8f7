/**
 * The handlers' types, checked by `tsc --noEmit` (vitest only runs the empty shell below; expectTypeOf
 * does nothing at run time, and every import here is type-only, so no handler is loaded).
 * - Each Lambda entry (triggers/<trigger>/handler.ts `handler`) is assignable to the matching
 *   @types/aws-lambda `...TriggerHandler`, and so is its documented signature on its own (not only its
 *   run-time `unknown` overload).
 * - The overlay (triggers/lib/cognito-event-types.ts) only widens: every @types event is an overlay event.
 * - Each deviation is needed and enough: the sample event that shows it type-checks as the overlay's
 *   event and not as the @types event. Samples without a deviation type-check as the @types event.
 */
import type {
  CustomEmailSenderTriggerEvent,
  CustomEmailSenderTriggerHandler,
  CustomMessageTriggerEvent,
  CustomMessageTriggerHandler,
  CustomSMSSenderTriggerEvent,
  CustomSMSSenderTriggerHandler,
  InboundFederationTriggerEvent,
  InboundFederationTriggerHandler,
  Handler as LambdaHandler,
  PostAuthenticationTriggerEvent,
  PostAuthenticationTriggerHandler,
  PostConfirmationTriggerEvent,
  PostConfirmationTriggerHandler,
  PreAuthenticationTriggerEvent,
  PreAuthenticationTriggerHandler,
  PreSignUpTriggerEvent,
  PreSignUpTriggerHandler,
  PreTokenGenerationTriggerEvent,
  PreTokenGenerationTriggerHandler,
  PreTokenGenerationV2TriggerEvent,
  PreTokenGenerationV2TriggerHandler,
  PreTokenGenerationV3TriggerEvent,
  PreTokenGenerationV3TriggerHandler,
  UserMigrationTriggerEvent,
  UserMigrationTriggerHandler,
} from "aws-lambda";
import { describe, expectTypeOf, it } from "vitest";
import type { handler as customEmailSender } from "../../triggers/custom-email-sender/handler.ts";
import type { handler as customMessage } from "../../triggers/custom-message/handler.ts";
import type { handler as customSmsSender } from "../../triggers/custom-sms-sender/handler.ts";
import type { handler as inboundFederation } from "../../triggers/inbound-federation/handler.ts";
import type {
  CognitoEvents,
  CustomEmailSenderEvent,
  CustomMessageEvent,
  CustomSmsSenderEvent,
  DocumentedHandler,
  InboundFederationEvent,
  PostAuthenticationEvent,
  PostConfirmationEvent,
  PreAuthenticationEvent,
  PreSignUpEvent,
  PreTokenGenerationEvent,
  PreTokenGenerationV1Event,
  PreTokenGenerationV2Event,
  UserMigrationEvent,
} from "../../triggers/lib/cognito-event-types.ts";
import type { Handler as RuntimeHandler } from "../../triggers/lib/define-trigger.ts";
import type { StringMap, TriggerEvent, TriggerName } from "../../triggers/lib/events.ts";
import type { handler as postAuthentication } from "../../triggers/post-authentication/handler.ts";
import type { handler as postConfirmation } from "../../triggers/post-confirmation/handler.ts";
import type { handler as preAuthentication } from "../../triggers/pre-authentication/handler.ts";
import type { handler as preSignUp } from "../../triggers/pre-sign-up/handler.ts";
import type { SignUpFlags } from "../../triggers/pre-sign-up/response-flags.ts";
import type { handler as preTokenGeneration } from "../../triggers/pre-token-generation/handler.ts";
import type { handler as userMigration } from "../../triggers/user-migration/handler.ts";
import type { MigrationResponse } from "../../triggers/user-migration/migration-response.ts";

// `typeof import()` of a JSON file is its content's type (module NodeNext).
/** A sample event file's JSON type, its triggerSource (a plain string in JSON) narrowed to `Source`. */
type Sample<Json, Source extends string> = Omit<Json, "triggerSource"> & { triggerSource: Source };
type WithoutRequestField<Json extends { request: object }, Field extends string> = Omit<Json, "request"> & {
  request: Omit<Json["request"], Field>;
};
type Expected<Json extends { result: object }, Source extends string> = Sample<Json["result"], Source>;

type PreSignUpSample = typeof import("../../events/pre-sign-up/sign-up-allowed.json", { with: {
  type: "json",
}});
type PreSignUpClientMetadataSample =
  typeof import("../../events/pre-sign-up/admin-create-user.json", { with: { type: "json" }});
type CustomMessageSample = typeof import("../../events/custom-message/admin-create-user.json", { with: {
  type: "json",
}});
type CustomMessageExpected = typeof import("../../events/custom-message/sign-up.expected.json", { with: {
  type: "json",
}});
type PreAuthenticationSample = typeof import("../../events/pre-authentication/ip-missing.json", { with: {
  type: "json",
}});
type PreAuthenticationWithDataSample =
  typeof import("../../events/pre-authentication/allowed-ipv4-trusted-client.json", { with: {
    type: "json",
  }});
type PostAuthenticationSample = typeof import("../../events/post-authentication/sign-in.json", { with: {
  type: "json",
}});
type PostConfirmationSample = typeof import("../../events/post-confirmation/confirm-sign-up.json", { with: {
  type: "json",
}});
type TokenV1Sample = typeof import("../../events/pre-token-generation/authentication-v1.json", { with: {
  type: "json",
}});
type TokenV1Expected =
  typeof import("../../events/pre-token-generation/authentication-v1.expected.json", { with: {
    type: "json",
  }});
type TokenV2Sample = typeof import("../../events/pre-token-generation/authentication-v2.json", { with: {
  type: "json",
}});
type TokenV2Expected =
  typeof import("../../events/pre-token-generation/authentication-v2.expected.json", { with: {
    type: "json",
  }});
type TokenV3Sample = typeof import("../../events/pre-token-generation/client-credentials-v3.json", { with: {
  type: "json",
}});
type MigrationSignInSample = typeof import("../../events/user-migration/authentication.json", { with: {
  type: "json",
}});
type MigrationForgotSample = typeof import("../../events/user-migration/forgot-password.json", { with: {
  type: "json",
}});
type FederationOidcSample =
  typeof import("../../events/inbound-federation/oidc-google-allowed.json", { with: { type: "json" }});
type FederationOidcExpected =
  typeof import("../../events/inbound-federation/oidc-google-allowed.expected.json", { with: {
    type: "json",
  }});
type FederationSamlSample = typeof import("../../events/inbound-federation/saml-allowed.json", { with: {
  type: "json",
}});
type EmailSenderSample = typeof import("../../events/custom-email-sender/sign-up.json", { with: {
  type: "json",
}});
type EmailSenderWithoutCodeSample =
  typeof import("../../events/custom-email-sender/sign-up-without-code.json", { with: { type: "json" }});
type AccountTakeoverSample =
  typeof import("../../events/custom-email-sender/account-takeover-notification.json", { with: {
    type: "json",
  }});
type SmsSenderSample = typeof import("../../events/custom-sms-sender/sign-up.json", { with: {
  type: "json",
}});

/** A federation sample with its providerType (a plain string in JSON) narrowed to `Provider`. */
type FederationSample<Json extends { request: object }, Provider extends string> = Sample<
  Omit<Json, "request"> & { request: Omit<Json["request"], "providerType"> & { providerType: Provider } },
  "InboundFederation_ExternalProvider"
>;
/** The account-takeover sample, its action narrowed to the documented values. */
type AccountTakeover<Json extends { request: { userAttributes: object } }> = Sample<
  Omit<Json, "request"> & {
    request: Omit<Json["request"], "userAttributes"> & {
      userAttributes: Omit<Json["request"]["userAttributes"], "ACCOUNT_TAKE_OVER_ACTION"> & {
        ACCOUNT_TAKE_OVER_ACTION: "BLOCK";
      };
    };
  },
  "CustomEmailSender_AccountTakeOverNotification"
>;

describe("handler types (checked by tsc --noEmit)", () => {
  it("each Lambda entry is assignable to its @types/aws-lambda handler type", () => {
    expectTypeOf<typeof preSignUp>().toExtend<PreSignUpTriggerHandler>();
    expectTypeOf<typeof customMessage>().toExtend<CustomMessageTriggerHandler>();
    expectTypeOf<typeof preAuthentication>().toExtend<PreAuthenticationTriggerHandler>();
    expectTypeOf<typeof postAuthentication>().toExtend<PostAuthenticationTriggerHandler>();
    expectTypeOf<typeof postConfirmation>().toExtend<PostConfirmationTriggerHandler>();
    expectTypeOf<typeof preTokenGeneration>().toExtend<PreTokenGenerationTriggerHandler>();
    expectTypeOf<typeof preTokenGeneration>().toExtend<PreTokenGenerationV2TriggerHandler>();
    expectTypeOf<typeof preTokenGeneration>().toExtend<PreTokenGenerationV3TriggerHandler>();
    expectTypeOf<typeof userMigration>().toExtend<UserMigrationTriggerHandler>();
    expectTypeOf<typeof inboundFederation>().toExtend<InboundFederationTriggerHandler>();
    expectTypeOf<typeof customEmailSender>().toExtend<CustomEmailSenderTriggerHandler>();
    expectTypeOf<typeof customSmsSender>().toExtend<CustomSMSSenderTriggerHandler>();
  });

  it("each Lambda entry has its documented signature, which alone is assignable to the @types handler", () => {
    expectTypeOf<typeof preSignUp>().toExtend<DocumentedHandler<PreSignUpEvent>>();
    expectTypeOf<typeof customMessage>().toExtend<DocumentedHandler<CustomMessageEvent>>();
    expectTypeOf<typeof preAuthentication>().toExtend<DocumentedHandler<PreAuthenticationEvent>>();
    expectTypeOf<typeof postAuthentication>().toExtend<DocumentedHandler<PostAuthenticationEvent>>();
    expectTypeOf<typeof postConfirmation>().toExtend<DocumentedHandler<PostConfirmationEvent>>();
    expectTypeOf<typeof preTokenGeneration>().toExtend<DocumentedHandler<PreTokenGenerationEvent>>();
    expectTypeOf<typeof userMigration>().toExtend<DocumentedHandler<UserMigrationEvent>>();
    expectTypeOf<typeof inboundFederation>().toExtend<DocumentedHandler<InboundFederationEvent>>();
    expectTypeOf<typeof customEmailSender>().toExtend<DocumentedHandler<CustomEmailSenderEvent>>();
    expectTypeOf<typeof customSmsSender>().toExtend<DocumentedHandler<CustomSmsSenderEvent>>();

    expectTypeOf<DocumentedHandler<PreSignUpEvent>>().toExtend<PreSignUpTriggerHandler>();
    expectTypeOf<DocumentedHandler<PreAuthenticationEvent>>().toExtend<PreAuthenticationTriggerHandler>();
    expectTypeOf<DocumentedHandler<PreTokenGenerationEvent>>().toExtend<PreTokenGenerationTriggerHandler>();
    expectTypeOf<DocumentedHandler<PreTokenGenerationEvent>>().toExtend<PreTokenGenerationV2TriggerHandler>();
    expectTypeOf<DocumentedHandler<PreTokenGenerationEvent>>().toExtend<PreTokenGenerationV3TriggerHandler>();
    expectTypeOf<DocumentedHandler<UserMigrationEvent>>().toExtend<UserMigrationTriggerHandler>();
    // No overlay: event and answer are exactly the @types event.
    expectTypeOf<DocumentedHandler<CustomMessageEvent>>().toExtend<
      LambdaHandler<CustomMessageTriggerEvent, CustomMessageTriggerEvent>
    >();
    expectTypeOf<DocumentedHandler<PostAuthenticationEvent>>().toExtend<
      LambdaHandler<PostAuthenticationTriggerEvent, PostAuthenticationTriggerEvent>
    >();
    expectTypeOf<DocumentedHandler<PostConfirmationEvent>>().toExtend<
      LambdaHandler<PostConfirmationTriggerEvent, PostConfirmationTriggerEvent>
    >();
    expectTypeOf<DocumentedHandler<InboundFederationEvent>>().toExtend<
      LambdaHandler<InboundFederationTriggerEvent, InboundFederationTriggerEvent>
    >();
    expectTypeOf<DocumentedHandler<CustomEmailSenderEvent>>().toExtend<
      LambdaHandler<CustomEmailSenderTriggerEvent, CustomEmailSenderTriggerEvent>
    >();
    expectTypeOf<DocumentedHandler<CustomSmsSenderEvent>>().toExtend<
      LambdaHandler<CustomSMSSenderTriggerEvent, CustomSMSSenderTriggerEvent>
    >();
  });

  it("each Lambda entry still takes anything at run time (the CLI and hostile-event tests call it so)", () => {
    expectTypeOf<typeof preSignUp>().toExtend<RuntimeHandler>();
    expectTypeOf<typeof userMigration>().toExtend<RuntimeHandler>();
    expectTypeOf<typeof inboundFederation>().toExtend<RuntimeHandler>();
    expectTypeOf<typeof customEmailSender>().toExtend<RuntimeHandler>();
    expectTypeOf<typeof customSmsSender>().toExtend<RuntimeHandler>();
    expectTypeOf<typeof preSignUp>().toBeCallableWith({ not: "an event" });
  });

  it("the overlay only widens @types, and stays within what the runtime check lets through", () => {
    expectTypeOf<PreSignUpTriggerEvent>().toExtend<PreSignUpEvent>();
    expectTypeOf<CustomMessageTriggerEvent>().toEqualTypeOf<CustomMessageEvent>();
    expectTypeOf<PreAuthenticationTriggerEvent>().toExtend<PreAuthenticationEvent>();
    expectTypeOf<PostAuthenticationTriggerEvent>().toEqualTypeOf<PostAuthenticationEvent>();
    expectTypeOf<PostConfirmationTriggerEvent>().toEqualTypeOf<PostConfirmationEvent>();
    expectTypeOf<PreTokenGenerationTriggerEvent>().toExtend<PreTokenGenerationV1Event>();
    expectTypeOf<PreTokenGenerationV2TriggerEvent>().toExtend<PreTokenGenerationV2Event>();
    expectTypeOf<PreTokenGenerationV3TriggerEvent>().toExtend<PreTokenGenerationV2Event>();
    expectTypeOf<UserMigrationTriggerEvent>().toExtend<UserMigrationEvent>();
    expectTypeOf<InboundFederationTriggerEvent>().toEqualTypeOf<InboundFederationEvent>();
    expectTypeOf<CustomEmailSenderTriggerEvent>().toEqualTypeOf<CustomEmailSenderEvent>();
    expectTypeOf<CustomSMSSenderTriggerEvent>().toEqualTypeOf<CustomSmsSenderEvent>();
    expectTypeOf<CognitoEvents[TriggerName]>().toExtend<TriggerEvent>();
  });

  it("each deviation is what the overlay says", () => {
    expectTypeOf<PreSignUpEvent["request"]["validationData"]>().toEqualTypeOf<StringMap | null | undefined>();
    expectTypeOf<PreAuthenticationEvent["request"]["validationData"]>().toEqualTypeOf<
      StringMap | null | undefined
    >();
    expectTypeOf<PreTokenGenerationV1Event["response"]["claimsOverrideDetails"]>().toExtend<object | null>();
    expectTypeOf<null>().toExtend<PreTokenGenerationV1Event["response"]["claimsOverrideDetails"]>();
    expectTypeOf<null>().toExtend<PreTokenGenerationV2Event["response"]["claimsAndScopeOverrideDetails"]>();
    expectTypeOf<null>().toExtend<
      PreTokenGenerationEvent["request"]["groupConfiguration"]["preferredRole"]
    >();
    expectTypeOf<null>().toExtend<UserMigrationEvent["response"]["userAttributes"]>();
    expectTypeOf<null>().toExtend<UserMigrationEvent["response"]["desiredDeliveryMediums"]>();
    expectTypeOf<{ triggerSource: "UserMigration_Authentication" } & UserMigrationEvent>()
      .toHaveProperty("request")
      .toHaveProperty("password")
      .toEqualTypeOf<string>();
    // An answer the handlers never give is still refused.
    expectTypeOf<{ claimsToAddOrOverride: { tenant: null } }>().not.toExtend<
      NonNullable<PreTokenGenerationV2Event["response"]["claimsAndScopeOverrideDetails"]>["idTokenGeneration"]
    >();
  });

  it("sample events type-check as the overlay's events, and as @types' only where there is no deviation", () => {
    // pre sign-up: validationData null.
    expectTypeOf<Sample<PreSignUpSample, "PreSignUp_SignUp">>().toExtend<PreSignUpEvent>();
    expectTypeOf<Sample<PreSignUpSample, "PreSignUp_SignUp">>().not.toExtend<PreSignUpTriggerEvent>();
    expectTypeOf<
      Sample<PreSignUpClientMetadataSample, "PreSignUp_AdminCreateUser">
    >().toExtend<PreSignUpEvent>();
    // custom message: none (usernameParameter and the answer's fields null are @types' own).
    expectTypeOf<
      Sample<CustomMessageSample, "CustomMessage_AdminCreateUser">
    >().toExtend<CustomMessageTriggerEvent>();
    expectTypeOf<
      Expected<CustomMessageExpected, "CustomMessage_SignUp">
    >().toExtend<CustomMessageTriggerEvent>();
    // pre authentication: validationData null.
    expectTypeOf<
      Sample<PreAuthenticationSample, "PreAuthentication_Authentication">
    >().toExtend<PreAuthenticationEvent>();
    expectTypeOf<
      Sample<PreAuthenticationSample, "PreAuthentication_Authentication">
    >().not.toExtend<PreAuthenticationTriggerEvent>();
    expectTypeOf<
      Sample<PreAuthenticationWithDataSample, "PreAuthentication_Authentication">
    >().toExtend<PreAuthenticationTriggerEvent>();
    // post authentication, post confirmation: none.
    expectTypeOf<
      Sample<PostAuthenticationSample, "PostAuthentication_Authentication">
    >().toExtend<PostAuthenticationTriggerEvent>();
    expectTypeOf<
      Sample<PostConfirmationSample, "PostConfirmation_ConfirmSignUp">
    >().toExtend<PostConfirmationTriggerEvent>();
    // pre token generation: null response and preferredRole; JSON claim values in a V2 answer.
    expectTypeOf<
      Sample<TokenV1Sample, "TokenGeneration_Authentication">
    >().toExtend<PreTokenGenerationEvent>();
    expectTypeOf<
      Sample<TokenV1Sample, "TokenGeneration_Authentication">
    >().not.toExtend<PreTokenGenerationTriggerEvent>();
    expectTypeOf<
      Expected<TokenV1Expected, "TokenGeneration_Authentication">
    >().toExtend<PreTokenGenerationV1Event>();
    expectTypeOf<
      Expected<TokenV1Expected, "TokenGeneration_Authentication">
    >().not.toExtend<PreTokenGenerationTriggerEvent>();
    expectTypeOf<
      Sample<TokenV2Sample, "TokenGeneration_Authentication">
    >().toExtend<PreTokenGenerationEvent>();
    expectTypeOf<
      Sample<TokenV2Sample, "TokenGeneration_Authentication">
    >().not.toExtend<PreTokenGenerationV2TriggerEvent>();
    expectTypeOf<
      Expected<TokenV2Expected, "TokenGeneration_Authentication">
    >().toExtend<PreTokenGenerationV2Event>();
    expectTypeOf<
      Expected<TokenV2Expected, "TokenGeneration_Authentication">
    >().not.toExtend<PreTokenGenerationV2TriggerEvent>();
    expectTypeOf<
      Sample<Omit<TokenV3Sample, "version"> & { version: "3" }, "TokenGeneration_ClientCredentials">
    >().toExtend<PreTokenGenerationEvent>();
    // user migration: null validationData and response fields; no password on ForgotPassword.
    expectTypeOf<
      Sample<MigrationSignInSample, "UserMigration_Authentication">
    >().toExtend<UserMigrationEvent>();
    expectTypeOf<
      Sample<MigrationSignInSample, "UserMigration_Authentication">
    >().not.toExtend<UserMigrationTriggerEvent>();
    expectTypeOf<
      Sample<MigrationForgotSample, "UserMigration_ForgotPassword">
    >().toExtend<UserMigrationEvent>();
    expectTypeOf<
      Sample<MigrationForgotSample, "UserMigration_ForgotPassword">
    >().not.toExtend<UserMigrationTriggerEvent>();
    // ... and without the deviating field, the same samples are @types events: the deviation is the reason.
    expectTypeOf<
      Sample<WithoutRequestField<PreSignUpSample, "validationData">, "PreSignUp_SignUp">
    >().toExtend<PreSignUpTriggerEvent>();
    expectTypeOf<
      Sample<
        WithoutRequestField<PreAuthenticationSample, "validationData">,
        "PreAuthentication_Authentication"
      >
    >().toExtend<PreAuthenticationTriggerEvent>();
    // inbound federation: none (an OIDC and a SAML sign-in, and the answer).
    expectTypeOf<
      FederationSample<FederationOidcSample, "Google">
    >().toExtend<InboundFederationTriggerEvent>();
    expectTypeOf<FederationSample<FederationSamlSample, "SAML">>().toExtend<InboundFederationTriggerEvent>();
    expectTypeOf<
      FederationSample<FederationOidcExpected["result"], "Google">
    >().toExtend<InboundFederationTriggerEvent>();
    // custom senders: a code, a null code, an SMS.
    expectTypeOf<Sample<EmailSenderSample, "CustomEmailSender_SignUp">>().toExtend<CustomEmailSenderEvent>();
    expectTypeOf<
      Sample<EmailSenderWithoutCodeSample, "CustomEmailSender_SignUp">
    >().toExtend<CustomEmailSenderEvent>();
    expectTypeOf<Sample<SmsSenderSample, "CustomSMSSender_SignUp">>().toExtend<CustomSmsSenderEvent>();
    // The account-takeover notification: no code, the threat protection fields as userAttributes.
    expectTypeOf<AccountTakeover<AccountTakeoverSample>>().toExtend<CustomEmailSenderEvent>();
    // The answers the handlers build are the @types answers.
    expectTypeOf<MigrationResponse>().toExtend<UserMigrationTriggerEvent["response"]>();
    expectTypeOf<SignUpFlags>().toEqualTypeOf<PreSignUpTriggerEvent["response"]>();
  });
});
