/**
 * The welcome email end to end against real local stand-ins: aws-ses-v2-local for SES and dynalite
 * for the audit table, reached through the standard AWS_ENDPOINT_URL_* variables.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoAuditStore } from "../../triggers/lib/audit/dynamo-store.ts";
import { createDynamoClient } from "../../triggers/lib/aws-clients.ts";
import { createSesClient } from "../../triggers/lib/ses-client.ts";
import { SesMailer } from "../../triggers/lib/ses-mailer.ts";
import { createHandler } from "../../triggers/post-confirmation/trigger.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { createAuditTable, type LocalDynamo, startDynalite, useLocalAwsEnv } from "../support/dynalite.ts";
import { type LocalSes, startSesLocal, useLocalSesEnv } from "../support/ses-local.ts";

const TABLE = "post-confirmation-audit";
const ENV = {
  APP_NAME: "Acme Notes",
  DEFAULT_LOCALE: "en",
  WELCOME_EMAIL_FROM: "Acme Notes <welcome@mail.example.com>",
  AUDIT_TABLE_NAME: TABLE,
};

type Event = { userName: string; request: { userAttributes: Record<string, string> }; response: object };
const sample = (name: string): Event =>
  JSON.parse(readFileSync(new URL(`../../events/post-confirmation/${name}.json`, import.meta.url), "utf8"));
/** A ConfirmSignUp event of a user of our own, so that tests do not share claims. */
const signUp = (sub: string, attributes: Record<string, string> = {}): Event => {
  const event = sample("confirm-sign-up");
  event.userName = sub;
  event.request.userAttributes = {
    ...event.request.userAttributes,
    sub,
    email: `${sub}@example.com`,
    ...attributes,
  };
  return event;
};

let dynamo: LocalDynamo;
let ses: LocalSes;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  [dynamo, ses] = await Promise.all([startDynalite(), startSesLocal()]);
  useLocalAwsEnv(dynamo.endpoint);
  useLocalSesEnv(ses.endpoint);
  await createAuditTable(dynamo.client, TABLE);
});
afterAll(async () => {
  await Promise.all([dynamo.stop(), ses.stop()]);
});
beforeEach(async () => {
  await ses.clear();
  logs = captureLogs();
});
afterEach(() => logs.restore());

const auditItems = async (sub: string) =>
  ((await dynamo.client.send(new ScanCommand({ TableName: TABLE }))).Items ?? [])
    .map((item) => unmarshall(item))
    .filter((item) => item.pk === `USER#${sub}`);

/** Points one SDK endpoint variable elsewhere for the duration of `work`. */
async function withEndpoint<T>(variable: string, endpoint: string, work: () => Promise<T>): Promise<T> {
  const saved = process.env[variable];
  process.env[variable] = endpoint;
  try {
    return await work();
  } finally {
    process.env[variable] = saved;
  }
}

async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

