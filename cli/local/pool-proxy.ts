/**
 * The local pool's public endpoint: a proxy in front of cognito-local that makes it fire the triggers
 * as real Cognito does. cognito-local keeps the users, codes and tokens; for each API call the proxy
 *
 * 1. fires, before forwarding, the rows of cognito-behaviour.ts marked "suite"/"before" (Pre
 *    authentication, PreSignUp_AdminCreateUser, UserMigration_ForgotPassword, and ResendConfirmationCode,
 *    which cognito-local does not serve at all: through Custom message, or through the custom email
 *    sender when it is attached);
 * 2. forwards the call, one at a time, so that every trigger invocation during it belongs to it;
 * 3. turns the errors cognito-local swallows (Post confirmation, Post authentication, Custom message)
 *    into the failed call real Cognito returns, and fires the "after" rows (Post authentication for
 *    AdminInitiateAuth, Pre token generation V2/V3 on the tokens it issued).
 *
 * Failures come back as Cognito sends them: HTTP 400, `UserLambdaValidationException`, "<Trigger>
 * failed with error <message>.". Anything that is not an API call (the JWKS, the well-known
 * endpoints) passes through untouched; `extraRoutes` adds the local pool's own pages (the SMS outbox).
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  type CognitoIdentityProviderClient,
  UserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import { encryptAsCognito } from "../kms-stand-in.ts";
import type { PoolIds } from "./cognito.ts";
import {
  type CognitoTrigger,
  errorFailsCall,
  type LocalOptIn,
  suiteFiredRows,
  type TriggerRow,
  triggerFailureMessage,
} from "./cognito-behaviour.ts";
import type { InvocationRecord, LambdaEndpoint } from "./lambda-endpoint.ts";
import type { MessageOutbox, OutgoingMessage } from "./message-outbox.ts";
import type { PoolKmsKey } from "./sender-code.ts";
import {
  customiseIssuedTokens,
  InvalidLambdaResponseError,
  type PreTokenGenerationVersion,
} from "./token-step.ts";

const TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
const REGION = "eu-west-1";
/** Cognito waits 5 seconds for a trigger; after that the call fails. */
const TRIGGER_TIMEOUT_MS = 5_000;
const SDK_VERSION = "aws-sdk-unknown-unknown";

