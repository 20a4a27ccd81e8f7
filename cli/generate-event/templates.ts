/**
 * The events `cognito-triggers generate-event` prints: one small template per trigger, in the shapes of
 * the repository's samples in events/ (which are checked against the shapes Cognito documents), with
 * the response pre-filled exactly as Cognito sends it. No field appears here that no sample has
 * (test/cli/generate-event.test.ts compares every generated event with the samples of its source).
 * The npm package does not ship events/, so the templates are code.
 */
import { createHash } from "node:crypto";
import { TRIGGERS, type TriggerName, triggerForSource } from "../../triggers/lib/events.ts";

export type EventVersion = "1" | "2" | "3";

/** The ids and the user of one generated event. */
export interface Identity {
  region: string;
  /** `<region>_<9 letters and digits>` */
  userPoolId: string;
  /** 26 lower-case letters and digits, as Cognito makes app client ids. */
  clientId: string;
  sub: string;
  email: string;
  name: string;
  nickname: string;
  locale: string;
  /** The user id at the external identity provider (Google), for federated sources. */
  googleUserId: string;
  phoneNumber: string;
  password: string;
}

/** What `generate-event` prints without --seed: the ids of the repository's samples, so output is stable. */
export const DEFAULT_IDENTITY: Identity = {
  region: "ap-northeast-1",
  userPoolId: "ap-northeast-1_Ab12Cd34E",
  clientId: "6a3l0kq7h2b1vgd9f8e0s4r2tn",
  sub: "0b8e2f4a-9071-7024-a1c3-5d6e7f809a1b",
  email: "alex.morgan@example.com",
  name: "Alex Morgan",
  nickname: "Alex",
  locale: "en-US",
  googleUserId: "109876543210987654321",
  phoneNumber: "+12065550142",
  password: "Example-Passw0rd!",
};

const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1", "ap-southeast-2"];
const PEOPLE = [
  { name: "Alex Morgan", nickname: "Alex", email: "alex.morgan", locale: "en-US" },
  { name: "山田太郎", nickname: "たろう", email: "taro.yamada", locale: "ja-JP" },
  { name: "Priya Nair", nickname: "Priya", email: "priya.nair", locale: "en-GB" },
  { name: "Lena Vogel", nickname: "Lena", email: "lena.vogel", locale: "de-DE" },
] as const;
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

/** Ids derived from `seed`: the same seed always gives the same event, another seed other ids. */
export function seededIdentity(seed: string): Identity {
  const bytes = seededBytes(seed, 128);
  let at = 0;
  const next = () => bytes[at++] as number;
  const pick = <T>(list: readonly T[]): T => list[next() % list.length] as T;
  const text = (alphabet: string, length: number) =>
    Array.from({ length }, () => alphabet[next() % alphabet.length]).join("");
  const hex = (length: number) => Array.from({ length }, () => (next() % 16).toString(16)).join("");
  const digits = (length: number) => Array.from({ length }, () => String(next() % 10)).join("");

  const region = pick(REGIONS);
  const person = pick(PEOPLE);
  // Cognito's subs as the samples show them: UUIDs with version nibble 7 and the RFC 4122 variant.
  const sub = `${hex(8)}-${hex(4)}-7${hex(3)}-${"89ab"[next() % 4]}${hex(3)}-${hex(12)}`;
  return {
    region,
    userPoolId: `${region}_${text(ALNUM, 9)}`,
    clientId: text(LOWER_ALNUM, 26),
    sub,
    email: `${person.email}@example.com`,
    name: person.name,
    nickname: person.nickname,
    locale: person.locale,
    googleUserId: `1${digits(20)}`,
    // 555-0100 to 555-0199: the numbers set aside for fiction.
    phoneNumber: `+1206555${`01${digits(2)}`}`,
    password: `Example-${text(ALNUM, 8)}1!`,
  };
}

function seededBytes(seed: string, count: number): number[] {
  const out: number[] = [];
  for (let block = 0; out.length < count; block++) {
    out.push(...createHash("sha256").update(`${block}:${seed}`).digest());
  }
  return out.slice(0, count);
}

/** The versions Cognito sends a source in, the first being the one used without --version. */
export function versionsOf(triggerSource: string): readonly EventVersion[] {
  if (triggerSource === "TokenGeneration_ClientCredentials") return ["3"];
  // V2_0 first: the version the CDK app deploys (infra/stack-config.ts, preTokenGenerationVersion).
  if (triggerSource.startsWith("TokenGeneration_")) return ["2", "1", "3"];
  return ["1"];
}

/** Every triggerSource the suite handles, in TRIGGERS order. */
export const TRIGGER_SOURCES: readonly string[] = Object.values(TRIGGERS).flatMap((t) => [...t.sources]);

