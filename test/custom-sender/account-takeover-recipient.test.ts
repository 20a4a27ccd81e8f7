/**
 * Where the account-takeover notification goes when its event carries no `email` (as AWS documents
 * it): the user is looked up in the pool with the real Cognito client (AdminGetUser, through the
 * handler's own lazily loaded default directory) against cognito-local, and the notification is sent
 * through the real SES client to aws-ses-v2-local only to an address the pool marks verified. Failures
 * are recorded in dynalite: no user or no verified address is permanent (no retry); a throttled, failing
 * or silent directory is transient (the invocation fails, so that Lambda retries it). Throttling and
 * server errors are injected in the SDK's middleware or through the port: cognito-local cannot produce
 * them. The address is never logged.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminCreateUserCommand,
  AdminUpdateUserAttributesCommand,
  CreateUserPoolCommand,
  InternalErrorException,
  TooManyRequestsException,
} from "@aws-sdk/client-cognito-identity-provider";
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { STAND_IN_KEY_ARN } from "../../cli/kms-stand-in.ts";
import { type LocalCognito, startCognito } from "../../cli/local/cognito.ts";
import {
  CognitoUserDirectory,
  createCognitoClient,
} from "../../triggers/custom-email-sender/cognito-user-directory.ts";
import { notificationRecipient } from "../../triggers/custom-email-sender/notification-recipient.ts";
import { createHandler } from "../../triggers/custom-email-sender/trigger.ts";
import { GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import type { Services, UserDirectory } from "../../triggers/lib/services.ts";
import { captureOutputOfEachTest } from "../support/capture-metrics.ts";
import { createAuditTable, type LocalDynamo, startDynalite, useLocalAwsEnv } from "../support/dynalite.ts";
import { type LocalSes, startSesLocal, useLocalSesEnv } from "../support/ses-local.ts";
import { type SenderEvent, senderSample } from "./support/events.ts";
import { blackHole } from "./support/kms.ts";

const TABLE = "account-takeover-audit";
const ENV = {
  APP_NAME: "Acme Notes",
  DEFAULT_LOCALE: "en",
  CUSTOM_SENDER_EMAIL_FROM: "Acme Notes <no-reply@mail.example.com>",
  CUSTOM_SENDER_KMS_KEY_ARN: STAND_IN_KEY_ARN,
  AUDIT_TABLE_NAME: TABLE,
  AWS_LAMBDA_FUNCTION_NAME: "custom-email-sender",
  LOG_LEVEL: "DEBUG",
};

let dynamo: LocalDynamo;
let ses: LocalSes;
let cognito: LocalCognito;
let dataDir: string;
let userPoolId: string;
const output = captureOutputOfEachTest();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "ato-recipient-"));
  [dynamo, ses, cognito] = await Promise.all([
    startDynalite(),
    startSesLocal(),
    startCognito({ dataDir, lambdaEndpoint: "http://127.0.0.1:9" }),
  ]);
  useLocalAwsEnv(dynamo.endpoint);
  useLocalSesEnv(ses.endpoint);
  // The handler's own directory builds its client from the standard variable, as in Lambda.
  process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = cognito.endpoint;
  await createAuditTable(dynamo.client, TABLE);
  // A pool of this file's own, signing in with email like most pools (a user's name is then their
  // sub), and without auto-verified attributes, so that changing an address sends no code.
  const { UserPool } = await cognito.client.send(
    new CreateUserPoolCommand({ PoolName: "account-takeover", UsernameAttributes: ["email"] }),
  );
  userPoolId = UserPool?.Id ?? "";
}, 30_000);
afterAll(async () => {
  await Promise.all([dynamo?.stop(), ses?.stop(), cognito?.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await ses.clear();
});

/** A user of the pool; their user name (the sub Cognito gives a user who signs in with email). */
async function poolUser(email: string, verified: boolean): Promise<string> {
  const { User } = await cognito.client.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: email,
      UserAttributes: [
        { Name: "email", Value: email },
        { Name: "email_verified", Value: String(verified) },
      ],
      MessageAction: "SUPPRESS",
    }),
  );
  return User?.Username ?? "";
}

/** The notification as Cognito sends it (no email attribute), for `userName` of the test's pool. */
function notification(userName: string | undefined, userNameDetail = "someone-else"): SenderEvent {
  const event = senderSample("custom-email-sender/account-takeover-notification");
  event.userPoolId = userPoolId;
  if (userName === undefined) delete (event as { userName?: string }).userName;
  else event.userName = userName;
  event.request.userAttributes.USER_NAME = userNameDetail;
  return event;
}

/** Runs the handler; "returned" or "retry" (the generic error that makes Lambda try again). */
async function outcome(event: SenderEvent, services: Services = {}): Promise<"returned" | "retry"> {
  try {
    const returned = await createHandler(ENV, services)(structuredClone(event), { awsRequestId: "r-1" });
    expect(returned).toEqual(event);
    return "returned";
  } catch (error) {
    expect((error as Error).message).toBe(GENERIC_USER_MESSAGE);
    return "retry";
  }
}

