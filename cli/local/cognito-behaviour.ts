/**
 * Cognito's trigger behaviour, as data: for every triggerSource of the ten triggers, which user-pool
 * API operations fire it in real Cognito (and when), whether a trigger error fails the call, and who
 * fires it in the local pool: cognito-local itself, the suite's pool proxy (pool-proxy.ts) where
 * cognito-local does not, or nobody, with the reason and what covers it instead.
 *
 * This table is the single source the local pool runs from (the proxy fires exactly the rows marked
 * "suite", in the order listed here, and turns into a failed call exactly the errors of rows whose
 * `failsCall` is true), and docs/local-pool.md's parity matrix is rendered from it
 * (test/e2e/parity-matrix.test.ts holds the two equal). The optional triggers a deployment attaches only
 * when asked are attached locally only on request too (LOCAL_OPT_INS).
 */

/** Cognito's name of a trigger, as in LambdaConfig and in its error messages ("<Trigger> failed with error …"). */
export type CognitoTrigger =
  | "PreSignUp"
  | "CustomMessage"
  | "PreAuthentication"
  | "PostAuthentication"
  | "PostConfirmation"
  | "PreTokenGeneration"
  | "UserMigration"
  | "InboundFederation"
  | "CustomEmailSender"
  | "CustomSMSSender";

/** An optional trigger `cognito-triggers local` attaches when asked (its flag is `--<name>`). */
export type LocalOptIn = "custom-email-sender";

export interface LocalOptInBehaviour {
  /** The flag of `cognito-triggers local` that attaches it. */
  readonly flag: string;
  readonly attaches: CognitoTrigger;
  /**
   * The trigger Cognito no longer calls once this one is attached: a custom email sender takes the
   * email over from Cognito, so Custom message does not run for it (the sender renders the same
   * templates itself).
   */
  readonly supersedes?: CognitoTrigger;
}

export const LOCAL_OPT_INS: Readonly<Record<LocalOptIn, LocalOptInBehaviour>> = {
  "custom-email-sender": {
    flag: "--custom-email-sender",
    attaches: "CustomEmailSender",
    supersedes: "CustomMessage",
  },
};

/** Who fires a row in the local pool. */
export type LocalFiring =
  /**
   * cognito-local sends the event itself (the proxy surfaces the errors it swallows); for the
   * operations in `alsoBySuite` cognito-local does not, and the proxy sends it.
   */
  | {
      by: "cognito-local";
      alsoBySuite?: { operations: readonly string[]; phase: "before" | "after" };
      /** Only when `cognito-triggers local` runs with this optional trigger attached. */
      optIn?: LocalOptIn;
    }
  /** The pool proxy sends it: before the call reaches cognito-local, or after it answered. */
  | { by: "suite"; phase: "before" | "after"; optIn?: LocalOptIn }
  /** Nobody can: why, and what covers the row instead. */
  | { by: "none"; why: string; coveredBy: string };

export interface TriggerRow {
  readonly triggerSource: string;
  readonly trigger: CognitoTrigger;
  /** The API operations that fire it in real Cognito, and when. */
  readonly operations: readonly string[];
  readonly when: string;
  /** Whether the trigger's error (or its 5-second timeout) fails the API call in real Cognito. */
  readonly failsCall: boolean;
  readonly local: LocalFiring;
  /** The end-to-end test that proves the row locally (test/e2e/), or what proves it instead. */
  readonly provenBy: string;
  /** The AWS documentation the row comes from. */
  readonly docs: string;
}

const GUIDE = "https://docs.aws.amazon.com/cognito/latest/developerguide";
const DOCS = {
  preSignUp: `${GUIDE}/user-pool-lambda-pre-sign-up.html`,
  customMessage: `${GUIDE}/user-pool-lambda-custom-message.html`,
  preAuthentication: `${GUIDE}/user-pool-lambda-pre-authentication.html`,
  postAuthentication: `${GUIDE}/user-pool-lambda-post-authentication.html`,
  postConfirmation: `${GUIDE}/user-pool-lambda-post-confirmation.html`,
  preTokenGeneration: `${GUIDE}/user-pool-lambda-pre-token-generation.html`,
  userMigration: `${GUIDE}/user-pool-lambda-migrate-user.html`,
  inboundFederation: `${GUIDE}/user-pool-lambda-inbound-federation.html`,
  customEmailSender: `${GUIDE}/user-pool-lambda-custom-email-sender.html`,
  customSmsSender: `${GUIDE}/user-pool-lambda-custom-sms-sender.html`,
};

