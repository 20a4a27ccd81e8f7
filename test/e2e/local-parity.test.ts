/**
 * The local pool fires the triggers as real Cognito does: each row of cli/local/cognito-behaviour.ts
 * that the local pool fires is driven here through the public Cognito API
 * (`@aws-sdk/client-cognito-identity-provider`, the SDK an app uses), against the whole suite on free
 * ports. Each test's title is the one the row names (test/e2e/parity-matrix.test.ts checks that).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateGroupCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UserLambdaValidationException,
} from "@aws-sdk/client-cognito-identity-provider";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { JwtRsaVerifier } from "aws-jwt-verify";
import type { Jwks } from "aws-jwt-verify/jwk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmationCode, decodeJwt } from "../../cli/local/demo.ts";
import { type DemoTarget, targetFor } from "../../cli/local/demo-target.ts";
import { DEFAULT_ENV_FILE, type LocalSuite, startLocalSuite } from "../../cli/local/suite.ts";

const PASSWORD = "Hanako-Passw0rd!";

let dataDir: string;
let suite: LocalSuite;
let target: DemoTarget;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "local-parity-"));
  suite = await startLocalSuite({ dataDir, persist: false });
  target = targetFor(suite.description);
}, 30_000);

afterAll(async () => {
  target?.close();
  await suite?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const pool = () => suite.cognito.pool;
const cognito = () => suite.cognito.client;

async function signUp(email: string, nickname = "はなこ") {
  return cognito().send(
    new SignUpCommand({
      ClientId: pool().spaClientId,
      Username: email,
      Password: PASSWORD,
      UserAttributes: [
        { Name: "email", Value: email },
        { Name: "nickname", Value: nickname },
      ],
    }),
  );
}

async function confirmedUser(email: string, nickname = "はなこ") {
  const { UserSub } = await signUp(email, nickname);
  await cognito().send(
    new ConfirmSignUpCommand({
      ClientId: pool().spaClientId,
      Username: email,
      ConfirmationCode: await confirmationCode(target, email),
    }),
  );
  return UserSub;
}

function signIn(email: string, password = PASSWORD) {
  return cognito().send(
    new InitiateAuthCommand({
      ClientId: pool().spaClientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
}

async function mailsTo(email: string) {
  return (await suite.ses.emails()).filter((mail) => mail.destination.to.includes(email));
}

/** The tokens verify against the pool's JWKS, as an app checks them with aws-jwt-verify. */
async function verifier(tokenUse: "id" | "access") {
  const issuer = `${suite.cognito.endpoint}/${pool().userPoolId}`;
  const jwks = (await (await fetch(`${issuer}/.well-known/jwks.json`)).json()) as Jwks;
  const verify = JwtRsaVerifier.create({
    issuer,
    audience: tokenUse === "id" ? pool().spaClientId : null,
    jwksUri: `${issuer}/.well-known/jwks.json`,
  });
  verify.cacheJwks(jwks);
  return verify;
}

function expectRefused(error: unknown, message: string) {
  expect(error).toBeInstanceOf(UserLambdaValidationException);
  expect((error as Error).message).toBe(message);
}

