/**
 * The code (or temporary password) never leaves the message it is sent in: for every source of both
 * senders, whether the message is sent, refused or retried, and even when the service's error echoes
 * the whole message back, neither the plaintext code nor the ciphertext Cognito sent (nor the
 * account-takeover notification's feedback token and one-click links) appears in any log line (at
 * DEBUG), any metric, any audit record (written, or logged whole as audit_fallback) or the error the
 * invocation ends with. Codes are real Encryption SDK messages, decrypted by the real SDK and
 * KMS client through the KMS stand-in over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptAsCognito } from "../../cli/kms-stand-in.ts";
import { createHandler as createEmailHandler } from "../../triggers/custom-email-sender/trigger.ts";
import { createHandler as createSmsHandler } from "../../triggers/custom-sms-sender/trigger.ts";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import type { AuditStore } from "../../triggers/lib/audit/store.ts";
import type { Mailer, OutgoingEmail, OutgoingText, TextSender } from "../../triggers/lib/services.ts";
import { captureOutputOfEachTest } from "../support/capture-metrics.ts";
import { EMAIL_SOURCES, SMS_SOURCES, senderEvent } from "./support/events.ts";
import { STAND_IN_KEY_ARN, startKms } from "./support/kms.ts";

const ENV = {
  APP_NAME: "Acme Notes",
  DEFAULT_LOCALE: "en",
  CUSTOM_SENDER_EMAIL_FROM: "no-reply@mail.example.com",
  CUSTOM_SENDER_KMS_KEY_ARN: STAND_IN_KEY_ARN,
  AUDIT_TABLE_NAME: "audit",
  AWS_LAMBDA_FUNCTION_NAME: "sender",
  LOG_LEVEL: "DEBUG",
};

let kms: Awaited<ReturnType<typeof startKms>>;
const output = captureOutputOfEachTest();

beforeAll(async () => {
  kms = await startKms();
  process.env.AWS_REGION ??= "eu-west-1";
  process.env.AWS_ACCESS_KEY_ID ??= "local";
  process.env.AWS_SECRET_ACCESS_KEY ??= "local";
  process.env.AWS_ENDPOINT_URL_KMS = kms.endpoint;
});
afterAll(async () => {
  await kms.close();
});

/** How the service answers the send. */
type Delivery = "accepted" | "refused, echoing the message" | "throttled, echoing the message";

function serviceError(delivery: Delivery, message: string): Error | undefined {
  if (delivery === "accepted") return undefined;
  const error = new Error(`the service echoed: ${message}`);
  if (delivery === "throttled, echoing the message") error.name = "Throttling";
  return error;
}

class EchoingMailer implements Mailer {
  constructor(private readonly delivery: Delivery) {}
  async send(email: OutgoingEmail): Promise<void> {
    const error = serviceError(this.delivery, `${email.subject} ${email.text} ${email.html}`);
    if (error) throw error;
  }
}

class EchoingTextSender implements TextSender {
  constructor(private readonly delivery: Delivery) {}
  async send(text: OutgoingText): Promise<void> {
    const error = serviceError(this.delivery, text.body);
    if (error) throw error;
  }
}

/** An audit table that is down: every record goes whole to the audit_fallback log line. */
const downStore: AuditStore = {
  put: async () => {
    throw new Error("table unavailable");
  },
};

const DELIVERIES: Delivery[] = ["accepted", "refused, echoing the message", "throttled, echoing the message"];
const cases = [...EMAIL_SOURCES, ...SMS_SOURCES].flatMap((source) =>
  DELIVERIES.flatMap((delivery) => [
    [source, delivery, "written"] as const,
    [source, delivery, "logged as audit_fallback"] as const,
  ]),
);

describe("the code appears nowhere but in the message", () => {
  it.each(cases)("%s, send %s, audit record %s", async (source, delivery, audit) => {
    const code = source.endsWith("_AdminCreateUser") ? "Zq8#vK2!pW" : "739105";
    const ciphertext = await encryptAsCognito(code, { endpoint: kms.endpoint });
    const email = source.startsWith("CustomEmailSender_");
    const ato = source === "CustomEmailSender_AccountTakeOverNotification";
    const link = (verdict: string) => `https://acme.auth.example.com/feedback?token=${code}-${verdict}`;
    const event = senderEvent(source, {
      code: ato ? null : ciphertext,
      attributes: ato
        ? {
            FEEDBACK_TOKEN: ciphertext,
            ONE_CLICK_LINK_VALID: link("valid"),
            ONE_CLICK_LINK_INVALID: link("invalid"),
          }
        : {},
    });
    const auditStore = audit === "written" ? new MemoryAuditStore() : downStore;
    const services = email
      ? { mailer: new EchoingMailer(delivery), auditStore }
      : { textSender: new EchoingTextSender(delivery), auditStore };
    const handler = (email ? createEmailHandler : createSmsHandler)(ENV, services);

    const ended = await handler(structuredClone(event), { awsRequestId: "secrecy" }).then(
      () => "returned",
      (error: Error) => `${error.name}: ${error.message}`,
    );

    const records =
      auditStore instanceof MemoryAuditStore ? JSON.stringify([...auditStore.items.values()]) : "";
    const everything = [output.logs.lines.join("\n"), output.metrics.lines.join("\n"), records, ended];
    for (const text of everything) {
      expect(text).not.toContain(code);
      expect(text).not.toContain(ciphertext);
    }
    // The cases did what they say: a refused or throttled send is logged by its error's name, and recorded.
    if (delivery !== "accepted") {
      const failure = output.logs.parsed().find((line) => line.msg === "message not sent");
      expect(failure?.error).toEqual({ name: delivery.startsWith("throttled") ? "Throttling" : "Error" });
      expect(records + output.logs.lines.join("\n")).toContain("MESSAGE_SEND_FAILED");
    }
    expect(output.logs.lines.length).toBeGreaterThan(0);
    expect(output.metrics.lines.length).toBeGreaterThan(0);
  });
});