const SIGN_IN = ["InitiateAuth (USER_PASSWORD_AUTH)", "AdminInitiateAuth (ADMIN_USER_PASSWORD_AUTH)"];
/** A sign-in that sends a one-time code: an MFA code after a password, or a passwordless OTP (USER_AUTH). */
const CODE_SIGN_IN = [
  "InitiateAuth (USER_AUTH, or a password flow)",
  "AdminInitiateAuth",
  "RespondToAuthChallenge",
];
const E2E = "test/e2e/local-parity.test.ts";
const REPLAY = "replay of events/ (test/contract/replay-samples.test.ts)";
const SENDER_E2E = "test/e2e/local-custom-email-sender.test.ts";
/** What covers a row of the optional triggers that no local pool can fire. */
const replayAndUnits = (trigger: string, unitTests: string) =>
  `replay of events/${trigger}/ (test/contract/replay-samples.test.ts) and the unit tests under ${unitTests}`;
const FEDERATION_COVER = replayAndUnits("inbound-federation", "test/inbound-federation/");
const EMAIL_SENDER_COVER = replayAndUnits("custom-email-sender", "test/custom-sender/");
const SMS_SENDER_COVER = replayAndUnits("custom-sms-sender", "test/custom-sender/");
/** Why the custom SMS sender never runs locally. */
const NO_SMS_SENDER =
  "cognito-local has no custom SMS sender (it hands codes only to a custom email sender, and prints its texts)";
/** The custom senders are the one kind of trigger Cognito invokes asynchronously. */
const SENT_ASYNC = "invoked asynchronously (the call does not wait for it)";

