/**
 * `cognito-triggers local --custom-email-sender`: the real CLI in a child process, driven through the
 * public Cognito API (`@aws-sdk/client-cognito-identity-provider`). cognito-local encrypts each code
 * with the local KMS key through the AWS Encryption SDK, as Cognito does, and hands it to the suite's
 * custom email sender, which decrypts it and sends the email (rendered from Custom message's templates)
 * to the local SES. Each row of cli/local/cognito-behaviour.ts the opt-in fires names its test here
 * (test/e2e/parity-matrix.test.ts checks that); no code ever reaches the CLI's output.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  AdminCreateUserCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoTarget, findRunningSuite, targetFor } from "../../cli/local/demo-target.ts";
import type { InvocationRecord } from "../../cli/local/lambda-endpoint.ts";
import { portsInUse, suitePorts } from "../../cli/local/ports.ts";
import { DEFAULT_ENV_FILE } from "../../cli/local/suite.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin/cognito-triggers.js");
const PASSWORD = "Hanako-Passw0rd!";
/** CUSTOM_SENDER_EMAIL_FROM in cli/local/local.env. */
const SENDER = "no-reply@mail.example.com";

/** Every code and temporary password the pool sent here: none may appear in the CLI's output. */
const secrets: string[] = [];
const started: Cli[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const cli of started) await cli.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("the local pool with the custom email sender attached", () => {
  let cli: Cli;
  let target: DemoTarget;

  beforeAll(async () => {
    cli = await startCli();
    target = cli.target;
  }, 30_000);

  const pool = () => target.description.pool;
  const cognito = () => target.cognito;

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

  async function confirmedUser(email: string) {
    await signUp(email);
    await cognito().send(
      new ConfirmSignUpCommand({
        ClientId: pool().spaClientId,
        Username: email,
        ConfirmationCode: await storedCode(target, email, "ConfirmationCode"),
      }),
    );
  }

  async function accessToken(email: string, password = PASSWORD) {
    const result = await cognito().send(
      new InitiateAuthCommand({
        ClientId: pool().spaClientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    return result.AuthenticationResult?.AccessToken ?? "";
  }

  const mailsTo = async (email: string) =>
    (await target.emails()).filter((mail) => mail.destination.to.includes(email));
  const bodyOf = (mail: { body: { html?: string; text?: string } } | undefined) =>
    `${mail?.body.html ?? ""}${mail?.body.text ?? ""}`;

  it("the sign-up code reaches the SES viewer through the custom email sender and confirms the user", async () => {
    const email = "sender.signup@example.com";
    const before = (await target.invocations()).length;
    await signUp(email, "<b>コード</b>");
    const during = (await target.invocations()).slice(before);
    expect(sources(during)).toEqual(["PreSignUp_SignUp", "CustomEmailSender_SignUp"]);
    expect(during.at(-1)?.outcome).toBe("returned");

    const code = await storedCode(target, email, "ConfirmationCode");
    secrets.push(code);
    // One email, from the sender's address, with the decrypted code and the name HTML-escaped.
    const mails = await mailsTo(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.from).toContain(SENDER);
    expect(bodyOf(mails[0])).toContain(code);
    expect(mails[0]?.body.html).toContain("&lt;b&gt;コード&lt;/b&gt;");
    expect(mails[0]?.body.html).not.toContain("<b>コード</b>");

    await cognito().send(
      new ConfirmSignUpCommand({ ClientId: pool().spaClientId, Username: email, ConfirmationCode: code }),
    );
    expect(await accessToken(email)).not.toBe("");
  });

  it("ResendConfirmationCode emails the code again through the custom email sender", async () => {
    const email = "sender.resend@example.com";
    await signUp(email);
    const before = (await target.invocations()).length;
    const sent = await cognito().send(
      new ResendConfirmationCodeCommand({ ClientId: pool().spaClientId, Username: email }),
    );
    expect(sent.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: "EMAIL", AttributeName: "email" });
    const during = (await target.invocations()).slice(before);
    expect(sources(during)).toEqual(["CustomEmailSender_ResendCode"]);
    expect(during[0]?.outcome).toBe("returned");

    const code = await storedCode(target, email, "ConfirmationCode");
    secrets.push(code);
    const mails = await mailsTo(email);
    expect(mails).toHaveLength(2);
    expect(bodyOf(mails[1])).toContain(code);
    await cognito().send(
      new ConfirmSignUpCommand({ ClientId: pool().spaClientId, Username: email, ConfirmationCode: code }),
    );
  });

  it("ForgotPassword emails the reset code through the custom email sender", async () => {
    const email = "sender.forgot@example.com";
    await confirmedUser(email);
    const before = (await target.invocations()).length;
    const beforeMails = (await mailsTo(email)).length;
    await cognito().send(new ForgotPasswordCommand({ ClientId: pool().spaClientId, Username: email }));
    expect(sources((await target.invocations()).slice(before))).toEqual(["CustomEmailSender_ForgotPassword"]);

    const code = await storedCode(target, email, "ConfirmationCode");
    secrets.push(code);
    const mails = await mailsTo(email);
    expect(mails).toHaveLength(beforeMails + 1);
    expect(bodyOf(mails.at(-1))).toContain(code);
    await cognito().send(
      new ConfirmForgotPasswordCommand({
        ClientId: pool().spaClientId,
        Username: email,
        ConfirmationCode: code,
        Password: "Reset-Passw0rd!",
      }),
    );
    expect(await accessToken(email, "Reset-Passw0rd!")).not.toBe("");
  });

  it("AdminCreateUser emails the temporary password through the custom email sender", async () => {
    const email = "sender.invited@example.com";
    const temporaryPassword = "Temp-Sender-Passw0rd!";
    secrets.push(temporaryPassword);
    const before = (await target.invocations()).length;
    await cognito().send(
      new AdminCreateUserCommand({
        UserPoolId: pool().userPoolId,
        Username: email,
        TemporaryPassword: temporaryPassword,
        UserAttributes: [
          { Name: "email", Value: email },
          { Name: "nickname", Value: "招待" },
        ],
        DesiredDeliveryMediums: ["EMAIL"],
      }),
    );
    expect(sources((await target.invocations()).slice(before))).toEqual([
      "PreSignUp_AdminCreateUser",
      "CustomEmailSender_AdminCreateUser",
    ]);
    const mails = await mailsTo(email);
    expect(mails).toHaveLength(1);
    expect(bodyOf(mails[0])).toContain(temporaryPassword);
    // The emailed password is the one the pool holds: it signs in to the new-password challenge.
    const challenge = await cognito().send(
      new InitiateAuthCommand({
        ClientId: pool().spaClientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: email, PASSWORD: temporaryPassword },
      }),
    );
    expect(challenge.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
  });

  it("a changed email address gets its verification code through the custom email sender", async () => {
    const email = "sender.moving@example.com";
    const moved = "sender.moved@example.com";
    await confirmedUser(email);
    const token = await accessToken(email);
    const before = (await target.invocations()).length;
    await cognito().send(
      new UpdateUserAttributesCommand({
        AccessToken: token,
        UserAttributes: [{ Name: "email", Value: moved }],
      }),
    );
    expect(sources((await target.invocations()).slice(before))).toEqual([
      "CustomEmailSender_UpdateUserAttribute",
    ]);
    const code = await storedCode(target, moved, "AttributeVerificationCode");
    secrets.push(code);
    const mails = await mailsTo(moved);
    expect(mails).toHaveLength(1);
    expect(bodyOf(mails[0])).toContain(code);
    await cognito().send(
      new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: "email", Code: code }),
    );
  });

  it("GetUserAttributeVerificationCode emails a code through the custom email sender", async () => {
    const email = "sender.verify@example.com";
    await confirmedUser(email);
    const token = await accessToken(email);
    const beforeMails = (await mailsTo(email)).length;
    const before = (await target.invocations()).length;
    await cognito().send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: "email" }),
    );
    expect(sources((await target.invocations()).slice(before))).toEqual([
      "CustomEmailSender_VerifyUserAttribute",
    ]);
    const code = await storedCode(target, email, "AttributeVerificationCode");
    secrets.push(code);
    const mails = await mailsTo(email);
    expect(mails).toHaveLength(beforeMails + 1);
    expect(bodyOf(mails.at(-1))).toContain(code);
  });

  it("Custom message is not called and nothing else sends the pool's emails", async () => {
    const invocations = await target.invocations();
    expect(invocations.filter((each) => each.functionName === "CustomMessage")).toEqual([]);
    // Every email is the sender's or Post confirmation's welcome email, never a second copy.
    const senders = new Set((await target.emails()).map((mail) => mail.from));
    expect([...senders].every((from) => from.includes(SENDER) || from.includes("welcome@"))).toBe(true);
    const sent = invocations.filter((each) => each.functionName === "CustomEmailSender");
    const codeMails = (await target.emails()).filter((mail) => mail.from.includes(SENDER));
    expect(codeMails).toHaveLength(sent.length);
  });

  it("the codes never appear in the CLI's output", async () => {
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    const output = cli.output();
    expect(output).toContain("local pool is up");
    expect(output).toContain("KMS (local stand-in)");
    for (const secret of secrets) expect(output).not.toContain(secret);
  });
});

