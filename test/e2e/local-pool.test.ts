/**
 * End to end: the public Cognito API (the SDK an app uses) against cognito-local, with every trigger
 * attached through the local Lambda endpoint, on dynalite and aws-ses-v2-local, all started here on
 * free ports. test/e2e/local-parity.test.ts drives the rows of the parity matrix (docs/local-pool.md).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
  UserLambdaValidationException,
} from "@aws-sdk/client-cognito-identity-provider";
import { GetItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditRecordsOf, confirmationCode, decodeJwt, lastResponse, runDemo } from "../../cli/local/demo.ts";
import { type DemoTarget, targetFor } from "../../cli/local/demo-target.ts";
import { type LocalSuite, startLocalSuite } from "../../cli/local/suite.ts";

let dataDir: string;
let suite: LocalSuite;
let target: DemoTarget;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "local-pool-"));
  suite = await startLocalSuite({ dataDir, persist: false });
  target = targetFor(suite.description);
}, 30_000);

afterAll(async () => {
  target?.close();
  await suite?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const pool = () => suite.cognito.pool;

async function signUp(email: string, nickname = "はなこ") {
  return suite.cognito.client.send(
    new SignUpCommand({
      ClientId: pool().spaClientId,
      Username: email,
      Password: "Hanako-Passw0rd!",
      UserAttributes: [
        { Name: "email", Value: email },
        { Name: "nickname", Value: nickname },
      ],
    }),
  );
}

async function signIn(email: string, password: string) {
  const result = await suite.cognito.client.send(
    new InitiateAuthCommand({
      ClientId: pool().spaClientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  return result.AuthenticationResult;
}

describe("the suite on the local pool", () => {
  it("refuses a sign-up from a look-alike domain with the message real Cognito would show", async () => {
    const error = await signUp("mallory@evilexample.com").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserLambdaValidationException);
    expect((error as Error).message).toBe(
      "PreSignUp failed with error Sign-up is not available for this email address.",
    );
    // A refused user never gets a sub; the record is keyed by the userName cognito-local generated.
    const denied = await auditRecordsByEmail("mallory@evilexample.com");
    expect(denied.map((r) => [r.event, r.reason])).toEqual([["SIGN_UP_DENIED", "domain-not-allowed"]]);
  });

  it("sends the templated confirmation message, confirms, and mails the welcome email exactly once", async () => {
    const email = "hanako.e2e@example.com";
    const result = await signUp(email, "<b>はなこ</b>");
    expect(result.UserConfirmed).toBe(false);

    const message = (await lastResponse(target, "CustomMessage")) as Record<string, string>;
    expect(message.emailMessage).toContain("{####}");
    expect(message.emailMessage).toContain("&lt;b&gt;はなこ&lt;/b&gt;");
    expect(message.emailMessage).not.toContain("<b>はなこ");
    expect(message.smsMessage).toContain("{####}");

    const code = await confirmationCode(target, email);
    await suite.cognito.client.send(
      new ConfirmSignUpCommand({ ClientId: pool().spaClientId, Username: email, ConfirmationCode: code }),
    );
    const mails = (await suite.ses.emails()).filter((m) => m.destination.to.includes(email));
    // The code's own message (the pool's), then exactly one welcome email (the trigger's).
    expect(mails.map((m) => m.from)).toEqual(["no-reply@cognito.local", "welcome@mail.example.com"]);
    expect(mails[0]?.body.html).toContain(code);
    expect(mails[1]?.body.html).toContain("&lt;b&gt;はなこ&lt;/b&gt;");

    const records = await auditRecordsOf(target, `USER#${result.UserSub}`);
    expect(records.filter((r) => r.event === "SIGN_UP_CONFIRMED")).toHaveLength(1);
  });

  it("signs in with custom claims in the ID token and an audit record of the sign-in", async () => {
    const email = "claims.e2e@example.com";
    const { UserSub } = await signUp(email, "クレーム");
    await suite.cognito.client.send(
      new ConfirmSignUpCommand({
        ClientId: pool().spaClientId,
        Username: email,
        ConfirmationCode: await confirmationCode(target, email),
      }),
    );
    const tokens = await signIn(email, "Hanako-Passw0rd!");
    const claims = decodeJwt(tokens?.IdToken ?? "");
    expect(claims).toMatchObject({ app: "acme-notes", display_name: "クレーム", sub: UserSub });

    const signIns = (await auditRecordsOf(target, `USER#${UserSub}`)).filter((r) => r.event === "SIGN_IN");
    expect(signIns).toHaveLength(1);
    expect(signIns[0]).toMatchObject({
      outcome: "success",
      clientId: pool().spaClientId,
      userPoolId: pool().userPoolId,
      email,
      triggerSource: "PostAuthentication_Authentication",
    });
  });

  it("migrates a legacy user (bcrypt) on first sign-in and marks the legacy record", async () => {
    const wrong = await signIn("taro@example.com", "not-his-password").catch((e: Error) => e);
    expect(wrong).toBeInstanceOf(Error);

    const tokens = await signIn("taro@example.com", "Legacy-Passw0rd!");
    const claims = decodeJwt(tokens?.IdToken ?? "");
    expect(claims.email).toBe("taro@example.com");
    expect(claims["custom:legacy_id"] ?? "L-000123").toBe("L-000123");

    const legacy = await suite.dynamo.client.send(
      new GetItemCommand({
        TableName: suite.env.LEGACY_USERS_TABLE_NAME,
        Key: { login: { S: "taro@example.com" } },
      }),
    );
    expect(unmarshall(legacy.Item ?? {}).migratedAt).toEqual(expect.any(String));
    // Now a pool user: the second sign-in does not call the migration trigger again.
    const migrations = (await target.invocations()).filter((i) => i.functionName === "UserMigration").length;
    await signIn("taro@example.com", "Legacy-Passw0rd!");
    expect((await target.invocations()).filter((i) => i.functionName === "UserMigration")).toHaveLength(
      migrations,
    );
  });

  it("runs the scripted demo to the end", async () => {
    const lines: string[] = [];
    expect(await runDemo(target, (line) => lines.push(line))).toBe(0);
    expect(lines.join("\n")).toContain("demo complete");
  }, 30_000);

  async function auditRecordsByEmail(email: string) {
    const page = await suite.dynamo.client.send(new ScanCommand({ TableName: suite.env.AUDIT_TABLE_NAME }));
    return (page.Items ?? []).map((i) => unmarshall(i)).filter((r) => r.email === email);
  }
});