const failuresOf = async (userName: string) =>
  ((await dynamo.client.send(new ScanCommand({ TableName: TABLE }))).Items ?? [])
    .map((item) => unmarshall(item))
    .filter((item) => item.userName === userName && item.event === "MESSAGE_SEND_FAILED")
    .map((item) => item.reason);

function expectNotLogged(address: string) {
  expect(output.logs.lines.join("\n")).not.toContain(address);
  expect(output.metrics.lines.join("")).not.toContain(address);
}

describe("the notification without an email in the event: the pool is asked", () => {
  it("reaches the user's verified address, looked up by the event's userName", async () => {
    const userName = await poolUser("kim.verified@example.com", true);
    expect(await outcome(notification(userName))).toBe("returned");

    const [email, ...others] = await ses.emails();
    expect(others).toEqual([]);
    expect(email).toMatchObject({
      from: "Acme Notes <no-reply@mail.example.com>",
      destination: { to: ["kim.verified@example.com"] },
      subject: "Unusual sign-in to your Acme Notes account",
    });
    expect(email?.body.text).toContain("IP address: 203.0.113.24");
    expect(output.metrics.names()).toEqual(["MessagesSent"]);
    expect(await failuresOf(userName)).toEqual([]);
    expectNotLogged("kim.verified@example.com");
  });

  it("falls back to USER_NAME only when the event has no userName", async () => {
    const userName = await poolUser("lee.fallback@example.com", true);
    expect(await outcome(notification(undefined, userName))).toBe("returned");
    expect((await ses.emails()).map((e) => e.destination.to)).toEqual([["lee.fallback@example.com"]]);
  });

  it("prefers userName to USER_NAME when both name a user", async () => {
    const named = await poolUser("pat.named@example.com", true);
    const detail = await poolUser("pat.detail@example.com", true);
    expect(await outcome(notification(named, detail))).toBe("returned");
    expect((await ses.emails()).map((e) => e.destination.to)).toEqual([["pat.named@example.com"]]);
  });

  it("an unverified address: nothing sent, no-recipient recorded, no retry", async () => {
    const userName = await poolUser("ana.unverified@example.com", false);
    expect(await outcome(notification(userName))).toBe("returned");
    expect(await ses.emails()).toEqual([]);
    expect(await failuresOf(userName)).toEqual(["no-recipient"]);
    expect(output.metrics.names()).toEqual(["MessagesFailed"]);
    expect(output.logs.parsed().find((l) => l.reason === "no-recipient")).toMatchObject({
      level: "ERROR",
      msg: "message not sent: the pool holds no verified email address for the user",
    });
    expectNotLogged("ana.unverified@example.com");
  });

  it("an address changed since it was verified (unverified again): not written to", async () => {
    const userName = await poolUser("rui.owner@example.com", true);
    await cognito.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: userPoolId,
        Username: userName,
        UserAttributes: [{ Name: "email", Value: "attacker@evil.example" }],
      }),
    );
    expect(await outcome(notification(userName))).toBe("returned");
    expect(await ses.emails()).toEqual([]);
    expect(await failuresOf(userName)).toEqual(["no-recipient"]);
  });

  it("a user the pool does not know: nothing sent, no-recipient recorded, no retry", async () => {
    expect(await outcome(notification("4f0c9a6e-0000-4000-8000-000000000000"))).toBe("returned");
    expect(await ses.emails()).toEqual([]);
    expect(await failuresOf("4f0c9a6e-0000-4000-8000-000000000000")).toEqual(["no-recipient"]);
  });

  it("neither userName nor USER_NAME: no-recipient, and nobody is asked", async () => {
    const directory = countingDirectory(async () => "x@example.com");
    const event = notification(undefined, "");
    expect(await outcome(event, { userDirectory: directory })).toBe("returned");
    expect(directory.calls).toEqual([]);
    expect(await ses.emails()).toEqual([]);
  });

  it("an email in the event is used as it is, without asking the pool", async () => {
    const directory = countingDirectory(async () => "other@example.com");
    const event = notification("whoever");
    event.request.userAttributes.email = "in.event@example.com";
    expect(await outcome(event, { userDirectory: directory })).toBe("returned");
    expect(directory.calls).toEqual([]);
    expect((await ses.emails()).map((e) => e.destination.to)).toEqual([["in.event@example.com"]]);
  });

  it("a verified address the pool holds that is not one mailbox: recipient-invalid, not sent", async () => {
    const directory = countingDirectory(async () => "a@example.com\r\nBcc: x@evil.example");
    expect(await outcome(notification("odd-address"), { userDirectory: directory })).toBe("returned");
    expect(await ses.emails()).toEqual([]);
    expect(await failuresOf("odd-address")).toEqual(["recipient-invalid"]);
  });
});

