/**
 * `cognito-triggers local --demo`: a scripted walk through the suite on the local pool, driving the
 * public Cognito API as an app would and showing what each trigger did. It runs again and again on
 * the same data: every claim comes from what this run observed (the Lambda endpoint's invocations
 * after its start, SES mail and audit records since its start), never from what an earlier run left.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { auditCommand } from "../audit/command.ts";
import type { DemoTarget } from "./demo-target.ts";

type Say = (line: string) => void;

interface Step {
  /** The step's title, or its title for the suite it runs on (which optional triggers it attached). */
  title: string | ((suite: DemoTarget) => string);
  run: (suite: DemoTarget, say: Say, state: DemoState) => Promise<void>;
}

interface DemoState {
  email: string;
  password: string;
  sub?: string;
  /** When this run started (epoch ms). */
  startedAt: number;
  /** How many invocations the Lambda endpoint had recorded before this run: later ones are this run's. */
  invocationsBefore: number;
}

const STEPS: Step[] = [
  {
    title: "A sign-up from a domain outside the allow list is refused by Pre sign-up",
    run: async (suite, say) => {
      const error = await signUp(suite, "mallory@evilexample.com", "Mallory-Passw0rd!", "mallory").then(
        () => undefined,
        (e: Error) => e,
      );
      if (!error) throw new Error("the sign-up was accepted");
      say(`refused: ${error.name}: ${error.message}`);
    },
  },
  {
    title: (suite) =>
      sendsOwnEmails(suite)
        ? "An allowed sign-up; the custom email sender writes the confirmation email in the user's language and sends it"
        : "An allowed sign-up; Custom message writes the confirmation email in the user's language",
    run: async (suite, say, state) => {
      const result = await signUp(suite, state.email, state.password, "はなこ");
      state.sub = result.UserSub;
      say(`signed up ${state.email} (sub ${state.sub}), confirmed: ${result.UserConfirmed}`);
      if (sendsOwnEmails(suite)) {
        const sent = (await suite.invocations())
          .slice(state.invocationsBefore)
          .some((i) => i.triggerSource === "CustomEmailSender_SignUp" && i.outcome === "returned");
        if (!sent) throw new Error("the custom email sender did not send the confirmation email");
        const mail = (await suite.emails(Math.floor(state.startedAt / 1000)))
          .filter((m) => m.destination.to.includes(state.email))
          .at(-1);
        if (!mail) throw new Error("no confirmation email in the SES store");
        say(`email subject: ${mail.subject}`);
        say(
          "the code reached the sender encrypted with the local KMS key; it decrypted it and sent the email",
        );
        return;
      }
      const message = (await lastResponse(suite, "CustomMessage", state.invocationsBefore)) as
        | { emailSubject?: string; smsMessage?: string }
        | undefined;
      if (!message) throw new Error("Custom message was not called");
      say(`email subject: ${message.emailSubject}`);
      say(`sms text:      ${message.smsMessage}`);
    },
  },
  {
    title: "Confirmation; Post confirmation sends the welcome email once, through SES",
    run: async (suite, say, state) => {
      const code = await confirmationCode(suite, state.email);
      await suite.cognito.send(
        new ConfirmSignUpCommand({
          ClientId: suite.description.pool.spaClientId,
          Username: state.email,
          ConfirmationCode: code,
        }),
      );
      // This run's mail to the user, less the confirmation message (with the code) the pool may also send.
      const mails = (await suite.emails(Math.floor(state.startedAt / 1000))).filter(
        (m) =>
          m.destination.to.includes(state.email) &&
          !`${m.body.text ?? ""}${m.body.html ?? ""}`.includes(code),
      );
      const mail = mails.at(-1);
      if (!mail) throw new Error("no welcome email in the SES store");
      if (mails.length !== 1) throw new Error(`${mails.length} welcome emails to ${state.email}, not 1`);
      say(`confirmed with code ${code}; one welcome email from ${mail.from}: "${mail.subject}"`);
      say(`read it at ${suite.description.sesEndpoint}`);
    },
  },
  {
    title: "A sign-in; Pre token generation adds claims, Post authentication writes the audit record",
    run: async (suite, say, state) => {
      const idToken = await signIn(suite, state.email, state.password);
      const claims = decodeJwt(idToken);
      say(`ID token claims added by the trigger: app=${claims.app}, display_name=${claims.display_name}`);
      const records = await auditRecordsOf(suite, `USER#${state.sub}`);
      const signIn_ = records.find((r) => r.event === "SIGN_IN");
      if (!signIn_) throw new Error("no SIGN_IN audit record");
      say(`audit: ${records.map((r) => `${r.event}/${r.outcome}`).join(", ")} (client ${signIn_.clientId})`);
    },
  },
  {
    title: "A legacy user (bcrypt hash) signs in; User migration moves them into the pool the first time",
    run: async (suite, say) => {
      const email = "taro@example.com";
      const before = (await suite.invocations()).length;
      const claims = decodeJwt(await signIn(suite, email, "Legacy-Passw0rd!"));
      const migrations = (await suite.invocations())
        .slice(before)
        .filter((i) => i.functionName === "UserMigration");
      const migrated = migrations.some((i) => i.outcome === "returned");
      const legacyId = claims["custom:legacy_id"] ?? "?";
      if (migrated) {
        say(
          `signed in as ${claims.email} (legacy id ${legacyId}): User migration moved the user into the pool`,
        );
      } else {
        say(
          `signed in as ${claims.email} (legacy id ${legacyId}) without User migration: the user was already in the pool (migrated on an earlier run)`,
        );
      }
      const between = (await suite.invocations()).length;
      await signIn(suite, email, "Legacy-Passw0rd!");
      const calledAgain = (await suite.invocations())
        .slice(between)
        .some((i) => i.functionName === "UserMigration");
      if (calledAgain) throw new Error("User migration was called again for a user the pool holds");
      say("next sign-in served by the pool itself: ok (no User migration call)");
    },
  },
  {
    title: "What a security reviewer sees: cognito-triggers audit query, over this run",
    run: async (suite, say, state) => {
      // The audit command reads DynamoDB through the standard endpoint variable, as it would in AWS.
      process.env.AWS_ENDPOINT_URL_DYNAMODB = suite.description.dynamoEndpoint;
      process.env.AWS_REGION ??= "eu-west-1";
      process.env.AWS_ACCESS_KEY_ID ??= "local";
      process.env.AWS_SECRET_ACCESS_KEY ??= "local";
      const table = suite.description.auditTable;
      const since = new Date(state.startedAt).toISOString();
      say(`$ cognito-triggers audit query --table ${table} --since ${since}`);
      const code = await auditCommand(["query", "--table", table, "--since", since, "--limit", "20"]);
      if (code !== 0) throw new Error(`audit query exited ${code}`);
    },
  },
];