export const TRIGGER_ROWS: readonly TriggerRow[] = [
  {
    triggerSource: "PreSignUp_SignUp",
    trigger: "PreSignUp",
    operations: ["SignUp"],
    when: "every sign-up; ValidationData arrives as validationData, ClientMetadata as clientMetadata",
    failsCall: true,
    local: { by: "cognito-local" },
    provenBy: `${E2E}: "a blocked domain is refused at SignUp"`,
    docs: DOCS.preSignUp,
  },
  {
    triggerSource: "PreSignUp_AdminCreateUser",
    trigger: "PreSignUp",
    operations: ["AdminCreateUser"],
    when: "every user an administrator creates",
    failsCall: true,
    local: { by: "suite", phase: "before" },
    provenBy: `${E2E}: "AdminCreateUser for a blocked domain is refused by Pre sign-up"`,
    docs: DOCS.preSignUp,
  },
  {
    triggerSource: "PreSignUp_ExternalProvider",
    trigger: "PreSignUp",
    operations: ["the hosted UI or /oauth2/authorize, for a federated user's first sign-in"],
    when: "a user of an external identity provider signs in for the first time",
    failsCall: true,
    local: {
      by: "none",
      why: "cognito-local has no federation (no identity providers, no hosted UI)",
      coveredBy: REPLAY,
    },
    provenBy: REPLAY,
    docs: DOCS.preSignUp,
  },
  {
    triggerSource: "CustomMessage_SignUp",
    trigger: "CustomMessage",
    operations: ["SignUp"],
    when: "the confirmation code of a sign-up is sent",
    failsCall: true,
    local: { by: "cognito-local" },
    provenBy: `${E2E}: "the sign-up code is rendered by Custom message and readable in the SES viewer"`,
    docs: DOCS.customMessage,
  },
  {
    triggerSource: "CustomMessage_AdminCreateUser",
    trigger: "CustomMessage",
    operations: ["AdminCreateUser"],
    when: "the invitation with the temporary password is sent",
    failsCall: true,
    local: { by: "cognito-local" },
    provenBy: `${E2E}: "AdminCreateUser sends the invitation rendered by Custom message"`,
    docs: DOCS.customMessage,
  },
  {
    triggerSource: "CustomMessage_ResendCode",
    trigger: "CustomMessage",
    operations: ["ResendConfirmationCode"],
    when: "the confirmation code is sent again",
    failsCall: true,
    local: { by: "suite", phase: "before" },
    provenBy: `${E2E}: "ResendConfirmationCode sends the code again through Custom message"`,
    docs: DOCS.customMessage,
  },
  {
    triggerSource: "CustomMessage_ForgotPassword",
    trigger: "CustomMessage",
    operations: ["ForgotPassword", "AdminResetUserPassword"],
    when: "the password reset code is sent",
    failsCall: true,
    local: { by: "cognito-local" },
    provenBy: `${E2E}: "a legacy user's forgot-password migrates them and sends the reset code"`,
    docs: DOCS.customMessage,
  },
  {
    triggerSource: "CustomMessage_UpdateUserAttribute",
    trigger: "CustomMessage",
    operations: ["UpdateUserAttributes", "AdminUpdateUserAttributes"],
    when: "a changed email (or phone) needs verifying",
    failsCall: true,
    local: { by: "cognito-local" },
    provenBy: "test/e2e/local-pool.test.ts (the demo changes an email)",
    docs: DOCS.customMessage,
  },
  {
    triggerSource: "CustomMessage_VerifyUserAttribute",
    trigger: "CustomMessage",
    operations: ["GetUserAttributeVerificationCode"],
    when: "a user asks for a verification code",
    failsCall: true,
    local: { by: "cognito-local" },
    provenBy: `${E2E}: "GetUserAttributeVerificationCode sends a code through Custom message"`,
    docs: DOCS.customMessage,
  },
  {
    triggerSource: "CustomMessage_Authentication",
    trigger: "CustomMessage",
    operations: [...SIGN_IN, "RespondToAuthChallenge"],
    when: "an SMS or email MFA code is sent during sign-in",
    failsCall: true,
    local: {
      by: "none",
      why: "the suite's pool offers TOTP, whose codes no message carries; cognito-local's SMS MFA does not call Custom message",
      coveredBy: REPLAY,
    },
    provenBy: REPLAY,
    docs: DOCS.customMessage,
  },
  {
    triggerSource: "PreAuthentication_Authentication",
    trigger: "PreAuthentication",
    operations: SIGN_IN,
    when: "every password sign-in of an existing user, before the password is checked; ClientMetadata arrives as validationData",
    failsCall: true,
    local: { by: "suite", phase: "before" },
    provenBy: `${E2E}: "a sign-in from outside IP_ALLOWLIST through the trusted server client is refused by Pre authentication"`,
    docs: DOCS.preAuthentication,
  },
  {
    triggerSource: "PostAuthentication_Authentication",
    trigger: "PostAuthentication",
    operations: [...SIGN_IN, "RespondToAuthChallenge"],
    when: "every successful sign-in, before the tokens are returned",
    failsCall: true,
    local: { by: "cognito-local", alsoBySuite: { operations: ["AdminInitiateAuth"], phase: "after" } },
    provenBy: "test/e2e/local-pool.test.ts (the sign-in audit record)",
    docs: DOCS.postAuthentication,
  },
  {
    triggerSource: "PostConfirmation_ConfirmSignUp",
    trigger: "PostConfirmation",
    operations: ["ConfirmSignUp", "AdminConfirmSignUp"],
    when: "a user is confirmed",
    failsCall: true,
    local: { by: "cognito-local" },
    provenBy: `${E2E}: "a failing Post confirmation fails ConfirmSignUp"`,
    docs: DOCS.postConfirmation,
  },
  {
    triggerSource: "PostConfirmation_ConfirmForgotPassword",
    trigger: "PostConfirmation",
    operations: ["ConfirmForgotPassword"],
    when: "a password reset is confirmed",
    failsCall: true,
    local: { by: "cognito-local" },
    provenBy: `${E2E}: "a legacy user's forgot-password migrates them and sends the reset code"`,
    docs: DOCS.postConfirmation,
  },
  {
    triggerSource: "TokenGeneration_Authentication",
    trigger: "PreTokenGeneration",
    operations: SIGN_IN,
    when: "tokens are issued at sign-in (V2_0 event: ID and access token claims and scopes)",
    failsCall: true,
    local: { by: "suite", phase: "after" },
    provenBy: `${E2E}: "a V2 access token carries the configured claim and scope and verifies against the JWKS"`,
    docs: DOCS.preTokenGeneration,
  },
  {
    triggerSource: "TokenGeneration_RefreshTokens",
    trigger: "PreTokenGeneration",
    operations: ["InitiateAuth (REFRESH_TOKEN_AUTH)", "AdminInitiateAuth (REFRESH_TOKEN_AUTH)"],
    when: "tokens are refreshed",
    failsCall: true,
    local: { by: "suite", phase: "after" },
    provenBy: `${E2E}: "refreshed tokens are customised again"`,
    docs: DOCS.preTokenGeneration,
  },
  {
    triggerSource: "TokenGeneration_NewPasswordChallenge",
    trigger: "PreTokenGeneration",
    operations: ["RespondToAuthChallenge (NEW_PASSWORD_REQUIRED)", "AdminRespondToAuthChallenge"],
    when: "a user created by an administrator sets a password and gets tokens",
    failsCall: true,
    local: { by: "suite", phase: "after" },
    provenBy: `${E2E}: "AdminCreateUser sends the invitation rendered by Custom message"`,
    docs: DOCS.preTokenGeneration,
  },
  {
    triggerSource: "TokenGeneration_HostedAuth",
    trigger: "PreTokenGeneration",
    operations: ["the hosted UI / OAuth 2.0 authorization code grant"],
    when: "tokens are issued to the hosted UI",
    failsCall: true,
    local: { by: "none", why: "cognito-local has no hosted UI", coveredBy: REPLAY },
    provenBy: REPLAY,
    docs: DOCS.preTokenGeneration,
  },
  {
    triggerSource: "TokenGeneration_AuthenticateDevice",
    trigger: "PreTokenGeneration",
    operations: ["RespondToAuthChallenge (DEVICE_PASSWORD_VERIFIER)"],
    when: "a remembered device signs in",
    failsCall: true,
    local: { by: "none", why: "cognito-local does not implement device tracking", coveredBy: REPLAY },
    provenBy: REPLAY,
    docs: DOCS.preTokenGeneration,
  },
  {
    triggerSource: "TokenGeneration_ClientCredentials",
    trigger: "PreTokenGeneration",
    operations: ["POST /oauth2/token (client_credentials grant), V3_0 only"],
    when: "a machine client gets an access token",
    failsCall: true,
    local: {
      by: "none",
      why: "client-credentials tokens come from the OAuth 2.0 token endpoint, which cognito-local lacks",
      coveredBy: REPLAY,
    },
    provenBy: REPLAY,
    docs: DOCS.preTokenGeneration,
  },
  {
    triggerSource: "UserMigration_Authentication",
    trigger: "UserMigration",
    operations: SIGN_IN,
    when: "a password sign-in names a user the pool does not have",
    failsCall: true,
    local: { by: "cognito-local" },
    provenBy: "test/e2e/local-pool.test.ts (the demo's legacy sign-in)",
    docs: DOCS.userMigration,
  },
  {
    triggerSource: "UserMigration_ForgotPassword",
    trigger: "UserMigration",
    operations: ["ForgotPassword"],
    when: "a password reset names a user the pool does not have",
    failsCall: true,
    local: { by: "suite", phase: "before" },
    provenBy: `${E2E}: "a legacy user's forgot-password migrates them and sends the reset code"`,
    docs: DOCS.userMigration,
  },
  {
    triggerSource: "InboundFederation_ExternalProvider",
    trigger: "InboundFederation",
    operations: [
      "the federation response at /oauth2/idpresponse (OIDC and social providers) or /saml2/idpresponse (SAML), in a sign-in through the hosted UI or /oauth2/authorize",
    ],
    when: "every federated sign-in, of a new user and of a returning one: after Cognito verified the provider's response, before it creates or updates the user's profile",
    failsCall: true,
    local: {
      by: "none",
      why: "cognito-local has no federation (no identity providers, no hosted UI, no idpresponse endpoints)",
      coveredBy: FEDERATION_COVER,
    },
    provenBy: FEDERATION_COVER,
    docs: DOCS.inboundFederation,
  },
  {
    triggerSource: "CustomEmailSender_SignUp",
    trigger: "CustomEmailSender",
    operations: ["SignUp"],
    when: `the confirmation code of a sign-up is to be emailed; ${SENT_ASYNC}`,
    failsCall: false,
    local: { by: "cognito-local", optIn: "custom-email-sender" },
    provenBy: `${SENDER_E2E}: "the sign-up code reaches the SES viewer through the custom email sender and confirms the user"`,
    docs: DOCS.customEmailSender,
  },
  {
    triggerSource: "CustomEmailSender_ResendCode",
    trigger: "CustomEmailSender",
    operations: ["ResendConfirmationCode"],
    when: `the confirmation code is to be emailed again; ${SENT_ASYNC}`,
    failsCall: false,
    local: { by: "suite", phase: "before", optIn: "custom-email-sender" },
    provenBy: `${SENDER_E2E}: "ResendConfirmationCode emails the code again through the custom email sender"`,
    docs: DOCS.customEmailSender,
  },
  {
    triggerSource: "CustomEmailSender_ForgotPassword",
    trigger: "CustomEmailSender",
    operations: ["ForgotPassword", "AdminResetUserPassword"],
    when: `the password reset code is to be emailed; ${SENT_ASYNC}`,
    failsCall: false,
    local: { by: "cognito-local", optIn: "custom-email-sender" },
    provenBy: `${SENDER_E2E}: "ForgotPassword emails the reset code through the custom email sender"`,
    docs: DOCS.customEmailSender,
  },
  {
    triggerSource: "CustomEmailSender_UpdateUserAttribute",
    trigger: "CustomEmailSender",
    operations: ["UpdateUserAttributes", "AdminUpdateUserAttributes"],
    when: `a changed email address needs verifying; ${SENT_ASYNC}`,
    failsCall: false,
    local: { by: "cognito-local", optIn: "custom-email-sender" },
    provenBy: `${SENDER_E2E}: "a changed email address gets its verification code through the custom email sender"`,
    docs: DOCS.customEmailSender,
  },
  {
    triggerSource: "CustomEmailSender_VerifyUserAttribute",
    trigger: "CustomEmailSender",
    operations: ["GetUserAttributeVerificationCode"],
    when: `a user asks for an email verification code; ${SENT_ASYNC}`,
    failsCall: false,
    local: { by: "cognito-local", optIn: "custom-email-sender" },
    provenBy: `${SENDER_E2E}: "GetUserAttributeVerificationCode emails a code through the custom email sender"`,
    docs: DOCS.customEmailSender,
  },
  {
    triggerSource: "CustomEmailSender_AdminCreateUser",
    trigger: "CustomEmailSender",
    operations: ["AdminCreateUser"],
    when: `the invitation is to be emailed (its code is the temporary password); ${SENT_ASYNC}`,
    failsCall: false,
    local: { by: "cognito-local", optIn: "custom-email-sender" },
    provenBy: `${SENDER_E2E}: "AdminCreateUser emails the temporary password through the custom email sender"`,
    docs: DOCS.customEmailSender,
  },
  {
    triggerSource: "CustomEmailSender_AccountTakeOverNotification",
    trigger: "CustomEmailSender",
    operations: [...SIGN_IN, "RespondToAuthChallenge"],
    when: `threat protection (full-function mode) rates a sign-in risky and its automatic response notifies the user; ${SENT_ASYNC}`,
    failsCall: false,
    local: {
      by: "none",
      why: "cognito-local has no threat protection (no risk rating, no automatic responses)",
      coveredBy: EMAIL_SENDER_COVER,
    },
    provenBy: EMAIL_SENDER_COVER,
    docs: DOCS.customEmailSender,
  },
  {
    triggerSource: "CustomEmailSender_Authentication",
    trigger: "CustomEmailSender",
    operations: CODE_SIGN_IN,
    when: `an email MFA code or an email one-time password (passwordless sign-in) is sent; ${SENT_ASYNC}`,
    failsCall: false,
    local: {
      by: "none",
      why: "cognito-local has no email MFA or email OTP, and never hands a sign-in code to a custom email sender",
      coveredBy: EMAIL_SENDER_COVER,
    },
    provenBy: EMAIL_SENDER_COVER,
    docs: DOCS.customEmailSender,
  },
  {
    triggerSource: "CustomSMSSender_SignUp",
    trigger: "CustomSMSSender",
    operations: ["SignUp"],
    when: `the confirmation code of a sign-up is to be texted (a pool that verifies phone numbers); ${SENT_ASYNC}`,
    failsCall: false,
    local: { by: "none", why: NO_SMS_SENDER, coveredBy: SMS_SENDER_COVER },
    provenBy: SMS_SENDER_COVER,
    docs: DOCS.customSmsSender,
  },
  {
    triggerSource: "CustomSMSSender_ResendCode",
    trigger: "CustomSMSSender",
    operations: ["ResendConfirmationCode"],
    when: `the confirmation code is to be texted again; ${SENT_ASYNC}`,
    failsCall: false,
    local: { by: "none", why: NO_SMS_SENDER, coveredBy: SMS_SENDER_COVER },
    provenBy: SMS_SENDER_COVER,
    docs: DOCS.customSmsSender,
  },
  {
    triggerSource: "CustomSMSSender_ForgotPassword",
    trigger: "CustomSMSSender",
    operations: ["ForgotPassword", "AdminResetUserPassword"],
    when: `the password reset code is to be texted; ${SENT_ASYNC}`,
    failsCall: false,
    local: { by: "none", why: NO_SMS_SENDER, coveredBy: SMS_SENDER_COVER },
    provenBy: SMS_SENDER_COVER,
    docs: DOCS.customSmsSender,
  },
  {
    triggerSource: "CustomSMSSender_UpdateUserAttribute",
    trigger: "CustomSMSSender",
    operations: ["UpdateUserAttributes", "AdminUpdateUserAttributes"],
    when: `a changed phone number needs verifying; ${SENT_ASYNC}`,
    failsCall: false,
    local: { by: "none", why: NO_SMS_SENDER, coveredBy: SMS_SENDER_COVER },
    provenBy: SMS_SENDER_COVER,
    docs: DOCS.customSmsSender,
  },
  {
    triggerSource: "CustomSMSSender_VerifyUserAttribute",
    trigger: "CustomSMSSender",
    operations: ["GetUserAttributeVerificationCode"],
    when: `a user asks for a phone verification code; ${SENT_ASYNC}`,
    failsCall: false,
    local: { by: "none", why: NO_SMS_SENDER, coveredBy: SMS_SENDER_COVER },
    provenBy: SMS_SENDER_COVER,
    docs: DOCS.customSmsSender,
  },
  {
    triggerSource: "CustomSMSSender_AdminCreateUser",
    trigger: "CustomSMSSender",
    operations: ["AdminCreateUser"],
    when: `the invitation is to be texted (its code is the temporary password); ${SENT_ASYNC}`,
    failsCall: false,
    local: { by: "none", why: NO_SMS_SENDER, coveredBy: SMS_SENDER_COVER },
    provenBy: SMS_SENDER_COVER,
    docs: DOCS.customSmsSender,
  },
  {
    triggerSource: "CustomSMSSender_Authentication",
    trigger: "CustomSMSSender",
    operations: CODE_SIGN_IN,
    when: `an SMS MFA code or an SMS one-time password (passwordless sign-in) is sent; ${SENT_ASYNC}`,
    failsCall: false,
    local: { by: "none", why: NO_SMS_SENDER, coveredBy: SMS_SENDER_COVER },
    provenBy: SMS_SENDER_COVER,
    docs: DOCS.customSmsSender,
  },
];

