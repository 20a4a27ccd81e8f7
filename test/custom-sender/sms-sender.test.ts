/**
 * The custom SMS sender end to end: codes encrypted as Cognito encrypts them, decrypted by the real
 * Encryption SDK and KMS client through the KMS stand-in over HTTP; texts handed to the TextSender port
 * (recorded) for every source in English and Japanese; the SNS sender's own request checked on the
 * wire against a tiny SNS (test/support/sns.ts: there is no local SNS), as the real SNS client sends it;
 * failures recorded in dynalite, and only the ones another attempt can cure retried.
 */
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { encryptAsCognito } from "../../cli/kms-stand-in.ts";
import { RecordingTextSender } from "../../cli/replay/offline-services.ts";
import { TEMPLATES } from "../../triggers/custom-message/templates/index.ts";
import { createHandler } from "../../triggers/custom-sms-sender/trigger.ts";
import { customMessageSourceFor } from "../../triggers/lib/custom-sender/message-source.ts";
import { SnsTextSender } from "../../triggers/lib/custom-sender/sns-text-sender.ts";
import { GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import { captureOutputOfEachTest } from "../support/capture-metrics.ts";
import { createAuditTable, type LocalDynamo, startDynalite, useLocalAwsEnv } from "../support/dynalite.ts";
import { type LocalSns, startSns } from "../support/sns.ts";
import { SMS_SOURCES, senderEvent } from "./support/events.ts";
import { STAND_IN_KEY_ARN, startKms } from "./support/kms.ts";

const TABLE = "custom-sms-sender-audit";
const ENV = {
  APP_NAME: "Acme Notes",
  DEFAULT_LOCALE: "en",
  CUSTOM_SENDER_KMS_KEY_ARN: STAND_IN_KEY_ARN,
  AUDIT_TABLE_NAME: TABLE,
  AWS_LAMBDA_FUNCTION_NAME: "custom-sms-sender",
};

let dynamo: LocalDynamo;
let sns: LocalSns;
let kms: Awaited<ReturnType<typeof startKms>>;
const output = captureOutputOfEachTest();

beforeAll(async () => {
  [dynamo, sns, kms] = await Promise.all([startDynalite(), startSns(), startKms()]);
  useLocalAwsEnv(dynamo.endpoint);
  process.env.AWS_ENDPOINT_URL_KMS = kms.endpoint;
  process.env.AWS_ENDPOINT_URL_SNS = sns.endpoint;
  await createAuditTable(dynamo.client, TABLE);
});
afterAll(async () => {
  await Promise.all([dynamo.stop(), sns.stop(), kms.close()]);
});
beforeEach(() => {
  sns.requests.length = 0;
  sns.fault = undefined;
  kms.standIn.fault = undefined;
});

const encrypt = (plaintext: string) => encryptAsCognito(plaintext, { endpoint: kms.endpoint });

function userEvent(
  source: string,
  sub: string,
  code: string | null,
  attributes: Record<string, string> = {},
) {
  return senderEvent(source, { code, attributes: { sub, ...attributes } });
}

const auditItems = async (sub: string) =>
  ((await dynamo.client.send(new ScanCommand({ TableName: TABLE }))).Items ?? [])
    .map((item) => unmarshall(item))
    .filter((item) => item.pk === `USER#${sub}`);

/** Custom message's SMS template for `source`, filled by hand: what the text must say. */
function expectedText(source: string, locale: "en" | "ja", code: string, username: string): string {
  const templates = TEMPLATES[locale];
  const template = templates.messages[customMessageSourceFor(source) ?? "CustomMessage_SignUp"].sms;
  return template
    .replace("{{greeting}}", templates.greeting.named.replace("{{name}}", "Alex"))
    .replace("{{appName}}", "Acme Notes")
    .replace("{{code}}", code)
    .replace("{{username}}", username);
}

describe("every source, in English and Japanese, through the TextSender port", () => {
  const cases = SMS_SOURCES.flatMap((source) =>
    (["en", "ja"] as const).map((locale) => [source, locale] as const),
  );

  it.each(cases)(
    "%s (%s): one text to the phone number, Custom message's words with the code",
    async (source, locale) => {
      const code = source === "CustomSMSSender_AdminCreateUser" ? "Hk4$mP9!qz" : "302948";
      const sub = `${source}-${locale}`.toLowerCase();
      const event = userEvent(source, sub, await encrypt(code), { locale, nickname: "Alex" });
      event.userName = "taro.yamada";
      const textSender = new RecordingTextSender();

      await expect(createHandler(ENV, { textSender })(structuredClone(event))).resolves.toEqual(event);

      expect(textSender.sent).toEqual([
        { to: "+12065550142", body: expectedText(source, locale, code, "taro.yamada") },
      ]);
      expect(output.metrics.names()).toEqual(["MessagesSent"]);
      expect(await auditItems(sub)).toEqual([]);
    },
  );
});

describe("the SNS sender, on the wire", () => {
  it("publishes to the phone number as a Transactional SMS, the text as the message", async () => {
    const event = userEvent("CustomSMSSender_SignUp", "sns-shape", await encrypt("302948"));
    await createHandler(ENV)(structuredClone(event));
    expect(sns.requests).toHaveLength(1);
    const form = Object.fromEntries(sns.requests[0] ?? []);
    expect(form).toEqual({
      Action: "Publish",
      Version: "2010-03-31",
      PhoneNumber: "+12065550142",
      Message: "Hi Alex, your Acme Notes confirmation code is 302948",
      "MessageAttributes.entry.1.Name": "AWS.SNS.SMS.SMSType",
      "MessageAttributes.entry.1.Value.DataType": "String",
      "MessageAttributes.entry.1.Value.StringValue": "Transactional",
    });
    expect(output.metrics.names()).toEqual(["MessagesSent"]);
  });

  it.each([
    ["throttles (429 Throttled)", "throttled", "send-failed", "retry", 2],
    ["fails on its side (500)", "internal-error", "send-failed", "retry", 2],
    ["refuses the number (InvalidParameter)", "invalid-parameter", "send-refused", "returned", 1],
  ] as const)("SNS that %s: %s, %s", async (_, fault, reason, expected, attempts) => {
    const sub = `sns-${fault}`;
    sns.fault = fault;
    const event = userEvent("CustomSMSSender_Authentication", sub, await encrypt("302948"));
    const run = createHandler(ENV, { textSender: new SnsTextSender() })(structuredClone(event));
    if (expected === "retry") await expect(run).rejects.toThrow(GENERIC_USER_MESSAGE);
    else await expect(run).resolves.toEqual(event);
    // The bounded client retries what SNS itself calls retryable, once.
    expect(sns.requests).toHaveLength(attempts);
    expect((await auditItems(sub)).map((i) => [i.event, i.reason])).toEqual([
      ["MESSAGE_SEND_FAILED", reason],
    ]);
    expect(output.metrics.names()).toEqual(["MessagesFailed"]);
  });
});

describe("what is not sent is recorded", () => {
  it.each([
    ["no phone number", { phone_number: "" }, "no-recipient"],
    ["a number that is not E.164", { phone_number: "(206) 555-0142" }, "recipient-invalid"],
    ["a number with a trailing space", { phone_number: "+12065550142 " }, "recipient-invalid"],
  ])("%s: no KMS call, no text, %s recorded, returned", async (_, attributes, reason) => {
    const sub = `phone-${reason}-${attributes.phone_number.length}`;
    const event = userEvent("CustomSMSSender_SignUp", sub, await encrypt("302948"), attributes);
    kms.standIn.operations.length = 0;
    const textSender = new RecordingTextSender();
    await expect(createHandler(ENV, { textSender })(structuredClone(event))).resolves.toEqual(event);
    expect(textSender.sent).toEqual([]);
    expect(kms.standIn.decrypts()).toBe(0);
    expect((await auditItems(sub)).map((i) => i.reason)).toEqual([reason]);
  });

  it("a null code: code-missing recorded, returned", async () => {
    const event = userEvent("CustomSMSSender_ForgotPassword", "sms-null-code", null);
    const textSender = new RecordingTextSender();
    await expect(createHandler(ENV, { textSender })(structuredClone(event))).resolves.toEqual(event);
    expect(textSender.sent).toEqual([]);
    expect((await auditItems("sms-null-code")).map((i) => i.reason)).toEqual(["code-missing"]);
  });
});