describe("a failing custom email sender", () => {
  it("does not fail SignUp or ResendConfirmationCode: Cognito invokes it asynchronously", async () => {
    // The sender refuses every request when its configuration is invalid (it fails closed).
    const dir = await tempDir();
    const envFile = join(dir, "local.env");
    const env = await readFile(DEFAULT_ENV_FILE, "utf8");
    await writeFile(envFile, env.replace(/^CUSTOM_SENDER_EMAIL_FROM=.*$/m, "CUSTOM_SENDER_EMAIL_FROM="));
    const failing = await startCli(["--env-file", envFile]);
    const { target } = failing;
    const email = "sender.failing@example.com";
    const signedUp = await target.cognito.send(
      new SignUpCommand({
        ClientId: target.description.pool.spaClientId,
        Username: email,
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: email }],
      }),
    );
    expect(signedUp.UserSub).toEqual(expect.any(String));
    const resent = await target.cognito.send(
      new ResendConfirmationCodeCommand({ ClientId: target.description.pool.spaClientId, Username: email }),
    );
    expect(resent.CodeDeliveryDetails?.DeliveryMedium).toBe("EMAIL");

    const sent = (await target.invocations()).filter((each) => each.functionName === "CustomEmailSender");
    expect(sent.map((each) => [each.triggerSource, each.outcome])).toEqual([
      ["CustomEmailSender_SignUp", "error"],
      ["CustomEmailSender_ResendCode", "error"],
    ]);
    expect((await target.emails()).filter((mail) => mail.destination.to.includes(email))).toEqual([]);
    const code = await storedCode(target, email, "ConfirmationCode");
    expect(failing.output()).not.toContain(code);
    await failing.stop();
  });
});

