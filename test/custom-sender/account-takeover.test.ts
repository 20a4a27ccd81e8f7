/**
 * The account-takeover notification's rendering: what threat protection did, the sign-in's details
 * (every one of them possibly the attacker's, made inert and escaped), and the two one-click links,
 * which go into an href only when both are https URLs. Properties: any values and any link strings
 * give HTML whose only markup is the template's and whose only links are https.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderAccountTakeoverEmail } from "../../triggers/custom-email-sender/account-takeover-email.ts";
import { ACCOUNT_TAKEOVER_TEMPLATES } from "../../triggers/custom-message/templates/account-takeover/index.ts";
import { defaultIgnorableCharacter } from "../support/default-ignorable.ts";
import { onlyTemplateMarkup } from "./support/html.ts";

const VALID = "https://acme-notes.auth.ap-northeast-1.amazoncognito.com/confirm?token=valid";
const INVALID = "https://acme-notes.auth.ap-northeast-1.amazoncognito.com/confirm?token=invalid";
const DETAILS = {
  LOGIN_TIME: "Friday, March 19, 2027 02:25 PM UTC",
  IP_ADDRESS: "203.0.113.24",
  CITY: "Springfield",
  COUNTRY: "United States",
  DEVICE_NAME: "Firefox 128, Linux",
  ACCOUNT_TAKE_OVER_ACTION: "BLOCK",
  ONE_CLICK_LINK_VALID: VALID,
  ONE_CLICK_LINK_INVALID: INVALID,
  EVENT_ID: "6f6a4f52",
  USER_NAME: "alex",
  FEEDBACK_TOKEN: "feedback-token",
};

const render = (attributes: Record<string, string>, locale: "en" | "ja" = "en", name?: string) =>
  renderAccountTakeoverEmail({ locale, appName: "Acme Notes", name, attributes });

describe("the account-takeover notification", () => {
  it.each([
    ["BLOCK", "blocked"],
    ["MFA", "challenged"],
    ["MFA_IF_CONFIGURED", "challenged"],
    ["MFA_REQUIRED", "challenged"],
    ["NO_ACTION", "allowed"],
  ] as const)("says what was done for %s", (action, key) => {
    for (const locale of ["en", "ja"] as const) {
      const email = render({ ...DETAILS, ACCOUNT_TAKE_OVER_ACTION: action }, locale);
      const sentence = ACCOUNT_TAKEOVER_TEMPLATES[locale].actions[key];
      expect(email.html).toContain(sentence);
      expect(email.text).toContain(sentence);
    }
  });

  it("claims nothing about an action it does not know", () => {
    const email = render({ ...DETAILS, ACCOUNT_TAKE_OVER_ACTION: "SOMETHING_NEW" });
    for (const sentence of Object.values(ACCOUNT_TAKEOVER_TEMPLATES.en.actions).filter(Boolean)) {
      expect(email.text).not.toContain(sentence);
    }
  });

  it("lists the sign-in's details in both parts, and both links", () => {
    const email = render(DETAILS);
    expect(email.subject).toBe("Unusual sign-in to your Acme Notes account");
    expect(email.text).toContain("Time: Friday, March 19, 2027 02:25 PM UTC");
    expect(email.text).toContain("IP address: 203.0.113.24");
    expect(email.text).toContain("Location: Springfield, United States");
    expect(email.text).toContain("Device: Firefox 128, Linux");
    expect(email.text).toContain(`Yes, this was me: ${VALID}`);
    expect(email.text).toContain(`No, this wasn't me: ${INVALID}`);
    expect(email.html).toContain(`<a href="${VALID}"`);
    expect(email.html).toContain(`<a href="${INVALID}"`);
    expect(email.html).not.toContain("feedback-token");
  });

  it("writes Japanese for ja", () => {
    const email = render(DETAILS, "ja", "さくら");
    expect(email.subject).toBe("【Acme Notes】普段と異なるサインインを検知しました");
    expect(email.html).toContain('<html lang="ja">');
    expect(email.html).toContain("<p>さくら 様</p>");
    expect(email.text).toContain("IP アドレス: 203.0.113.24");
  });

  it("leaves out the details the event does not have, and a location of only a country", () => {
    const { CITY: _c, DEVICE_NAME: _d, ...rest } = DETAILS;
    const email = render({ ...rest, LOGIN_TIME: "  " });
    expect(email.text).not.toContain("Time:");
    expect(email.text).not.toContain("Device:");
    expect(email.text).toContain("Location: United States");
  });

  it.each([
    ["plain http (the token would travel in clear)", "http://acme.example.com/confirm?token=x"],
    ["javascript:", "javascript:alert(document.cookie)"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["credentials in the URL", "https://user:pass@acme.example.com/confirm"],
    ["a relative path", "/confirm?token=x"],
    ["surrounding spaces", ` ${VALID}`],
    ["no URL at all", "click here"],
    ["empty", ""],
  ])("sends without links when one link is %s, and says to change the password", (_, link) => {
    for (const key of ["ONE_CLICK_LINK_VALID", "ONE_CLICK_LINK_INVALID"]) {
      const email = render({ ...DETAILS, [key]: link });
      expect(email.html).not.toContain("<a ");
      expect(email.text).not.toContain("Was this you?");
      expect(email.text).toContain(ACCOUNT_TAKEOVER_TEMPLATES.en.noLinks);
      expect(email.html).toContain(ACCOUNT_TAKEOVER_TEMPLATES.en.noLinks.replace("'", "&#39;"));
    }
  });

  it("makes hostile details inert: markup escaped, line breaks and invisible characters gone, length capped", () => {
    const email = render({
      ...DETAILS,
      DEVICE_NAME: `<script>alert(1)</script>\nBcc: x@evil.example\u202E${"A".repeat(500)}`,
      CITY: '"><img src=x>',
    });
    expect(email.html).not.toContain("<script");
    expect(email.html).not.toContain("<img");
    expect(email.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; Bcc: x@evil.example");
    const device = email.text.split("\n").find((line) => line.startsWith("Device: ")) ?? "";
    expect(device).not.toContain("\u202E");
    expect(device.length).toBeLessThanOrEqual("Device: ".length + 100);
    expect(device.endsWith("…")).toBe(true);
  });
});

const hostilePiece = fc.constantFrom(
  "<",
  ">",
  "&",
  '"',
  "'",
  "{{links}}",
  "{####}",
  "\n",
  "\u2028",
  "\u202E",
  "javascript:",
  "https://",
  "http://",
  "//evil.example",
  "@",
  " ",
);
const hostile = fc
  .array(fc.oneof(hostilePiece, defaultIgnorableCharacter, fc.string({ maxLength: 6 })), { maxLength: 10 })
  .map((parts) => parts.join(""));
const attribute = fc.option(fc.oneof(hostile, fc.string({ unit: "binary", maxLength: 80 })), {
  nil: undefined,
});
const link = fc.oneof(
  attribute,
  fc.webUrl({ validSchemes: ["https", "http"] }),
  hostile.map((h) => `https://a.example/${h}`),
);

describe("the account-takeover notification (properties)", () => {
  it("any details and links: only the template's markup, only https links, in both locales", () => {
    fc.assert(
      fc.property(
        fc.record({
          LOGIN_TIME: attribute,
          IP_ADDRESS: attribute,
          CITY: attribute,
          COUNTRY: attribute,
          DEVICE_NAME: attribute,
          ACCOUNT_TAKE_OVER_ACTION: attribute,
          ONE_CLICK_LINK_VALID: link,
          ONE_CLICK_LINK_INVALID: link,
        }),
        fc.constantFrom("en" as const, "ja" as const),
        (values, locale) => {
          const attributes = Object.fromEntries(
            Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined),
          );
          const email = render(attributes, locale);
          expect(onlyTemplateMarkup(email.html)).toBe(true);
          for (const [, href] of email.html.matchAll(/href="([^"]*)"/g))
            expect(href).toMatch(/^https:\/\/[^\s]+$/);
          expect(email.subject).not.toMatch(/[\n\r\u2028\u2029]/);
          for (const line of email.text.split("\n"))
            expect(line).not.toMatch(/[\p{Cc}\u2028\u2029\u202A-\u202E]/u);
        },
      ),
      { numRuns: 300 },
    );
  });
});