/**
 * Whether the local pool fires a row, with these optional triggers attached: a row of an optional
 * trigger only when it is attached, and none of a trigger an attached one supersedes.
 */
export function isFiredLocally(row: TriggerRow, optIns: readonly LocalOptIn[] = []): boolean {
  if (row.local.by === "none") return false;
  if (row.local.optIn && !optIns.includes(row.local.optIn)) return false;
  return !optIns.some((each) => LOCAL_OPT_INS[each].supersedes === row.trigger);
}

/** The rows the proxy fires for an operation in a phase, in the table's order. */
export function suiteFiredRows(
  operation: string,
  phase: "before" | "after",
  optIns: readonly LocalOptIn[] = [],
): TriggerRow[] {
  const named = (operations: readonly string[]) =>
    operations.some((each) => each === operation || each.startsWith(`${operation} `));
  return TRIGGER_ROWS.filter((row) => isFiredLocally(row, optIns)).filter(({ local, operations }) => {
    if (local.by === "suite") return local.phase === phase && named(operations);
    if (local.by === "cognito-local" && local.alsoBySuite) {
      return local.alsoBySuite.phase === phase && named(local.alsoBySuite.operations);
    }
    return false;
  });
}

/** Whether an error of this trigger, invoked by cognito-local, must fail the API call. */
export function errorFailsCall(trigger: CognitoTrigger, triggerSource: string | undefined): boolean {
  const row = TRIGGER_ROWS.find((each) => each.triggerSource === triggerSource);
  return row ? row.failsCall : TRIGGER_ROWS.some((each) => each.trigger === trigger && each.failsCall);
}

/** The triggers cognito-local is wired to call (it sends the rows marked "cognito-local"). */
export function cognitoLocalTriggers(optIns: readonly LocalOptIn[] = []): CognitoTrigger[] {
  const rows = TRIGGER_ROWS.filter((row) => row.local.by === "cognito-local" && isFiredLocally(row, optIns));
  return [...new Set(rows.map((row) => row.trigger))];
}

/** The message Cognito returns when a trigger fails a call (UserLambdaValidationException). */
export function triggerFailureMessage(trigger: CognitoTrigger, errorMessage: string): string {
  return `${trigger} failed with error ${errorMessage}.`;
}