describe("the local pool fires the triggers as Cognito does", () => {
  it("a blocked domain is refused at SignUp", async () => {
    const error = await signUp("mallory@blocked.example.com").catch((e: unknown) => e);
    expectRefused(error, "PreSignUp failed with error Sign-up is not available for this email address.");
  });

  it("AdminCreateUser for a blocked domain is refused by Pre sign-up", async () => {
    const error = await cognito()
      .send(
        new AdminCreateUserCommand({
          UserPoolId: pool().userPoolId,
          Username: "eve@blocked.example.com",
          UserAttributes: [{ Name: "email", Value: "eve@blocked.example.com" }],
          DesiredDeliveryMediums: ["EMAIL"],
        }),
      )
      .catch((e: unknown) => e);
    expectRefused(error, "PreSignUp failed with error Sign-up is not available for this email address.");
    const refused = (await target.invocations()).filter(
      (each) => each.triggerSource === "PreSignUp_AdminCreateUser",
    );
    expect(refused.at(-1)?.outcome).toBe("error");
  });

  it("the sign-up code is rendered by Custom message and readable in the SES viewer", async () => {
    const email = "code.reader@example.com";
    await signUp(email, "<b>コード</b>");
    const code = await confirmationCode(target, email);
    const [mail] = await mailsTo(email);
    expect(mail?.body.html ?? mail?.body.text).toContain(code);
    expect(mail?.body.html).toContain("&lt;b&gt;コード&lt;/b&gt;");
  });

  it("ResendConfirmationCode sends the code again through Custom message", async () => {
    const email = "resend@example.com";
    await signUp(email);
    const sent = await cognito().send(
      new ResendConfirmationCodeCommand({ ClientId: pool().spaClientId, Username: email }),
    );
    expect(sent.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: "EMAIL", AttributeName: "email" });
    const resend = (await target.invocations()).filter(
      (each) => each.triggerSource === "CustomMessage_ResendCode",
    );
    expect(resend.at(-1)?.outcome).toBe("returned");
    const mails = await mailsTo(email);
    expect(mails).toHaveLength(2);
    // The code in the latest message confirms the user.
    const code = await confirmationCode(target, email);
    expect(mails[1]?.body.html ?? mails[1]?.body.text).toContain(code);
    await cognito().send(
      new ConfirmSignUpCommand({ ClientId: pool().spaClientId, Username: email, ConfirmationCode: code }),
    );
  });

  it("a sign-in from outside IP_ALLOWLIST through the trusted server client is refused by Pre authentication", async () => {
    const email = "far.away@example.com";
    await confirmedUser(email);
    const adminSignIn = (sourceIp: string) =>
      cognito().send(
        new AdminInitiateAuthCommand({
          UserPoolId: pool().userPoolId,
          ClientId: pool().serverClientId,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: email, PASSWORD: PASSWORD },
          ClientMetadata: { sourceIp },
        }),
      );
    const error = await adminSignIn("198.51.100.7").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserLambdaValidationException);
    expect((error as Error).message).toMatch(/^PreAuthentication failed with error /);
    // From an allowed address the same client signs in, and Post authentication runs for it.
    const allowed = await adminSignIn("203.0.113.10");
    expect(allowed.AuthenticationResult?.IdToken).toEqual(expect.any(String));
    const sources = (await target.invocations()).map((each) => each.triggerSource);
    expect(sources.slice(-3)).toEqual([
      "PreAuthentication_Authentication",
      "PostAuthentication_Authentication",
      "TokenGeneration_Authentication",
    ]);
  });

  it("a V2 access token carries the configured claim and scope and verifies against the JWKS", async () => {
    const email = "editor@example.com";
    const sub = await confirmedUser(email, "エディター");
    await cognito()
      .send(new CreateGroupCommand({ UserPoolId: pool().userPoolId, GroupName: "editors" }))
      .catch(() => undefined);
    await cognito().send(
      new AdminAddUserToGroupCommand({
        UserPoolId: pool().userPoolId,
        Username: email,
        GroupName: "editors",
      }),
    );
    const tokens = (await signIn(email)).AuthenticationResult;
    const access = await (await verifier("access")).verify(tokens?.AccessToken ?? "");
    expect(access).toMatchObject({ app: "acme-notes", sub, token_use: "access" });
    expect(String(access.scope).split(" ")).toContain("notes/write");
    const id = await (await verifier("id")).verify(tokens?.IdToken ?? "");
    expect(id).toMatchObject({
      app: "acme-notes",
      display_name: "エディター",
      "cognito:groups": ["editors"],
    });
    const event = (await target.invocations())
      .filter((each) => each.functionName === "PreTokenGeneration")
      .at(-1);
    expect(event?.triggerSource).toBe("TokenGeneration_Authentication");
  });

  it("refreshed tokens are customised again", async () => {
    const email = "refresh@example.com";
    await confirmedUser(email);
    const first = (await signIn(email)).AuthenticationResult;
    const refreshed = await cognito().send(
      new InitiateAuthCommand({
        ClientId: pool().spaClientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: first?.RefreshToken ?? "" },
      }),
    );
    const access = await (await verifier("access")).verify(refreshed.AuthenticationResult?.AccessToken ?? "");
    expect(access.app).toBe("acme-notes");
    const sources = (await target.invocations()).map((each) => each.triggerSource);
    expect(sources.at(-1)).toBe("TokenGeneration_RefreshTokens");
  });

  it("AdminCreateUser sends the invitation rendered by Custom message", async () => {
    const email = "invited@example.com";
    await cognito().send(
      new AdminCreateUserCommand({
        UserPoolId: pool().userPoolId,
        Username: email,
        TemporaryPassword: "Temp-Passw0rd!",
        UserAttributes: [
          { Name: "email", Value: email },
          { Name: "nickname", Value: "招待" },
        ],
        DesiredDeliveryMediums: ["EMAIL"],
      }),
    );
    const [invitation] = await mailsTo(email);
    expect(invitation?.body.html ?? invitation?.body.text).toContain("Temp-Passw0rd!");
    // The invited user sets a password and gets customised tokens (TokenGeneration_NewPasswordChallenge).
    const challenge = await signIn(email, "Temp-Passw0rd!");
    expect(challenge.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    const answered = await cognito().send(
      new RespondToAuthChallengeCommand({
        ClientId: pool().spaClientId,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: email, NEW_PASSWORD: "Invited-Passw0rd!" },
      }),
    );
    const access = await (await verifier("access")).verify(answered.AuthenticationResult?.AccessToken ?? "");
    expect(access.app).toBe("acme-notes");
    const sources = (await target.invocations()).map((each) => each.triggerSource);
    expect(sources.at(-1)).toBe("TokenGeneration_NewPasswordChallenge");
  });

  it("GetUserAttributeVerificationCode sends a code through Custom message", async () => {
    const email = "verify.again@example.com";
    await confirmedUser(email);
    const tokens = (await signIn(email)).AuthenticationResult;
    await cognito().send(
      new GetUserAttributeVerificationCodeCommand({
        AccessToken: tokens?.AccessToken,
        AttributeName: "email",
      }),
    );
    const sources = (await target.invocations()).map((each) => each.triggerSource);
    expect(sources).toContain("CustomMessage_VerifyUserAttribute");
    expect((await mailsTo(email)).length).toBeGreaterThanOrEqual(2);
  });

  it("a legacy user's forgot-password migrates them and sends the reset code", async () => {
    const email = "sakura.ito@example.org";
    await cognito().send(new ForgotPasswordCommand({ ClientId: pool().spaClientId, Username: email }));
    const sources = (await target.invocations()).map((each) => each.triggerSource);
    expect(sources).toContain("UserMigration_ForgotPassword");
    expect(sources.at(-1)).toBe("CustomMessage_ForgotPassword");
    const legacy = await suite.dynamo.client.send(
      new GetItemCommand({ TableName: suite.env.LEGACY_USERS_TABLE_NAME, Key: { login: { S: email } } }),
    );
    expect(unmarshall(legacy.Item ?? {}).migratedAt).toEqual(expect.any(String));

    const code = await confirmationCode(target, email);
    const [reset] = await mailsTo(email);
    expect(reset?.body.html ?? reset?.body.text).toContain(code);
    await cognito().send(
      new ConfirmForgotPasswordCommand({
        ClientId: pool().spaClientId,
        Username: email,
        ConfirmationCode: code,
        Password: "Sakura-Passw0rd!",
      }),
    );
    expect((await target.invocations()).at(-1)?.triggerSource).toBe("PostConfirmation_ConfirmForgotPassword");
    const tokens = (await signIn(email, "Sakura-Passw0rd!")).AuthenticationResult;
    expect(decodeJwt(tokens?.IdToken ?? "").email).toBe(email);
  });
});