describe("a directory that cannot answer now is retried; one that refuses is not", () => {
  it("Cognito throttling (TooManyRequestsException): the SDK's one retry, then lookup-failed, retried", async () => {
    const userName = await poolUser("sky.throttled@example.com", true);
    const client = createCognitoClient("local");
    let attempts = 0;
    // cognito-local never throttles: the SDK meets Cognito's own exception where the network would be.
    client.middlewareStack.add(
      () => async () => {
        attempts += 1;
        throw new TooManyRequestsException({ message: "Rate exceeded", $metadata: { httpStatusCode: 400 } });
      },
      { step: "finalizeRequest", priority: "low", name: "throttleEveryAttempt" },
    );
    const userDirectory = new CognitoUserDirectory(client);
    expect(await outcome(notification(userName), { userDirectory })).toBe("retry");
    expect(attempts).toBe(2);
    expect(await ses.emails()).toEqual([]);
    expect(await failuresOf(userName)).toEqual(["lookup-failed"]);
    expect(output.metrics.names()).toEqual(["MessagesFailed"]);
    expect(output.logs.parsed().find((l) => l.reason === "lookup-failed")).toMatchObject({
      level: "ERROR",
      error: { name: "TooManyRequestsException", status: 400 },
    });
    expectNotLogged("sky.throttled@example.com");
  });

  it("Cognito failing on its side (InternalErrorException, 500): lookup-failed, retried", async () => {
    const userDirectory = countingDirectory(async () => {
      throw new InternalErrorException({ message: "internal", $metadata: { httpStatusCode: 500 } });
    });
    expect(await outcome(notification("cognito-5xx"), { userDirectory })).toBe("retry");
    expect(await failuresOf("cognito-5xx")).toEqual(["lookup-failed"]);
  });

  it("Cognito that never answers: lookup-timeout, retried", async () => {
    const hole = await blackHole();
    const saved = process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;
    process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = hole.endpoint;
    try {
      const userDirectory = new CognitoUserDirectory(createCognitoClient("local"));
      expect(await outcome(notification("cognito-slow"), { userDirectory })).toBe("retry");
    } finally {
      process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = saved;
      await hole.stop();
    }
    expect(await ses.emails()).toEqual([]);
    expect(await failuresOf("cognito-slow")).toEqual(["lookup-timeout"]);
  });

  it("Cognito refusing the function's role (AccessDeniedException): lookup-refused, not retried", async () => {
    const userDirectory = countingDirectory(async () => {
      throw Object.assign(new Error("denied"), {
        name: "AccessDeniedException",
        $metadata: { httpStatusCode: 400 },
      });
    });
    expect(await outcome(notification("cognito-denied"), { userDirectory })).toBe("returned");
    expect(await failuresOf("cognito-denied")).toEqual(["lookup-refused"]);
  });

  it("an event whose userPoolId is no pool id: refused before any request, not retried", async () => {
    const client = createCognitoClient("local");
    let attempts = 0;
    client.middlewareStack.add(
      (next) => async (args) => {
        attempts += 1;
        return next(args);
      },
      { step: "initialize", name: "countAttempts" },
    );
    const event = notification("anyone");
    event.userPoolId = "evil.example/#_x";
    expect(await outcome(event, { userDirectory: new CognitoUserDirectory(client) })).toBe("returned");
    expect(attempts).toBe(0);
    expect(await failuresOf("anyone")).toEqual(["lookup-refused"]);
  });
});

describe("the recipient rule (properties)", () => {
  const text = fc.string({ unit: "binary", maxLength: 40 });
  const attributes = fc.dictionary(
    fc.constantFrom("USER_NAME", "EVENT_ID", "IP_ADDRESS", "CITY", "DEVICE_NAME", "ONE_CLICK_LINK_VALID"),
    text,
  );

  it("without an email in the event, only the directory's answer for the event's user is ever written to", async () => {
    await fc.assert(
      fc.asyncProperty(
        attributes,
        fc.option(text, { nil: undefined }),
        fc.option(fc.constantFrom("kim@example.com", "a@b", "x@evil.example\r\nBcc: y@evil.example"), {
          nil: undefined,
        }),
        async (details, userName, answer) => {
          const asked: string[] = [];
          const directory: UserDirectory = {
            verifiedEmail: async (_pool, username) => {
              asked.push(username);
              return answer;
            },
          };
          const event = { ...notification("x"), userName } as SenderEvent;
          const recipient = notificationRecipient(event, details, directory);
          if (!("lookUp" in recipient)) {
            // Nobody to ask about: no user named at all.
            expect(recipient).toEqual({ missing: "no-recipient" });
            expect([userName, details.USER_NAME].every((n) => n === undefined || n.trim() === "")).toBe(true);
            return;
          }
          const found = await recipient.lookUp(new AbortController().signal);
          const named = userName !== undefined && userName.trim() !== "" ? userName : details.USER_NAME;
          expect(asked).toEqual([named]);
          if ("to" in found) expect(found.to).toBe(answer);
          else expect(found.missing).toBe(answer === undefined ? "no-recipient" : "recipient-invalid");
        },
      ),
      { numRuns: 300 },
    );
  });
});

function countingDirectory(
  answer: (username: string) => Promise<string | undefined>,
): UserDirectory & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    verifiedEmail: (_pool, username) => {
      calls.push(username);
      return answer(username);
    },
  };
}
