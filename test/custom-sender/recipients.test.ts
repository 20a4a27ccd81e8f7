/**
 * Where the senders' messages go: the user's `email`, when it is plausibly one mailbox SES can send
 * to (an internationalised domain in its punycode form), and the user's `phone_number`, only in E.164.
 * Anything else is not repaired or guessed at: the message is not sent.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emailRecipient } from "../../triggers/custom-email-sender/recipient.ts";
import { phoneRecipient } from "../../triggers/custom-sms-sender/recipient.ts";
import { defaultIgnorableCharacter } from "../support/default-ignorable.ts";

describe("the email recipient", () => {
  it.each([
    ["alex.morgan@example.com", "alex.morgan@example.com"],
    ["  alex@example.com ", "alex@example.com"],
    ["o'brien+notes@mail.example.co.uk", "o'brien+notes@mail.example.co.uk"],
    ["sakura@例え.テスト", "sakura@xn--r8jz45g.xn--zckzah"],
    ["Alex@Example.COM", "Alex@example.com"],
  ])("sends to %s as %s", (email, to) => {
    expect(emailRecipient({ email })).toEqual({ to });
  });

  it.each([[{}], [{ email: "" }], [{ email: "   " }]])("has none for %j", (attributes) => {
    expect(emailRecipient(attributes)).toEqual({ missing: "no-recipient" });
  });

  it.each([
    "alex",
    "alex@",
    "@example.com",
    "alex@localhost",
    "a@b@example.com",
    "alex morgan@example.com",
    '"alex"@example.com',
    "<alex@example.com>",
    "alex@example.com, eve@example.com",
    "alex@example.com\r\nBcc: eve@example.com",
    "アレックス@example.com",
    "alex@exa_mple.com",
    "alex@1.2.3.4",
    `${"a".repeat(65)}@example.com`,
  ])("refuses %j", (email) => {
    expect(emailRecipient({ email })).toEqual({ missing: "recipient-invalid" });
  });

  it("refuses any address with a character that renders as nothing, wherever it is", () => {
    fc.assert(
      fc.property(
        defaultIgnorableCharacter,
        fc.nat({ max: "alex.morgan@example.com".length }),
        (char, at) => {
          const email = `${"alex.morgan@example.com".slice(0, at)}${char}${"alex.morgan@example.com".slice(at)}`;
          expect(emailRecipient({ email })).toEqual({ missing: "recipient-invalid" });
        },
      ),
    );
  });

  it("never gives an address with whitespace, a second @ or a non-ASCII character", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 40 }),
        fc.string({ unit: "binary", maxLength: 40 }),
        (a, b) => {
          const recipient = emailRecipient({ email: `${a}@${b}` });
          if ("to" in recipient) {
            expect(recipient.to).toMatch(/^[!-~]+$/);
            expect(recipient.to.split("@")).toHaveLength(2);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("the phone recipient", () => {
  it.each(["+12065550142", "+819012345678", "+441632960961"])("texts %s", (phone_number) => {
    expect(phoneRecipient({ phone_number })).toEqual({ to: phone_number });
  });

  it("has none without a phone number", () => {
    expect(phoneRecipient({})).toEqual({ missing: "no-recipient" });
  });

  it.each([
    "12065550142",
    "+1 206 555 0142",
    "(206) 555-0142",
    "+0123456789",
    "+1234567890123456",
    "+12065550142\n",
    "＋12065550142",
  ])("does not repair %j", (phone_number) => {
    expect(phoneRecipient({ phone_number })).toEqual({ missing: "recipient-invalid" });
  });
});
