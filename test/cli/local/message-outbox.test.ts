/**
 * The local pool's outbox (cli/local/message-outbox.ts): the messages the pool proxy hands it, emails
 * delivered to the local SES, SMS messages served as JSON and escaped HTML.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfirmSignUpCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createMessageOutbox,
  deliveryMediumOf,
  LOCAL_SENDER,
  type MessageOutbox,
} from "../../../cli/local/message-outbox.ts";
import type { StoredEmail } from "../../../cli/local/ses.ts";
import { type LocalSuite, startLocalSuite } from "../../../cli/local/suite.ts";

/** A plain HTTP server that answers with the outbox, or 404 "not the outbox", as the proxy mounts it. */
async function serve(outbox: MessageOutbox): Promise<Server> {
  const server = createServer((req, res) => {
    if (!outbox.handleRequest(req, res)) res.writeHead(404).end("not the outbox");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

async function get(server: Server, path: string, method = "GET") {
  const { port } = server.address() as AddressInfo;
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method });
  return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
}

describe("the medium of a message", () => {
  it("is EMAIL for an address and SMS for an E.164 number, otherwise by the fields it has", () => {
    expect(deliveryMediumOf("hanako@example.com")).toBe("EMAIL");
    expect(deliveryMediumOf("+819012345678")).toBe("SMS");
    expect(deliveryMediumOf("unknown", { emailMessage: "x" })).toBe("EMAIL");
    expect(deliveryMediumOf("unknown", { smsMessage: "x" })).toBe("SMS");
  });
});

describe("delivery without SES", () => {
  it("reports an email it cannot hand to SES without printing the message or its code", async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const outbox = createMessageOutbox({ sesEndpoint: "http://127.0.0.1:9" });
    try {
      await outbox.deliver({
        username: "u-1",
        destination: "code.only@example.com",
        deliveryMedium: "EMAIL",
        code: "347768",
      });
    } finally {
      spy.mockRestore();
      outbox.close();
    }
    expect(written.join("")).toContain("could not be delivered");
    expect(written.join("")).not.toContain("347768");
  });
});

describe("the outbox on the local suite", () => {
  let dataDir: string;
  let suite: LocalSuite;
  let server: Server;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "message-outbox-"));
    suite = await startLocalSuite({ dataDir, persist: false });
    server = await serve(suite.outbox);
  }, 30_000);

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await suite?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function mailTo(email: string, from: string): Promise<StoredEmail> {
    for (let attempt = 0; attempt < 100; attempt++) {
      await suite.outbox.idle();
      const mail = (await suite.ses.emails()).find(
        (m) => m.destination.to.includes(email) && m.from === from,
      );
      if (mail) return mail;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no email from ${from} to ${email} in the SES store`);
  }

  it("puts a sign-up's code, rendered by the Custom message trigger, in the SES store; the code confirms", async () => {
    const email = "outbox.e2e@example.com";
    await suite.cognito.client.send(
      new SignUpCommand({
        ClientId: suite.cognito.pool.spaClientId,
        Username: email,
        Password: "Hanako-Passw0rd!",
        UserAttributes: [
          { Name: "email", Value: email },
          { Name: "nickname", Value: "<b>はなこ</b>" },
        ],
      }),
    );
    const mail = await mailTo(email, LOCAL_SENDER);
    expect(mail.subject).toBe("Confirm your Acme Notes (local) account");
    expect(mail.body.html).toContain("<p>Hi &lt;b&gt;はなこ&lt;/b&gt;,</p>");
    expect(mail.body.html).not.toContain("{####}");
    const code = /letter-spacing:4px;[^>]*>([^<]+)<\/p>/.exec(mail.body.html ?? "")?.[1] ?? "";
    expect(code).toMatch(/^\d{6}$/);
    expect(mail.body.text).toContain("Hi <b>はなこ</b>,");
    expect(mail.body.text).toContain(code);

    // What a newcomer does: reads the code from the mail and confirms with it.
    await suite.cognito.client.send(
      new ConfirmSignUpCommand({
        ClientId: suite.cognito.pool.spaClientId,
        Username: email,
        ConfirmationCode: code,
      }),
    );
    const welcome = await mailTo(email, "welcome@mail.example.com");
    expect(welcome.body.html).toContain("&lt;b&gt;はなこ&lt;/b&gt;");
  });

  it("serves SMS messages as JSON and as an HTML page with every value escaped", async () => {
    await suite.outbox.deliver({
      username: "b81941c2",
      destination: "+819012345678",
      deliveryMedium: "SMS",
      code: "962536",
      smsMessage: "Your code is 962536 🔑",
      operation: "SignUp",
    });
    await suite.outbox.deliver({
      username: "<i>user</i>",
      destination: "+15555550123",
      deliveryMedium: "SMS",
      code: "123456",
      smsMessage: `Your code is 123456 <script>alert("x")</script> & 'more'`,
      operation: "ResendConfirmationCode",
    });
    await suite.outbox.idle();

    const json = await get(server, "/local/sms");
    expect(json.type).toBe("application/json; charset=utf-8");
    const { messages } = JSON.parse(json.body) as { messages: Record<string, unknown>[] };
    const ours = messages.filter((m) => m.to === "+819012345678" || m.to === "+15555550123");
    expect(ours).toMatchObject([
      { to: "+819012345678", code: "962536", message: "Your code is 962536 🔑", operation: "SignUp" },
      {
        to: "+15555550123",
        username: "<i>user</i>",
        code: "123456",
        message: `Your code is 123456 <script>alert("x")</script> & 'more'`,
        operation: "ResendConfirmationCode",
      },
    ]);

    const html = await get(server, "/local/sms.html");
    expect(html.status).toBe(200);
    expect(html.type).toBe("text/html; charset=utf-8");
    expect(html.body).toContain(
      "Your code is 123456 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;more&#39;",
    );
    expect(html.body).toContain("&lt;i&gt;user&lt;/i&gt;");
    expect(html.body).not.toContain("<script>");
    expect(html.body).not.toContain("<i>user");
    expect(html.body).toContain("Your code is 962536 🔑");
    // Newest first.
    expect(html.body.indexOf("123456")).toBeLessThan(html.body.indexOf("962536"));

    expect((await get(server, "/local/sms", "POST")).status).toBe(405);
    expect(await get(server, "/local/other")).toMatchObject({ status: 404, body: "not the outbox" });
  });
});