async function blackHole(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("welcome email through SES", () => {
  it("is sent exactly once when Cognito delivers the same ConfirmSignUp three times", async () => {
    const handler = createHandler(ENV);
    const event = sample("confirm-sign-up");
    for (let attempt = 1; attempt <= 3; attempt++) {
      await expect(handler(structuredClone(event), { awsRequestId: `attempt-${attempt}` })).resolves.toEqual(
        event,
      );
    }
    const emails = await ses.emails();
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({
      from: "Acme Notes <welcome@mail.example.com>",
      destination: { to: ["alex.morgan@example.com"] },
      subject: "Welcome to Acme Notes",
    });
    expect(emails[0]?.body.html).toContain("<p>Hi Alex,</p>");
    expect(emails[0]?.body.text).toMatch(/^Hi Alex,\n\nWelcome to Acme Notes!/);

    const items = await auditItems(event.request.userAttributes.sub ?? "");
    expect(items).toEqual([
      expect.objectContaining({
        sk: "ONCE#SIGN_UP_CONFIRMED",
        event: "SIGN_UP_CONFIRMED",
        requestId: "attempt-1",
      }),
    ]);
    expect(
      logs
        .parsed()
        .filter((l) => l.msg === "welcome email skipped: already claimed by an earlier invocation"),
    ).toHaveLength(2);
  });

  it("sends nothing and records nothing for ConfirmForgotPassword", async () => {
    const event = sample("confirm-forgot-password");
    await expect(createHandler(ENV)(structuredClone(event))).resolves.toEqual(event);
    expect(await ses.emails()).toEqual([]);
    expect(await auditItems(event.request.userAttributes.sub ?? "")).toEqual([]);
  });

  it("greets a Japanese user in Japanese, the nickname escaped in HTML and plain in text", async () => {
    const event = signUp("ja-hostile", { locale: "ja-JP", nickname: "<img src=x onerror=alert(1)>さくら" });
    await createHandler(ENV)(event);
    const [email] = await ses.emails();
    expect(email?.subject).toBe("【Acme Notes】ご登録ありがとうございます");
    expect(email?.body.html).toContain("<p>&lt;img src=x onerror=alert(1)&gt;さくら 様</p>");
    expect(email?.body.html).not.toContain("<img");
    expect(email?.body.text?.startsWith("<img src=x onerror=alert(1)>さくら 様\n")).toBe(true);
  });

  it("is not sent to an unverified address, but the confirmation is still recorded", async () => {
    await createHandler(ENV)(signUp("unverified", { email_verified: "false" }));
    expect(await ses.emails()).toEqual([]);
    expect(await auditItems("unverified")).toEqual([expect.objectContaining({ event: "SIGN_UP_CONFIRMED" })]);
  });

  it("is disabled when WELCOME_EMAIL_FROM is unset; the confirmation is still recorded", async () => {
    const { WELCOME_EMAIL_FROM: _, ...withoutSender } = ENV;
    await createHandler(withoutSender)(signUp("no-sender"));
    expect(await ses.emails()).toEqual([]);
    expect(await auditItems("no-sender")).toEqual([expect.objectContaining({ event: "SIGN_UP_CONFIRMED" })]);
  });
});

describe("when something fails, the confirmed user never sees an error", () => {
  it.each([
    [
      "refuses connections",
      async () => ({ endpoint: await closedPort(), stop: async () => {} }),
      "send-failed",
    ],
    ["accepts connections and never answers", blackHole, "send-timeout"],
  ])(
    "SES that %s: the event comes back within 3.5 s, the failure is logged and recorded",
    async (_, start, reason) => {
      const unreachable = await start();
      try {
        await withEndpoint("AWS_ENDPOINT_URL_SES", unreachable.endpoint, async () => {
          const client = createSesClient();
          const handler = createHandler(ENV, { mailer: new SesMailer(client) });
          const event = signUp(`ses-${reason}`);
          const started = performance.now();
          await expect(handler(structuredClone(event))).resolves.toEqual(event);
          expect(performance.now() - started).toBeLessThan(3_500);
          client.destroy();
        });
      } finally {
        await unreachable.stop();
      }
      expect(logs.parsed().find((l) => l.msg === "welcome email not sent")).toMatchObject({ level: "ERROR" });
      const items = await auditItems(`ses-${reason}`);
      expect(items.map((i) => [i.event, i.reason])).toEqual(
        expect.arrayContaining([
          ["SIGN_UP_CONFIRMED", undefined],
          ["WELCOME_EMAIL_FAILED", reason],
        ]),
      );
      expect(items).toHaveLength(2);
    },
  );

  it("DynamoDB and SES both never answering: the event still comes back within 3.5 s, both records logged", async () => {
    const [table, mail] = await Promise.all([blackHole(), blackHole()]);
    try {
      await withEndpoint("AWS_ENDPOINT_URL_DYNAMODB", table.endpoint, () =>
        withEndpoint("AWS_ENDPOINT_URL_SES", mail.endpoint, async () => {
          const client = await createSesClient();
          const handler = createHandler(ENV, {
            auditStore: new DynamoAuditStore(createDynamoClient()),
            mailer: new SesMailer(client),
          });
          const event = signUp("all-down");
          const started = performance.now();
          await expect(handler(structuredClone(event))).resolves.toEqual(event);
          expect(performance.now() - started).toBeLessThan(3_500);
          client.destroy();
        }),
      );
    } finally {
      await Promise.all([table.stop(), mail.stop()]);
    }
    const fallbacks = logs.parsed().filter((l) => l.msg === "audit_fallback");
    expect(fallbacks.map((l) => (l.record as { event: string }).event)).toEqual([
      "SIGN_UP_CONFIRMED",
      "WELCOME_EMAIL_FAILED",
    ]);
  });

  it("sends anyway when the claim cannot be written (at least once while the table is down), logging the record", async () => {
    const auditStore = await withEndpoint("AWS_ENDPOINT_URL_DYNAMODB", await closedPort(), async () => {
      const store = new DynamoAuditStore(createDynamoClient());
      // The client resolves its endpoint when it sends, so the first write happens in here.
      const handler = createHandler(ENV, { auditStore: store });
      const event = signUp("claim-failed");
      await expect(handler(structuredClone(event))).resolves.toEqual(event);
      return store;
    });
    expect(auditStore).toBeDefined();
    expect(await ses.emails()).toEqual([
      expect.objectContaining({ destination: expect.objectContaining({ to: ["claim-failed@example.com"] }) }),
    ]);
    expect(logs.parsed().find((l) => l.msg === "audit_fallback")).toMatchObject({
      record: { event: "SIGN_UP_CONFIRMED", sk: "ONCE#SIGN_UP_CONFIRMED" },
    });
    expect(await auditItems("claim-failed")).toEqual([]);
  });

  it("a template that cannot be rendered is recorded as WELCOME_EMAIL_FAILED, not thrown", async () => {
    const { WELCOME_TEMPLATES } = await import("../../triggers/post-confirmation/templates/index.ts");
    const saved = WELCOME_TEMPLATES.en.subject;
    WELCOME_TEMPLATES.en.subject = "Welcome {{nmae}}";
    try {
      const event = signUp("template-broken");
      await expect(createHandler(ENV)(structuredClone(event))).resolves.toEqual(event);
    } finally {
      WELCOME_TEMPLATES.en.subject = saved;
    }
    expect(await ses.emails()).toEqual([]);
    expect((await auditItems("template-broken")).map((i) => i.reason)).toContain("template-failed");
  });
});