type Body = {
  userName: string;
  clientId?: string;
  request: object;
  response: object;
};
type Template = (source: string, id: Identity, version: EventVersion) => Body;

/** The sample event of `triggerSource` in `version` (one of versionsOf), for the user of `id`. */
export function generateEvent(triggerSource: string, version: EventVersion, id: Identity): object {
  const trigger = triggerForSource(triggerSource);
  if (!trigger) throw new Error(`unknown triggerSource ${triggerSource}`);
  const body = TEMPLATES[trigger](triggerSource, id, version);
  return {
    version,
    triggerSource,
    region: id.region,
    userPoolId: id.userPoolId,
    userName: body.userName,
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: body.clientId ?? id.clientId },
    request: body.request,
    response: body.response,
  };
}

/** The app's OAuth client id at Google (the audience of Google's ID token), as the samples have it. */
const GOOGLE_CLIENT_ID = "1234567890-sample.apps.googleusercontent.com";

/**
 * What a generated custom sender event carries as its code. Cognito puts there the code encrypted with
 * the pool's KMS key (an AWS Encryption SDK message, base64), which nothing but that key can produce;
 * `generate-event --code <code>` replaces this with a code encrypted by the local KMS stand-in.
 */
export const CODE_PLACEHOLDER = "<encrypted by Cognito with the pool's KMS key: see generate-event --help>";

/** AdminCreateUser comes from an administrator's call, not from an app client. */
const NO_CLIENT = "CLIENT_ID_NOT_APPLICABLE";

function federatedUserName(id: Identity): string {
  return `Google_${id.googleUserId}`;
}

/** The status and verified flag of a user's address or number when Cognito sends each message. */
function messageStatus(source: string): [status: string, verified: boolean] {
  const kind = source.slice(source.indexOf("_") + 1);
  if (kind === "AdminCreateUser") return ["FORCE_CHANGE_PASSWORD", true];
  if (kind === "SignUp" || kind === "ResendCode") return ["UNCONFIRMED", false];
  if (kind === "UpdateUserAttribute" || kind === "VerifyUserAttribute") return ["CONFIRMED", false];
  return ["CONFIRMED", true];
}

/** The attributes of a user who exists in the pool. */
function userAttributes(id: Identity, status: string, emailVerified: boolean): Record<string, string> {
  return {
    sub: id.sub,
    email_verified: String(emailVerified),
    "cognito:user_status": status,
    email: id.email,
    nickname: id.nickname,
    locale: id.locale,
  };
}

