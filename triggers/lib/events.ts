/**
 * The Cognito user-pool trigger event, typed as loosely as Cognito really sends it
 * (the Cognito developer guide's trigger event reference): every attribute value is a string,
 * response fields arrive as null/false, `validationData` may be null, and Cognito may add fields.
 * Handlers narrow what they read; they never validate strictly.
 */
export type StringMap = Record<string, string>;

export interface CallerContext {
  awsSdkVersion?: string;
  clientId?: string;
}

export interface TriggerEvent<
  Request extends object = Record<string, unknown>,
  Response extends object = Record<string, unknown>,
> {
  version: string;
  triggerSource: string;
  region: string;
  userPoolId: string;
  userName?: string;
  callerContext: CallerContext;
  request: Request;
  response: Response;
}

/** The part of the Lambda context the handlers use. */
export interface InvocationContext {
  awsRequestId: string;
  functionName?: string;
  /** Milliseconds left before Lambda stops the function; absent outside Lambda. */
  getRemainingTimeInMillis?: () => number;
}

/** Every triggerSource this suite handles, by trigger. The single list the CLI and the handlers route on. */
export const TRIGGERS = {
  "pre-sign-up": {
    errorPrefix: "PreSignUp",
    sources: ["PreSignUp_SignUp", "PreSignUp_AdminCreateUser", "PreSignUp_ExternalProvider"],
  },
  "custom-message": {
    errorPrefix: "CustomMessage",
    sources: [
      "CustomMessage_SignUp",
      "CustomMessage_AdminCreateUser",
      "CustomMessage_ResendCode",
      "CustomMessage_ForgotPassword",
      "CustomMessage_UpdateUserAttribute",
      "CustomMessage_VerifyUserAttribute",
      "CustomMessage_Authentication",
    ],
  },
  "pre-authentication": {
    errorPrefix: "PreAuthentication",
    sources: ["PreAuthentication_Authentication"],
  },
  "post-authentication": {
    errorPrefix: "PostAuthentication",
    sources: ["PostAuthentication_Authentication"],
  },
  "post-confirmation": {
    errorPrefix: "PostConfirmation",
    sources: ["PostConfirmation_ConfirmSignUp", "PostConfirmation_ConfirmForgotPassword"],
  },
  "pre-token-generation": {
    errorPrefix: "PreTokenGeneration",
    sources: [
      "TokenGeneration_HostedAuth",
      "TokenGeneration_Authentication",
      "TokenGeneration_NewPasswordChallenge",
      "TokenGeneration_AuthenticateDevice",
      "TokenGeneration_RefreshTokens",
      "TokenGeneration_ClientCredentials",
    ],
  },
  "user-migration": {
    errorPrefix: "UserMigration",
    sources: ["UserMigration_Authentication", "UserMigration_ForgotPassword"],
  },
  "inbound-federation": {
    errorPrefix: "InboundFederation",
    sources: ["InboundFederation_ExternalProvider"],
  },
  "custom-email-sender": {
    errorPrefix: "CustomEmailSender",
    sources: [
      "CustomEmailSender_SignUp",
      "CustomEmailSender_ResendCode",
      "CustomEmailSender_ForgotPassword",
      "CustomEmailSender_UpdateUserAttribute",
      "CustomEmailSender_VerifyUserAttribute",
      "CustomEmailSender_AdminCreateUser",
      "CustomEmailSender_AccountTakeOverNotification",
      "CustomEmailSender_Authentication",
    ],
  },
  "custom-sms-sender": {
    errorPrefix: "CustomSMSSender",
    sources: [
      "CustomSMSSender_SignUp",
      "CustomSMSSender_ResendCode",
      "CustomSMSSender_ForgotPassword",
      "CustomSMSSender_UpdateUserAttribute",
      "CustomSMSSender_VerifyUserAttribute",
      "CustomSMSSender_AdminCreateUser",
      "CustomSMSSender_Authentication",
    ],
  },
} as const;

export type TriggerName = keyof typeof TRIGGERS;

/**
 * The triggers a deployment attaches only when asked: Inbound federation (only pools with federated
 * identity providers need it) and the two custom senders (they take message delivery over from Cognito
 * and need a KMS key). The other seven are always attached.
 */
export const OPTIONAL_TRIGGERS = ["inbound-federation", "custom-email-sender", "custom-sms-sender"] as const;
export type OptionalTriggerName = (typeof OPTIONAL_TRIGGERS)[number];
export type CoreTriggerName = Exclude<TriggerName, OptionalTriggerName>;

export function isOptionalTrigger(trigger: TriggerName): trigger is OptionalTriggerName {
  return (OPTIONAL_TRIGGERS as readonly string[]).includes(trigger);
}

export function triggerForSource(triggerSource: string): TriggerName | undefined {
  for (const [name, trigger] of Object.entries(TRIGGERS)) {
    if ((trigger.sources as readonly string[]).includes(triggerSource)) return name as TriggerName;
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads a string map (userAttributes, validationData, clientMetadata) leniently: non-string values are dropped. */
export function stringMap(value: unknown): StringMap {
  if (!isRecord(value)) return {};
  const out: StringMap = {};
  for (const [key, v] of Object.entries(value)) if (typeof v === "string") out[key] = v;
  return out;
}
