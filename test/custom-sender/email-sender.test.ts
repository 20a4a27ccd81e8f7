/**
 * The custom email sender end to end, against real things: codes encrypted as Cognito encrypts them
 * (encryptAsCognito) and decrypted by the real Encryption SDK and KMS client through the KMS stand-in
 * over HTTP, mail sent by the real SES client to aws-ses-v2-local (through a fault proxy that fails
 * chosen recipients as SES would), failures recorded in dynalite. Every source is sent, in English and
 * Japanese; every failure is recorded with its reason, and only the ones another attempt can cure fail
 * the invocation (so that Lambda retries it).
 */
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { encryptAsCognito } from "../../cli/kms-stand-in.ts";
import { createHandler } from "../../triggers/custom-email-sender/trigger.ts";
import { ACCOUNT_TAKEOVER_TEMPLATES } from "../../triggers/custom-message/templates/account-takeover/index.ts";
import { TEMPLATES } from "../../triggers/custom-message/templates/index.ts";
import { EncryptionSdkDecrypter } from "../../triggers/lib/custom-sender/encryption-sdk-decrypter.ts";
import { createKmsClient } from "../../triggers/lib/custom-sender/kms-client.ts";
import { customMessageSourceFor } from "../../triggers/lib/custom-sender/message-source.ts";
import { GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import { captureOutputOfEachTest } from "../support/capture-metrics.ts";
import { createAuditTable, type LocalDynamo, startDynalite, useLocalAwsEnv } from "../support/dynalite.ts";
import { type FaultProxy, startFaultProxy } from "../support/fault-proxy.ts";
import { type LocalSes, startSesLocal, useLocalSesEnv } from "../support/ses-local.ts";
import { EMAIL_CODE_SOURCES, senderEvent, senderSample } from "./support/events.ts";
import { blackHole, STAND_IN_KEY_ARN, startKms } from "./support/kms.ts";
import { OTHER_KEY_ARN } from "./support/sample-codes.ts";

const TABLE = "custom-email-sender-audit";
const ENV = {
  APP_NAME: "Acme Notes",
  DEFAULT_LOCALE: "en",
  CUSTOM_SENDER_EMAIL_FROM: "Acme Notes <no-reply@mail.example.com>",
  CUSTOM_SENDER_KMS_KEY_ARN: STAND_IN_KEY_ARN,
  AUDIT_TABLE_NAME: TABLE,
  AWS_LAMBDA_FUNCTION_NAME: "custom-email-sender",
};

let dynamo: LocalDynamo;
let ses: LocalSes;
let proxy: FaultProxy;
let kms: Awaited<ReturnType<typeof startKms>>;
const output = captureOutputOfEachTest();

beforeAll(async () => {
  [dynamo, ses, kms] = await Promise.all([startDynalite(), startSesLocal(), startKms()]);
  proxy = await startFaultProxy({ protocol: "ses", upstream: ses.endpoint });
  useLocalAwsEnv(dynamo.endpoint);
  useLocalSesEnv(proxy.endpoint);
  process.env.AWS_ENDPOINT_URL_KMS = kms.endpoint;
  await createAuditTable(dynamo.client, TABLE);
});
afterAll(async () => {
  await Promise.all([dynamo.stop(), ses.stop(), proxy.stop(), kms.close()]);
});
beforeEach(async () => {
  await ses.clear();
  proxy.rules.length = 0;
  kms.standIn.fault = undefined;
  kms.standIn.operations.length = 0;
});

const encrypt = (plaintext: string, keyArn = STAND_IN_KEY_ARN) =>
  encryptAsCognito(plaintext, { endpoint: kms.endpoint, keyArn });

/** An event of `source` for a user of our own (`sub`), so that tests do not share audit records. */
function userEvent(
  source: string,
  sub: string,
  code: string | null,
  attributes: Record<string, string> = {},
) {
  return senderEvent(source, {
    code,
    attributes: { sub, email: `${sub}@example.com`, ...attributes },
  });
}

const auditItems = async (sub: string) =>
  ((await dynamo.client.send(new ScanCommand({ TableName: TABLE }))).Items ?? [])
    .map((item) => unmarshall(item))
    .filter((item) => item.pk === `USER#${sub}`);

const occurrences = (text: string, part: string) => text.split(part).length - 1;
const escapeHtml = (text: string) =>
  text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");

describe("every message with a code, in English and Japanese", () => {
  const cases = EMAIL_CODE_SOURCES.flatMap((source) =>
    (["en", "ja"] as const).map((locale) => [source, locale] as const),
  );

  it.each(cases)(
    "%s (%s): one email through SES, Custom message's words, the code in its slot",
    async (source, locale) => {
      const code = source === "CustomEmailSender_AdminCreateUser" ? `Tq7&<x9>"Wm'2` : "482913";
      const sub = `${source}-${locale}`.toLowerCase();
      const event = userEvent(source, sub, await encrypt(code), { locale, nickname: "Alex" });
      event.userName = "taro.yamada";
      const handler = createHandler(ENV);

      await expect(handler(structuredClone(event), { awsRequestId: sub })).resolves.toEqual(event);

      const [email, ...others] = await ses.emails();
      expect(others).toEqual([]);
      const template = TEMPLATES[locale].messages[customMessageSourceFor(source) ?? "CustomMessage_SignUp"];
      expect(email).toMatchObject({
        from: "Acme Notes <no-reply@mail.example.com>",
        destination: { to: [`${sub}@example.com`] },
        subject: template.subject.replaceAll("{{appName}}", "Acme Notes"),
      });
      const html = email?.body.html ?? "";
      const text = email?.body.text ?? "";
      expect(html).toContain(`<html lang="${locale}">`);
      expect(html).toContain(locale === "en" ? "<p>Hi Alex,</p>" : "<p>Alex 様</p>");
      // The code exactly once in each part: escaped in HTML, as it is in the text.
      expect(occurrences(html, escapeHtml(code))).toBe(1);
      expect(occurrences(text, code)).toBe(1);
      expect(html).not.toContain("{####}");
      expect(text).not.toContain("{####}");
      if (source === "CustomEmailSender_AdminCreateUser") {
        expect(occurrences(html, "<strong>taro.yamada</strong>")).toBe(1);
        expect(text).toContain("taro.yamada");
        expect(html).not.toContain(code);
      }
      expect(text).toContain(locale === "en" ? "Hi Alex," : "Alex 様");
      expect(text).not.toMatch(/<\/?(?:p|strong|div|html|body|a|br|table|tr|td)\b/);
      expect(output.metrics.names()).toEqual(["MessagesSent"]);
      expect(await auditItems(sub)).toEqual([]);
    },
  );

  it("uses DEFAULT_LOCALE for a user without a locale attribute, and the neutral greeting without a name", async () => {
    const event = userEvent("CustomEmailSender_ForgotPassword", "default-locale", await encrypt("165204"));
    delete event.request.userAttributes.locale;
    delete event.request.userAttributes.nickname;
    await createHandler({ ...ENV, DEFAULT_LOCALE: "ja" })(event);
    const [email] = await ses.emails();
    expect(email?.subject).toBe("【Acme Notes】パスワード再設定コード");
    expect(email?.body.html).toContain("<p>お客様</p>");
  });
});

describe("the account-takeover notification (no code)", () => {
  it.each(["en", "ja"] as const)(
    "%s: sent to the email in the event, with escaped details and both https links",
    async (locale) => {
      const event = senderSample("custom-email-sender/account-takeover-notification-with-email");
      const attributes = event.request.userAttributes;
      attributes.locale = locale;
      attributes.email = `ato-${locale}@example.com`;
      attributes.ONE_CLICK_LINK_INVALID =
        "https://acme-notes.auth.ap-northeast-1.amazoncognito.com/confirm?token=a&b=<c>";
      await expect(createHandler(ENV)(structuredClone(event))).resolves.toEqual(event);

      const [email] = await ses.emails();
      const templates = ACCOUNT_TAKEOVER_TEMPLATES[locale];
      expect(email?.subject).toBe(templates.subject.replaceAll("{{appName}}", "Acme Notes"));
      const html = email?.body.html ?? "";
      expect(html).toContain(escapeHtml("<img src=x onerror=alert(1)> {####}"));
      expect(html).not.toContain("<img");
      expect(html).toContain(`href="${escapeHtml(attributes.ONE_CLICK_LINK_VALID ?? "")}"`);
      expect(html).toContain(
        'href="https://acme-notes.auth.ap-northeast-1.amazoncognito.com/confirm?token=a&amp;b=%3Cc%3E"',
      );
      expect(html).toContain("203.0.113.24");
      expect(html).toContain(templates.actions.challenged);
      expect(email?.body.text).toContain("<img src=x onerror=alert(1)> {####}");
      // Nothing to decrypt: KMS is never asked.
      expect(kms.standIn.decrypts()).toBe(0);
      expect(output.metrics.names()).toEqual(["MessagesSent"]);
    },
  );

  // Without the user's email in the event, the user is looked up in the pool: account-takeover-recipient.test.ts.
});

describe("what is not sent is recorded; only what another attempt can cure is retried", () => {
  /** Runs the handler; "returned" or "retry" (the generic error that makes Lambda try again). */
  async function outcome(event: object, services = {}): Promise<"returned" | "retry"> {
    try {
      const returned = await createHandler(ENV, services)(structuredClone(event), { awsRequestId: "r-1" });
      expect(returned).toEqual(event);
      return "returned";
    } catch (error) {
      expect((error as Error).message).toBe(GENERIC_USER_MESSAGE);
      return "retry";
    }
  }

  async function expectRecorded(sub: string, reason: string) {
    expect((await auditItems(sub)).map((i) => [i.event, i.outcome, i.reason, i.triggerSource])).toEqual([
      ["MESSAGE_SEND_FAILED", "failure", reason, expect.stringMatching(/^CustomEmailSender_/)],
    ]);
    expect(output.metrics.names()).toEqual(["MessagesFailed"]);
    expect(output.logs.parsed().find((l) => l.reason === reason)).toMatchObject({ level: "ERROR" });
  }

  it("a code encrypted under another key: refused, recorded, returned", async () => {
    const event = userEvent("CustomEmailSender_SignUp", "other-key", await encrypt("482913", OTHER_KEY_ARN));
    kms.standIn.operations.length = 0;
    expect(await outcome(event)).toBe("returned");
    expect(await ses.emails()).toEqual([]);
    expect(kms.standIn.decrypts()).toBe(0);
    await expectRecorded("other-key", "code-undecryptable");
  });

  it("a tampered ciphertext: refused, recorded, returned", async () => {
    const ciphertext = Buffer.from(await encrypt("482913"), "base64");
    ciphertext[ciphertext.length - 100] = (ciphertext[ciphertext.length - 100] ?? 0) ^ 0xff;
    const event = userEvent("CustomEmailSender_SignUp", "tampered", ciphertext.toString("base64"));
    expect(await outcome(event)).toBe("returned");
    expect(await ses.emails()).toEqual([]);
    await expectRecorded("tampered", "code-undecryptable");
  });

  it("a null code where a code is required: recorded as code-missing, returned", async () => {
    const event = userEvent("CustomEmailSender_ForgotPassword", "null-code", null);
    expect(await outcome(event)).toBe("returned");
    await expectRecorded("null-code", "code-missing");
  });

  it.each([
    ["no email attribute", { email: "" }, "no-recipient"],
    ["an address with an invisible character", { email: "alex\u200B@example.com" }, "recipient-invalid"],
    ["two addresses", { email: "a@example.com,b@example.com" }, "recipient-invalid"],
  ])("%s: nothing decrypted or sent, recorded, returned", async (_, attributes, reason) => {
    const sub = `recipient-${reason}-${Object.values(attributes)[0]?.length}`;
    const event = userEvent("CustomEmailSender_SignUp", sub, await encrypt("482913"), attributes);
    kms.standIn.operations.length = 0;
    expect(await outcome(event)).toBe("returned");
    expect(kms.standIn.decrypts()).toBe(0);
    expect(await ses.emails()).toEqual([]);
    await expectRecorded(sub, reason);
  });

  it.each([
    ["throttles", "throttled", "send-failed", "retry"],
    ["refuses the sender (AccessDenied)", "access-denied", "send-refused", "returned"],
    ["accepts and never answers", "slow", "send-timeout", "retry"],
  ] as const)("SES that %s: %s, %s", async (_, fault, reason, expected) => {
    const sub = `ses-${fault}`;
    proxy.rules.push({ fault, recipient: `${sub}@example.com` });
    const event = userEvent("CustomEmailSender_SignUp", sub, await encrypt("482913"));
    expect(await outcome(event)).toBe(expected);
    expect(await ses.emails()).toEqual([]);
    await expectRecorded(sub, reason);
  });

  it.each([
    ["throttles", "throttled", "decrypt-failed", "retry"],
    ["fails on its side (5xx)", "internal-error", "decrypt-failed", "retry"],
    ["denies the function's role", "access-denied", "decrypt-refused", "returned"],
  ] as const)("KMS that %s: %s, %s", async (_, fault, reason, expected) => {
    const sub = `kms-${fault}`;
    const event = userEvent("CustomEmailSender_SignUp", sub, await encrypt("482913"));
    kms.standIn.fault = fault;
    expect(await outcome(event)).toBe(expected);
    expect(await ses.emails()).toEqual([]);
    await expectRecorded(sub, reason);
  });

  it("KMS that never answers: decrypt-timeout, retried", async () => {
    const hole = await blackHole();
    const saved = process.env.AWS_ENDPOINT_URL_KMS;
    process.env.AWS_ENDPOINT_URL_KMS = hole.endpoint;
    try {
      const event = userEvent(
        "CustomEmailSender_SignUp",
        "kms-slow",
        await encryptAsCognito("482913", { standIn: kms.standIn }),
      );
      const codeDecrypter = new EncryptionSdkDecrypter(createKmsClient("us-east-1"));
      expect(await outcome(event, { codeDecrypter })).toBe("retry");
    } finally {
      process.env.AWS_ENDPOINT_URL_KMS = saved;
      await hole.stop();
    }
    expect(await ses.emails()).toEqual([]);
    await expectRecorded("kms-slow", "decrypt-timeout");
  });

  it("a template that cannot be rendered: template-failed, returned", async () => {
    const saved = TEMPLATES.en.messages.CustomMessage_SignUp.html;
    TEMPLATES.en.messages.CustomMessage_SignUp.html = "<p>{{greeting}}</p>";
    try {
      const event = userEvent("CustomEmailSender_SignUp", "template-broken", await encrypt("482913"));
      expect(await outcome(event)).toBe("returned");
    } finally {
      TEMPLATES.en.messages.CustomMessage_SignUp.html = saved;
    }
    expect(await ses.emails()).toEqual([]);
    await expectRecorded("template-broken", "template-failed");
  });
});