const TEMPLATES: Record<TriggerName, Template> = {
  "pre-sign-up": (source, id) => {
    const response = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };
    if (source === "PreSignUp_ExternalProvider") {
      return {
        userName: federatedUserName(id),
        request: {
          userAttributes: {
            email_verified: "true",
            "cognito:user_status": "EXTERNAL_PROVIDER",
            name: id.name,
            nickname: id.nickname,
            locale: id.locale,
            email: id.email,
          },
          validationData: null,
        },
        response,
      };
    }
    const admin = source === "PreSignUp_AdminCreateUser";
    return {
      userName: id.sub,
      ...(admin ? { clientId: NO_CLIENT } : {}),
      request: {
        userAttributes: {
          email: id.email,
          ...(admin ? { email_verified: "true" } : {}),
          nickname: id.nickname,
          locale: id.locale,
        },
        validationData: null,
      },
      response,
    };
  },

  "custom-message": (source, id) => {
    const admin = source === "CustomMessage_AdminCreateUser";
    const [status, verified] = admin
      ? ["FORCE_CHANGE_PASSWORD", true]
      : source === "CustomMessage_SignUp" || source === "CustomMessage_ResendCode"
        ? ["UNCONFIRMED", false]
        : source === "CustomMessage_UpdateUserAttribute" || source === "CustomMessage_VerifyUserAttribute"
          ? ["CONFIRMED", false]
          : ["CONFIRMED", true];
    const attributes = userAttributes(id, status as string, verified as boolean);
    return {
      userName: id.sub,
      ...(admin ? { clientId: NO_CLIENT } : {}),
      request: {
        // A sign-in code goes by SMS or email: the samples' MFA user has a verified phone number.
        userAttributes:
          source === "CustomMessage_Authentication"
            ? { ...attributes, phone_number_verified: "true", phone_number: id.phoneNumber }
            : attributes,
        codeParameter: "{####}",
        linkParameter: "{##Click Here##}",
        usernameParameter: admin ? "{username}" : null,
      },
      response: { smsMessage: null, emailMessage: null, emailSubject: null },
    };
  },

  "pre-authentication": (_, id) => ({
    userName: id.sub,
    request: {
      userAttributes: userAttributes(id, "CONFIRMED", true),
      validationData: null,
      userNotFound: false,
    },
    response: {},
  }),

  "post-authentication": (_, id) => ({
    userName: id.sub,
    request: { userAttributes: userAttributes(id, "CONFIRMED", true), newDeviceUsed: false },
    response: {},
  }),

  "post-confirmation": (_, id) => ({
    userName: id.sub,
    request: { userAttributes: userAttributes(id, "CONFIRMED", true) },
    response: {},
  }),

  "pre-token-generation": (source, id, version) => {
    const groupConfiguration = { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null };
    if (source === "TokenGeneration_ClientCredentials") {
      // Machine to machine: no user; userName is the app client's id.
      return {
        userName: id.clientId,
        request: { userAttributes: {}, groupConfiguration, scopes: ["notes/read"] },
        response: { claimsAndScopeOverrideDetails: null },
      };
    }
    const request = { userAttributes: userAttributes(id, "CONFIRMED", true), groupConfiguration };
    if (version === "1") return { userName: id.sub, request, response: { claimsOverrideDetails: null } };
    const scopes =
      source === "TokenGeneration_HostedAuth"
        ? ["openid", "email", "profile"]
        : ["aws.cognito.signin.user.admin"];
    return {
      userName: id.sub,
      request: { ...request, scopes },
      response: { claimsAndScopeOverrideDetails: null },
    };
  },

  "inbound-federation": (_, id) => {
    // Google, as the samples' OIDC sign-in: the decoded ID token, the userInfo answer about the same
    // subject, and the token response (tokens shaped like the provider's, none of them real).
    const claims = { sub: id.googleUserId, name: id.name, email: id.email, email_verified: "true" };
    return {
      userName: federatedUserName(id),
      request: {
        providerName: "Google",
        providerType: "Google",
        attributes: {
          tokenResponse: {
            access_token: "ya29.sample-access-token-not-real",
            id_token: "eyJhbGciOiJSUzI1NiJ9.sample-id-token.not-real",
            token_type: "Bearer",
            expires_in: "3599",
            scope:
              "openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile",
          },
          idToken: {
            iss: "https://accounts.google.com",
            azp: GOOGLE_CLIENT_ID,
            aud: GOOGLE_CLIENT_ID,
            ...claims,
            iat: "1767225600",
            exp: "1767229200",
          },
          userInfo: { ...claims, locale: id.locale },
        },
      },
      // Cognito sends the answer's map empty, which also means "keep every attribute the provider sent".
      response: { userAttributesToMap: {} },
    };
  },

  "custom-email-sender": (source, id) => {
    if (source === "CustomEmailSender_AccountTakeOverNotification") {
      // The sign-in threat protection judged risky; Cognito sends no code.
      const userName = id.email.slice(0, id.email.indexOf("@"));
      const link = (token: string) =>
        `https://example.auth.${id.region}.amazoncognito.com/confirm?token=${token}`;
      return {
        userName,
        request: {
          type: "customEmailSenderRequestV1",
          code: null,
          userAttributes: {
            EVENT_ID: "6f6a4f52-8b7c-4d3e-9a1b-2c3d4e5f6a7b",
            USER_NAME: userName,
            IP_ADDRESS: "203.0.113.24",
            ACCOUNT_TAKE_OVER_ACTION: "BLOCK",
            ONE_CLICK_LINK_VALID: link("example-valid"),
            ONE_CLICK_LINK_INVALID: link("example-invalid"),
            LOGIN_TIME: "Friday, March 19, 2027 02:25 PM UTC",
            FEEDBACK_TOKEN: "example-feedback-token",
            CITY: "Springfield",
            COUNTRY: "United States",
            DEVICE_NAME: "Firefox 128, Linux",
            email: id.email,
          },
        },
        response: {},
      };
    }
    const [status, verified] = messageStatus(source);
    return {
      userName: id.sub,
      request: {
        type: "customEmailSenderRequestV1",
        code: CODE_PLACEHOLDER,
        userAttributes: userAttributes(id, status, verified),
      },
      response: {},
    };
  },

  "custom-sms-sender": (source, id) => {
    const [status, verified] = messageStatus(source);
    return {
      userName: id.sub,
      request: {
        type: "customSMSSenderRequestV1",
        code: CODE_PLACEHOLDER,
        userAttributes: {
          sub: id.sub,
          phone_number_verified: String(verified),
          "cognito:user_status": status,
          phone_number: id.phoneNumber,
          nickname: id.nickname,
          locale: id.locale,
        },
      },
      response: {},
    };
  },

  "user-migration": (source, id) => ({
    // The name the user typed: not yet in the pool, so no sub.
    userName: id.email,
    request:
      source === "UserMigration_Authentication"
        ? { password: id.password, validationData: null }
        : { validationData: null },
    response: {
      userAttributes: null,
      finalUserStatus: null,
      messageAction: null,
      desiredDeliveryMediums: null,
      forceAliasCreation: null,
      enableSMSMFA: null,
    },
  }),
};