export async function runDemo(suite: DemoTarget, say: Say): Promise<number> {
  const startedAt = Date.now();
  const state: DemoState = {
    email: `hanako.${startedAt.toString(36)}@example.com`,
    password: "Hanako-Passw0rd!",
    startedAt,
    invocationsBefore: (await suite.invocations()).length,
  };
  let number = 0;
  for (const step of STEPS) {
    number += 1;
    say(`\n${number}. ${typeof step.title === "string" ? step.title : step.title(suite)}`);
    try {
      await step.run(suite, (line) => say(`   ${line}`), state);
    } catch (error) {
      say(`   FAILED: ${(error as Error).message}`);
      return 1;
    }
  }
  say("\ndemo complete");
  return 0;
}

/** Whether the suite attached the custom email sender, which sends the pool's emails in Custom message's place. */
function sendsOwnEmails(suite: DemoTarget): boolean {
  return suite.description.optIns?.includes("custom-email-sender") ?? false;
}

function signUp(suite: DemoTarget, email: string, password: string, nickname: string) {
  return suite.cognito.send(
    new SignUpCommand({
      ClientId: suite.description.pool.spaClientId,
      Username: email,
      Password: password,
      UserAttributes: [
        { Name: "email", Value: email },
        { Name: "nickname", Value: nickname },
        { Name: "locale", Value: "ja" },
      ],
    }),
  );
}

async function signIn(suite: DemoTarget, email: string, password: string): Promise<string> {
  const result = await suite.cognito.send(
    new InitiateAuthCommand({
      ClientId: suite.description.pool.spaClientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const idToken = result.AuthenticationResult?.IdToken;
  if (!idToken) throw new Error(`no tokens for ${email} (challenge ${result.ChallengeName ?? "none"})`);
  return idToken;
}

export function decodeJwt(token: string): Record<string, unknown> {
  const payload = token.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
}

/** cognito-local keeps users (and so confirmation codes) in .cognito/db/<pool id>.json. */
export async function confirmationCode(suite: DemoTarget, email: string): Promise<string> {
  const file = join(
    suite.description.cognitoDataDir,
    ".cognito",
    "db",
    `${suite.description.pool.userPoolId}.json`,
  );
  const db = JSON.parse(await readFile(file, "utf8")) as {
    Users?: Record<string, { Attributes?: { Name: string; Value: string }[]; ConfirmationCode?: string }>;
  };
  const user = Object.values(db.Users ?? {}).find((u) =>
    u.Attributes?.some((a) => a.Name === "email" && a.Value === email),
  );
  if (!user?.ConfirmationCode) throw new Error(`no confirmation code for ${email}`);
  return user.ConfirmationCode;
}

/** What `functionName` last returned, among the invocations after the first `after` ones. */
export async function lastResponse(suite: DemoTarget, functionName: string, after = 0): Promise<unknown> {
  const invocations = (await suite.invocations()).slice(after);
  return invocations.filter((i) => i.functionName === functionName && i.outcome === "returned").at(-1)
    ?.response;
}

export async function auditRecordsOf(suite: DemoTarget, pk: string): Promise<Record<string, unknown>[]> {
  const page = await suite.dynamo.send(
    new QueryCommand({
      TableName: suite.description.auditTable,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": { S: pk } },
    }),
  );
  return (page.Items ?? []).map((item) => unmarshall(item));
}