describe("a trigger's failure fails the call", () => {
  let failing: LocalSuite;
  let failingDir: string;

  beforeAll(async () => {
    failingDir = await mkdtemp(join(tmpdir(), "local-parity-failing-"));
    // Post confirmation refuses every request when its configuration is invalid (it fails closed).
    const envFile = join(failingDir, "local.env");
    const { readFile } = await import("node:fs/promises");
    const env = await readFile(DEFAULT_ENV_FILE, "utf8");
    await writeFile(envFile, env.replace(/^WELCOME_EMAIL_FROM=.*$/m, "WELCOME_EMAIL_FROM=not an address"));
    failing = await startLocalSuite({ dataDir: failingDir, persist: false, envFile });
  }, 30_000);

  afterAll(async () => {
    await failing?.stop();
    await rm(failingDir, { recursive: true, force: true });
  });

  it("a failing Post confirmation fails ConfirmSignUp", async () => {
    const email = "unwelcome@example.com";
    const client = failing.cognito.client;
    await client.send(
      new SignUpCommand({
        ClientId: failing.cognito.pool.spaClientId,
        Username: email,
        Password: PASSWORD,
        UserAttributes: [
          { Name: "email", Value: email },
          { Name: "nickname", Value: "x" },
        ],
      }),
    );
    const failingTarget = targetFor(failing.description);
    try {
      const code = await confirmationCode(failingTarget, email);
      const error = await client
        .send(
          new ConfirmSignUpCommand({
            ClientId: failing.cognito.pool.spaClientId,
            Username: email,
            ConfirmationCode: code,
          }),
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserLambdaValidationException);
      expect((error as Error).message).toMatch(/^PostConfirmation failed with error /);
    } finally {
      failingTarget.close();
    }
  });
});
