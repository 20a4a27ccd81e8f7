/**
 * CUSTOM_SENDER_EMAIL_FROM: required, and written as post confirmation's WELCOME_EMAIL_FROM is
 * ("address@domain" or "Name <address@domain>", ASCII), checked by the same parser. A value SES would
 * refuse as Source, or one that could smuggle a header, is refused at cold start: the handler then
 * refuses every message (fail closed) instead of failing each send.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { STAND_IN_KEY_ARN } from "../../cli/kms-stand-in.ts";
import { customEmailSenderConfigSpec } from "../../triggers/custom-email-sender/config.ts";
import { createHandler } from "../../triggers/custom-email-sender/trigger.ts";
import { readConfig } from "../../triggers/lib/config.ts";
import { ConfigError, GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import { postConfirmationConfigSpec } from "../../triggers/post-confirmation/config.ts";
import { captureOutputOfEachTest } from "../support/capture-metrics.ts";
import { senderSample } from "./support/events.ts";

const ENV = {
  APP_NAME: "Acme Notes",
  CUSTOM_SENDER_EMAIL_FROM: "no-reply@mail.example.com",
  CUSTOM_SENDER_KMS_KEY_ARN: STAND_IN_KEY_ARN,
  AUDIT_TABLE_NAME: "audit",
};

const parseFrom = (value: string | undefined) =>
  readConfig({ ...ENV, CUSTOM_SENDER_EMAIL_FROM: value }, customEmailSenderConfigSpec)
    .CUSTOM_SENDER_EMAIL_FROM;

function refusal(value: string | undefined): ConfigError {
  try {
    parseFrom(value);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`${JSON.stringify(value)} was accepted`);
}

const output = captureOutputOfEachTest();

describe("CUSTOM_SENDER_EMAIL_FROM", () => {
  it.each([
    ["no-reply@mail.example.com", "no-reply@mail.example.com"],
    ["Acme Notes <no-reply@mail.example.com>", "Acme Notes <no-reply@mail.example.com>"],
    ["  no-reply@mail.example.com  ", "no-reply@mail.example.com"],
    [
      "=?UTF-8?B?44Ki44Kv44Of?= <no-reply@mail.example.com>",
      "=?UTF-8?B?44Ki44Kv44Of?= <no-reply@mail.example.com>",
    ],
  ])("accepts %j", (value, parsed) => {
    expect(parseFrom(value)).toBe(parsed);
  });

  it.each([undefined, "", "   "])("is required: %j", (value) => {
    const error = refusal(value);
    expect(error.key).toBe("CUSTOM_SENDER_EMAIL_FROM");
    expect(error.reason).toContain("is required");
  });

  it.each([
    "no-reply",
    "no-reply@localhost",
    "@mail.example.com",
    "no reply@mail.example.com",
    "no-reply@mail.example.com, other@mail.example.com",
    "no-reply@mail.example.com\r\nBcc: victim@example.com",
    "アクメ <no-reply@mail.example.com>",
    "no-reply@例え.jp",
    "Acme <no-reply@mail.example.com",
    '"Acme" <no-reply@mail.example.com> trailing',
  ])("refuses %j", (value) => {
    const error = refusal(value);
    expect(error.key).toBe("CUSTOM_SENDER_EMAIL_FROM");
    expect(error.reason).toContain('"address@domain" or "Name <address@domain>" in ASCII');
  });

  it("accepts exactly what post confirmation's WELCOME_EMAIL_FROM accepts, when set", () => {
    const welcomeFrom = (value: string) =>
      readConfig({ ...ENV, WELCOME_EMAIL_FROM: value }, postConfirmationConfigSpec).WELCOME_EMAIL_FROM;
    const outcome = (parse: () => unknown) => {
      try {
        return { value: parse() };
      } catch (error) {
        return { refused: (error as ConfigError).reason };
      }
    };
    const piece = fc.constantFrom("a", "@", ".", "<", ">", " ", '"', ",", "\n", "é", "mail", "example.com");
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(piece, { maxLength: 12 }).map((parts) => parts.join("")),
          fc.string({ unit: "binary", maxLength: 40 }),
        ),
        (value) => {
          fc.pre(value.trim() !== "");
          expect(outcome(() => parseFrom(value))).toEqual(outcome(() => welcomeFrom(value)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("never lets a line break, another control character or a non-ASCII character through", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (value) => {
        let parsed: string | undefined;
        try {
          parsed = parseFrom(value);
        } catch {
          return;
        }
        expect(parsed).toMatch(/^[\x20-\x7e]+$/);
      }),
      { numRuns: 1_000 },
    );
  });

  it("an invalid sender fails closed: the handler refuses every message and says which key", async () => {
    const handler = createHandler({
      ...ENV,
      AWS_LAMBDA_FUNCTION_NAME: "custom-email-sender",
      CUSTOM_SENDER_EMAIL_FROM: "no-reply@mail.example.com\nBcc: victim@example.com",
    });
    const event = senderSample("custom-email-sender/account-takeover-notification-with-email");
    await expect(handler(event)).rejects.toThrow(GENERIC_USER_MESSAGE);
    expect(output.logs.parsed()).toContainEqual(
      expect.objectContaining({
        level: "ERROR",
        msg: "configuration invalid: refusing every request",
        key: "CUSTOM_SENDER_EMAIL_FROM",
      }),
    );
    expect(output.metrics.names()).toEqual(["ConfigRefusals"]);
  });
});