export interface PoolProxyOptions {
  port?: number;
  /** cognito-local's own endpoint. */
  target: string;
  /** cognito-local's working folder (its users, with their current codes, are in .cognito/db/). */
  cognitoDataDir: string;
  /** A client of cognito-local itself, for the lookups the triggers' events need. */
  admin: CognitoIdentityProviderClient;
  pool: PoolIds;
  lambda: LambdaEndpoint;
  /** The pool's pre token generation event version, as the CDK app deploys it. @default "V2_0" */
  preTokenGenerationVersion?: PreTokenGenerationVersion;
  /** The optional triggers attached (cognito-behaviour.ts): the proxy fires their rows too. @default none */
  optIns?: readonly LocalOptIn[];
  /** The KMS key (and its endpoint) the custom senders' codes are encrypted with, as the pool's LambdaConfig.KMSKeyID. */
  kms?: PoolKmsKey;
  /** Where the pool's messages go: a message cognito-local never produces itself (a resent code) is given to it. */
  outbox?: Pick<MessageOutbox, "deliver">;
  /** Pages of the local pool's own (answers and returns true for its paths). */
  extraRoutes?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface PoolProxy {
  endpoint: string;
  /** Applied to the events cognito-local sends: what the current call carries that it drops. */
  adaptEvent(event: unknown): unknown;
  stop(): Promise<void>;
}

/** A call being served: its operation and request, for the steps and for adaptEvent. */
interface Call {
  operation: string;
  request: Record<string, unknown>;
  /** The Custom message events cognito-local sent during the call, in order. */
  customMessages: CustomMessageEvent[];
}

interface CustomMessageEvent {
  triggerSource: string;
  userName: string;
  userAttributes: Record<string, string>;
}

/** What a step decided: nothing (go on), fail the call, or answer it in cognito-local's place. */
type StepResult = undefined | { fail: ApiError } | { answer: unknown };

interface ApiError {
  status: number;
  type: string;
  message: string;
}

class TriggerFailed extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

export async function startPoolProxy(options: PoolProxyOptions): Promise<PoolProxy> {
  let queue: Promise<unknown> = Promise.resolve();
  let current: Call | undefined;

  /**
   * Invokes a trigger; an error or a timeout fails the call as Cognito does. A trigger whose failure
   * Cognito does not turn into a failed call (the custom senders, which it invokes asynchronously) is
   * still waited for, up to the same 5 seconds, so that its message is there when the call returns;
   * its outcome then changes nothing (the event comes back as it went).
   */
  async function fire(
    trigger: CognitoTrigger,
    event: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), TRIGGER_TIMEOUT_MS);
    });
    const outcome = await Promise.race([options.lambda.invoke(trigger, event), timeout]);
    clearTimeout(timer);
    const failsCall = errorFailsCall(trigger, String(event.triggerSource));
    if (outcome === "timeout") {
      if (!failsCall) return event;
      throw new TriggerFailed({
        status: 400,
        type: "UnexpectedLambdaException",
        message: `${trigger} failed with error Task timed out after 5.00 seconds.`,
      });
    }
    if (!outcome.ok) {
      if (!failsCall) return event;
      throw new TriggerFailed(lambdaValidation(trigger, outcome.errorMessage));
    }
    return outcome.result as Record<string, unknown>;
  }

  const base = (triggerSource: string, userName: string, clientId: string) => ({
    version: "1",
    triggerSource,
    region: REGION,
    userPoolId: options.pool.userPoolId,
    userName,
    callerContext: { awsSdkVersion: SDK_VERSION, clientId },
  });

  async function findUser(userName: string) {
    try {
      return await options.admin.send(
        new AdminGetUserCommand({ UserPoolId: options.pool.userPoolId, Username: userName }),
      );
    } catch (error) {
      if (error instanceof UserNotFoundException) return undefined;
      throw error;
    }
  }

  /** What each "suite" row does. The table decides which run, for which operation, in which order. */
  const steps: Record<string, (call: Call, answer?: Record<string, unknown>) => Promise<StepResult>> = {
    async PreSignUp_AdminCreateUser({ request }) {
      await fire("PreSignUp", {
        ...base("PreSignUp_AdminCreateUser", String(request.Username), "CLIENT_ID_NOT_APPLICABLE"),
        request: {
          userAttributes: attributeMap(request.UserAttributes),
          validationData: nullIfEmpty(attributeMap(request.ValidationData)),
          clientMetadata: request.ClientMetadata ?? {},
        },
        response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
      });
      return undefined;
    },

    async PreAuthentication_Authentication({ request }) {
      const flow = String(request.AuthFlow);
      if (!["USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"].includes(flow)) return;
      const parameters = (request.AuthParameters ?? {}) as Record<string, string>;
      const user = await findUser(String(parameters.USERNAME));
      // An unknown user goes to user migration (cognito-local fires it); Pre authentication runs for
      // users the pool has.
      if (!user?.Username) return;
      await fire("PreAuthentication", {
        ...base("PreAuthentication_Authentication", user.Username, String(request.ClientId)),
        request: {
          userAttributes: {
            ...attributeMap(user.UserAttributes),
            "cognito:user_status": user.UserStatus ?? "CONFIRMED",
          },
          // InitiateAuth and AdminInitiateAuth hand their ClientMetadata to Pre authentication as validationData.
          validationData: request.ClientMetadata ?? {},
          userNotFound: false,
        },
        response: {},
      });
      return undefined;
    },

    async UserMigration_ForgotPassword({ request }) {
      const userName = String(request.Username);
      if (await findUser(userName)) return undefined;
      const result = await fire("UserMigration", {
        ...base("UserMigration_ForgotPassword", userName, String(request.ClientId)),
        request: { validationData: null, clientMetadata: request.ClientMetadata ?? {} },
        response: {
          userAttributes: null,
          finalUserStatus: null,
          messageAction: null,
          desiredDeliveryMediums: null,
          forceAliasCreation: null,
          enableSMSMFA: null,
        },
      });
      const response = (result.response ?? {}) as { userAttributes?: Record<string, string> | null };
      if (!response.userAttributes) return undefined;
      // Cognito creates the migrated user (RESET_REQUIRED) and then sends the reset code: here the
      // user is created quietly in cognito-local, whose ForgotPassword then sends the code.
      const { username: _ignored, ...attributes } = response.userAttributes;
      await options.admin.send(
        new AdminCreateUserCommand({
          UserPoolId: options.pool.userPoolId,
          Username: userName,
          MessageAction: "SUPPRESS",
          UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
        }),
      );
      return undefined;
    },

    async CustomMessage_ResendCode({ request }) {
      const resend = await resendable(request);
      if ("fail" in resend) return resend;
      const { userName, userAttributes, code } = resend;
      const result = await fire("CustomMessage", {
        ...base("CustomMessage_ResendCode", userName, String(request.ClientId)),
        request: {
          userAttributes,
          codeParameter: "{####}",
          linkParameter: "{##Click Here##}",
          usernameParameter: null,
          clientMetadata: request.ClientMetadata ?? {},
        },
        response: { smsMessage: null, emailMessage: null, emailSubject: null },
      });
      await options.outbox?.deliver(
        renderedMessage(
          { triggerSource: "CustomMessage_ResendCode", userName, userAttributes },
          (result.response ?? {}) as Record<string, string | null>,
          code,
          "ResendConfirmationCode",
        ),
      );
      return { answer: resentAnswer(userAttributes.email ?? "") };
    },

    async CustomEmailSender_ResendCode({ request }) {
      const resend = await resendable(request);
      if ("fail" in resend) return resend;
      const { userName, userAttributes, code } = resend;
      if (!options.kms) throw new Error("the custom email sender is attached without a KMS key");
      // As Cognito hands it over: the code encrypted under the pool's key; the sender delivers the email
      // itself, so nothing goes to the outbox.
      await fire("CustomEmailSender", {
        ...base("CustomEmailSender_ResendCode", userName, String(request.ClientId)),
        request: {
          type: "customEmailSenderRequestV1",
          code: await encryptAsCognito(code, options.kms),
          userAttributes,
          clientMetadata: request.ClientMetadata ?? {},
        },
        response: {},
      });
      return { answer: resentAnswer(userAttributes.email ?? "") };
    },

    async PostAuthentication_Authentication({ request }, answer) {
      const tokens = answer?.AuthenticationResult as Record<string, string> | undefined;
      if (!tokens?.IdToken) return undefined;
      const claims = jwtClaims(tokens.IdToken);
      const userName = String(claims["cognito:username"]);
      const user = await findUser(userName);
      await fire("PostAuthentication", {
        ...base("PostAuthentication_Authentication", userName, String(request.ClientId)),
        request: {
          userAttributes: {
            ...attributeMap(user?.UserAttributes),
            "cognito:user_status": user?.UserStatus ?? "CONFIRMED",
          },
          newDeviceUsed: false,
          clientMetadata: request.ClientMetadata ?? {},
        },
        response: {},
      });
      return undefined;
    },

    TokenGeneration_Authentication: (call, answer) =>
      customise("TokenGeneration_Authentication", call, answer),
    TokenGeneration_RefreshTokens: (call, answer) => customise("TokenGeneration_RefreshTokens", call, answer),
    TokenGeneration_NewPasswordChallenge: (call, answer) =>
      customise("TokenGeneration_NewPasswordChallenge", call, answer),
  };

  /**
   * The user a ResendConfirmationCode names, when there is a code to send again: unconfirmed, with an
   * email address. Otherwise the error Cognito answers with.
   */
  async function resendable(
    request: Record<string, unknown>,
  ): Promise<
    { fail: ApiError } | { userName: string; userAttributes: Record<string, string>; code: string }
  > {
    const user = await findUser(String(request.Username));
    if (!user?.Username) return { fail: apiError("UserNotFoundException", "User does not exist.") };
    if (user.UserStatus !== "UNCONFIRMED") {
      return { fail: apiError("InvalidParameterException", "User is already confirmed.") };
    }
    const attributes = attributeMap(user.UserAttributes);
    if (!attributes.email) {
      return { fail: apiError("InvalidParameterException", "User has no email to send a code to.") };
    }
    // cognito-local keeps the code it sent at sign-up; the local pool sends that one again (real
    // Cognito makes a new one; either way the latest message holds the code that confirms).
    const code = await storedCode(user.Username, "CustomMessage_ResendCode");
    if (!code) return { fail: apiError("InvalidParameterException", "No confirmation code to resend.") };
    return {
      userName: user.Username,
      userAttributes: { ...attributes, "cognito:user_status": "UNCONFIRMED" },
      code,
    };
  }

  /** Applies Pre token generation to the tokens cognito-local issued (token-step.ts). */
  async function customise(
    triggerSource: string,
    { operation, request }: Call,
    answer: Record<string, unknown> | undefined,
  ): Promise<StepResult> {
    const tokens = answer?.AuthenticationResult as Record<string, string> | undefined;
    if (!tokens?.IdToken || !tokens.AccessToken) return undefined;
    const flow = String(request.AuthFlow ?? request.ChallengeName ?? "");
    const expected =
      flow === "REFRESH_TOKEN_AUTH" || flow === "REFRESH_TOKEN"
        ? "TokenGeneration_RefreshTokens"
        : operation.endsWith("RespondToAuthChallenge")
          ? "TokenGeneration_NewPasswordChallenge"
          : "TokenGeneration_Authentication";
    if (expected !== triggerSource) return undefined;
    const userName = String(jwtClaims(tokens.IdToken)["cognito:username"]);
    const user = await findUser(userName);
    const groups = await options.admin.send(
      new AdminListGroupsForUserCommand({ UserPoolId: options.pool.userPoolId, Username: userName }),
    );
    const customised = await customiseIssuedTokens({
      version: options.preTokenGenerationVersion ?? "V2_0",
      triggerSource,
      region: REGION,
      userPoolId: options.pool.userPoolId,
      clientId: String(request.ClientId),
      userName,
      userAttributes: {
        ...attributeMap(user?.UserAttributes),
        "cognito:user_status": user?.UserStatus ?? "CONFIRMED",
      },
      groups: (groups.Groups ?? []).map((group) => String(group.GroupName)),
      clientMetadata: (request.ClientMetadata ?? {}) as Record<string, string>,
      idToken: tokens.IdToken,
      accessToken: tokens.AccessToken,
      invoke: (event) => fire("PreTokenGeneration", event),
    }).catch((error: unknown) => {
      if (error instanceof InvalidLambdaResponseError) {
        throw new TriggerFailed(apiError("InvalidLambdaResponseException", error.message));
      }
      throw error;
    });
    return {
      answer: {
        ...answer,
        AuthenticationResult: { ...tokens, IdToken: customised.idToken, AccessToken: customised.accessToken },
      },
    };
  }

  /** The code cognito-local keeps for a message of this source, read from its data file. */
  async function storedCode(userName: string, triggerSource: string): Promise<string | undefined> {
    const file = join(options.cognitoDataDir, ".cognito", "db", `${options.pool.userPoolId}.json`);
    const db = JSON.parse(await readFile(file, "utf8")) as {
      Users?: Record<string, Record<string, unknown>>;
    };
    const user = Object.values(db.Users ?? {}).find((each) => each.Username === userName);
    const field = CODE_FIELDS[triggerSource] ?? "ConfirmationCode";
    const code = user?.[field];
    return typeof code === "string" ? code : undefined;
  }

  /**
   * Every message cognito-local sent during the call, as the pool would send it: the Custom message
   * trigger's answer with the code and user name filled in, to the user's email (or phone). cognito-local
   * itself only prints them. A custom email sender sends its emails itself, and with it attached
   * Custom message is not called: no message of its goes through here, so none is sent twice.
   */
  async function deliverMessages(call: Call, during: InvocationRecord[]): Promise<void> {
    const answers = during.filter((each) => each.functionName === "CustomMessage");
    for (const [index, event] of call.customMessages.entries()) {
      const answer = answers[index];
      if (answer?.outcome !== "returned") continue;
      const code = await storedCode(event.userName, event.triggerSource);
      if (code === undefined) continue;
      await options.outbox?.deliver(
        renderedMessage(
          event,
          (answer.response ?? {}) as Record<string, string | null>,
          code,
          call.operation,
        ),
      );
    }
  }

  async function runSteps(rows: TriggerRow[], call: Call, answer?: Record<string, unknown>) {
    let latest = answer;
    for (const row of rows) {
      const step = steps[row.triggerSource];
      if (!step) throw new Error(`the local pool has no step for ${row.triggerSource}`);
      const result = await step(call, latest);
      if (result && "fail" in result) return result;
      if (result && "answer" in result) latest = result.answer as Record<string, unknown>;
    }
    return latest === answer ? undefined : { answer: latest };
  }

  /** One API call, start to end (the queue runs them one at a time). */
  async function serveCall(call: Call, req: IncomingMessage, body: string): Promise<Reply> {
    const before = await runSteps(suiteFiredRows(call.operation, "before", options.optIns), call);
    if (before && "fail" in before) return errorReply(before.fail);
    if (before && "answer" in before) return jsonReply(200, before.answer);

    const seen = options.lambda.invocations.length;
    const forwarded = await forward(req, body);
    const during = options.lambda.invocations.slice(seen);
    await deliverMessages(call, during);
    const swallowed = firstFailure(during);
    if (swallowed) return errorReply(swallowed);
    if (forwarded.status !== 200) return forwarded;

    const answer = parseJson(forwarded.body);
    const after = await runSteps(suiteFiredRows(call.operation, "after", options.optIns), call, answer);
    if (after && "fail" in after) return errorReply(after.fail);
    if (after && "answer" in after) return jsonReply(200, after.answer);
    return forwarded;
  }

  async function forward(req: IncomingMessage, body: string): Promise<Reply> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string" && !["host", "content-length", "connection"].includes(name))
        headers[name] = value;
    }
    const res = await fetch(`${options.target}${req.url ?? "/"}`, {
      method: req.method ?? "GET",
      headers,
      ...(req.method === "GET" || req.method === "HEAD" ? {} : { body }),
    });
    const responseHeaders: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (!["content-length", "transfer-encoding", "connection", "content-encoding"].includes(name)) {
        responseHeaders[name] = value;
      }
    });
    return { status: res.status, headers: responseHeaders, body: await res.text() };
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const failure =
        error instanceof TriggerFailed
          ? error.error
          : apiError("InternalErrorException", error instanceof Error ? error.message : String(error), 500);
      send(res, errorReply(failure));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (options.extraRoutes?.(req, res)) return;
    const body = await readBody(req);
    const target = String(req.headers["x-amz-target"] ?? "");
    if (req.method !== "POST" || !target.startsWith(TARGET_PREFIX))
      return send(res, await forward(req, body));
    const call: Call = {
      operation: target.slice(TARGET_PREFIX.length),
      request: parseJson(body),
      customMessages: [],
    };
    const result = queue.then(async () => {
      current = call;
      try {
        return await serveCall(call, req, body);
      } catch (error) {
        if (error instanceof TriggerFailed) return errorReply(error.error);
        throw error;
      } finally {
        current = undefined;
      }
    });
    // The next call waits for this one, whatever its outcome.
    queue = result.catch(() => undefined);
    send(res, await result);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    adaptEvent(event) {
      const record = event as {
        triggerSource?: string;
        userName?: string;
        request?: Record<string, unknown>;
      };
      if (current && record.triggerSource?.startsWith("CustomMessage_")) {
        current.customMessages.push({
          triggerSource: record.triggerSource,
          userName: String(record.userName),
          userAttributes: (record.request?.userAttributes ?? {}) as Record<string, string>,
        });
      }
      // cognito-local gives Pre sign-up the call's ClientMetadata but drops its ValidationData.
      if (current?.operation === "SignUp" && record.triggerSource === "PreSignUp_SignUp" && record.request) {
        return {
          ...record,
          request: {
            ...record.request,
            validationData: nullIfEmpty(attributeMap(current.request.ValidationData)),
          },
        };
      }
      return event;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Where cognito-local keeps the code of each kind of message (its user record's field). */
const CODE_FIELDS: Record<string, string> = {
  CustomMessage_SignUp: "ConfirmationCode",
  CustomMessage_ResendCode: "ConfirmationCode",
  CustomMessage_ForgotPassword: "ConfirmationCode",
  // The invitation's "code" is the temporary password.
  CustomMessage_AdminCreateUser: "Password",
  CustomMessage_UpdateUserAttribute: "AttributeVerificationCode",
  CustomMessage_VerifyUserAttribute: "AttributeVerificationCode",
};

/** ResendConfirmationCode's answer: where the code went, masked as Cognito masks it. */
function resentAnswer(email: string) {
  return {
    CodeDeliveryDetails: { Destination: maskEmail(email), DeliveryMedium: "EMAIL", AttributeName: "email" },
  };
}

/** A message as Cognito sends it: the trigger's texts with `{####}` and `{username}` filled in. */
function renderedMessage(
  event: CustomMessageEvent,
  response: Record<string, string | null>,
  code: string,
  operation: string,
): OutgoingMessage {
  const fill = (text: string | null | undefined) =>
    text == null ? undefined : text.replaceAll("{####}", code).replaceAll("{username}", event.userName);
  const email = event.userAttributes.email;
  const destination = email ?? event.userAttributes.phone_number ?? "";
  return {
    username: event.userName,
    destination,
    deliveryMedium: email ? "EMAIL" : "SMS",
    code,
    operation,
    ...(fill(response.emailSubject) === undefined ? {} : { emailSubject: fill(response.emailSubject) }),
    ...(fill(response.emailMessage) === undefined ? {} : { emailMessage: fill(response.emailMessage) }),
    ...(fill(response.smsMessage) === undefined ? {} : { smsMessage: fill(response.smsMessage) }),
  };
}

/** The first error, among a call's invocations, that real Cognito would have failed the call with. */
function firstFailure(invocations: InvocationRecord[]): ApiError | undefined {
  const failed = invocations.find(
    (each) =>
      each.outcome === "error" && errorFailsCall(each.functionName as CognitoTrigger, each.triggerSource),
  );
  return failed
    ? lambdaValidation(failed.functionName as CognitoTrigger, failed.errorMessage ?? "")
    : undefined;
}

function lambdaValidation(trigger: CognitoTrigger, errorMessage: string): ApiError {
  return apiError("UserLambdaValidationException", triggerFailureMessage(trigger, errorMessage));
}

function apiError(type: string, message: string, status = 400): ApiError {
  return { status, type, message };
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function jsonReply(status: number, body: unknown): Reply {
  return { status, headers: { "content-type": "application/x-amz-json-1.1" }, body: JSON.stringify(body) };
}

function errorReply(error: ApiError): Reply {
  return {
    status: error.status,
    headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": error.type },
    body: JSON.stringify({ __type: error.type, message: error.message }),
  };
}

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, reply.headers);
  res.end(reply.body);
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** [{ Name, Value }] as Cognito's API writes attributes, to the { name: value } of trigger events. */
function attributeMap(list: unknown): Record<string, string> {
  if (!Array.isArray(list)) return {};
  return Object.fromEntries(
    list
      .filter((each): each is { Name: string; Value?: string } => typeof each?.Name === "string")
      .map((each) => [each.Name, String(each.Value ?? "")]),
  );
}

function nullIfEmpty(map: Record<string, string>): Record<string, string> | null {
  return Object.keys(map).length > 0 ? map : null;
}

function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
}

/** As Cognito shows a destination: the first letter and the domain ("h***@example.com"). */
function maskEmail(email: string): string {
  const at = email.indexOf("@");
  return at > 0 ? `${email[0]}***${email.slice(at)}` : "***";
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