// --- the CLI --------------------------------------------------------------------------------------

interface Cli {
  target: DemoTarget;
  /** Everything the CLI wrote so far, stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

/** `cognito-triggers local --custom-email-sender` on free ports, up and found through its suite.json. */
async function startCli(extra: string[] = []): Promise<Cli> {
  const base = await freeBase();
  const dataDir = await tempDir();
  const child: ChildProcess = spawn(
    process.execPath,
    [BIN, "local", "--custom-email-sender", "--port", String(base), "--data-dir", dataDir, ...extra],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    target?.close();
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
    await exited;
  };
  let target: DemoTarget | undefined;
  const cli: Cli = {
    get target() {
      if (!target) throw new Error("the CLI is not up");
      return target;
    },
    output: () => output,
    stop,
  };
  started.push(cli);
  const deadline = Date.now() + 25_000;
  while (!output.includes("local pool is up")) {
    if (child.exitCode !== null) throw new Error(`the CLI exited before the pool was up: ${output}`);
    if (Date.now() > deadline) throw new Error(`the pool was not up within 25 s: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const description = await findRunningSuite(dataDir);
  if (!description) throw new Error("the running suite wrote no suite.json");
  target = targetFor(description);
  return cli;
}

let nextBase = 26_000 + Math.floor(Math.random() * 600) * 5;

/** A base port n with n..n+4 free, below the ephemeral range. */
async function freeBase(): Promise<number> {
  for (;;) {
    const base = nextBase;
    nextBase += 5;
    if ((await portsInUse(suitePorts(base, { kms: true }))).length === 0) return base;
  }
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "local-sender-"));
  dirs.push(dir);
  return dir;
}

// --- what the pool holds --------------------------------------------------------------------------

function sources(invocations: InvocationRecord[]): (string | undefined)[] {
  return invocations.map((each) => each.triggerSource);
}

/** A field of the user cognito-local keeps with this email (its codes live in .cognito/db/<pool id>.json). */
async function storedCode(
  target: DemoTarget,
  email: string,
  field: "ConfirmationCode" | "AttributeVerificationCode",
): Promise<string> {
  const { cognitoDataDir, pool } = target.description;
  const file = join(cognitoDataDir, ".cognito", "db", `${pool.userPoolId}.json`);
  const db = JSON.parse(await readFile(file, "utf8")) as {
    Users?: Record<string, { Attributes?: { Name: string; Value: string }[] } & Record<string, unknown>>;
  };
  const user = Object.values(db.Users ?? {}).find((each) =>
    each.Attributes?.some((a) => a.Name === "email" && a.Value === email),
  );
  const code = user?.[field];
  if (typeof code !== "string") throw new Error(`no ${field} for ${email}`);
  return code;
}
