import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RecordingMailer } from "../../cli/replay/offline-services.ts";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import { GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import { displayName } from "../../triggers/lib/text/display-name.ts";
import { LOCALES } from "../../triggers/post-confirmation/templates/index.ts";
import { createHandler } from "../../triggers/post-confirmation/trigger.ts";
import { renderWelcome } from "../../triggers/post-confirmation/welcome-email.ts";
import { captureLogs } from "../support/capture-logs.ts";

const HOSTILE = {
  "an img tag": "<img src=x onerror=alert(1)>",
  "a script": "</p><script>alert(1)</script>",
  "500 characters": "A".repeat(500),
  "500 Japanese characters": "山田太郎".repeat(125),
  "emoji sequences": "👩‍👩‍👧‍👦🎉".repeat(100),
  "a line break and a bidi override": "line\nbreak\u202Ereversed",
};
const graphemeCount = (text: string) => [...new Intl.Segmenter().segment(text)].length;

describe.each(LOCALES)("welcome email (%s)", (locale) => {
  it.each(Object.entries(HOSTILE))(
    "keeps %s inert: escaped in HTML, plain and one line in text, capped",
    (_, nickname) => {
      const name = displayName({ nickname });
      const email = renderWelcome({ locale, appName: 'Acme & "Co"', name });
      expect(email.html).not.toMatch(/<img|<script/);
      expect(email.html).toContain("Acme &amp; &quot;Co&quot;");
      expect(email.text).toContain('Acme & "Co"');
      expect(email.text.split("\n")[0]).toContain(name?.slice(0, 10));
      expect(email.text).not.toMatch(/\u202E/);
      expect(graphemeCount(email.text.split("\n")[0] ?? "")).toBeLessThanOrEqual(45);
    },
  );

  it("falls back to given_name, then name, then a neutral greeting", () => {
    const greetingLine = (attributes: Record<string, string>) =>
      renderWelcome({ locale, appName: "Acme", name: displayName(attributes) }).text.split("\n")[0];
    expect(greetingLine({ nickname: " ", given_name: "Giv", name: "Full" })).toContain("Giv");
    expect(greetingLine({ name: "Full" })).toContain("Full");
    expect(greetingLine({})).toBe(locale === "ja" ? "お客様" : "Hello,");
  });
});

describe("post confirmation configuration", () => {
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.restore());

  const ENV = { APP_NAME: "Acme Notes", AUDIT_TABLE_NAME: "audit" };
  const event = {
    version: "1",
    triggerSource: "PostConfirmation_ConfirmSignUp",
    region: "eu-west-1",
    userPoolId: "eu-west-1_Ab12Cd34E",
    userName: "u-1",
    callerContext: { clientId: "c" },
    request: {
      userAttributes: { sub: "u-1", email: "u-1@example.com", email_verified: "true", locale: "ja" },
    },
    response: {},
  };

  it.each([
    "welcome@mail.example.com",
    "Acme Notes <welcome@mail.example.com>",
    "=?utf-8?B?44Ki44Kv44Of?= <welcome@mail.example.com>",
  ])("accepts WELCOME_EMAIL_FROM %j and sends from it", async (from) => {
    const mailer = new RecordingMailer();
    await createHandler(
      { ...ENV, WELCOME_EMAIL_FROM: from },
      { mailer, auditStore: new MemoryAuditStore() },
    )(event);
    expect(mailer.sent.map((m) => [m.from, m.to])).toEqual([[from, "u-1@example.com"]]);
    expect(mailer.sent[0]?.subject).toBe("【Acme Notes】ご登録ありがとうございます");
  });

  it.each([
    ["WELCOME_EMAIL_FROM", { WELCOME_EMAIL_FROM: "welcome" }],
    ["WELCOME_EMAIL_FROM", { WELCOME_EMAIL_FROM: "アクメ <welcome@mail.example.com>" }],
    ["WELCOME_EMAIL_FROM", { WELCOME_EMAIL_FROM: "a@b@example.com" }],
    ["APP_NAME", { APP_NAME: "" }],
    ["DEFAULT_LOCALE", { DEFAULT_LOCALE: "de" }],
    ["AUDIT_TABLE_NAME", { AUDIT_TABLE_NAME: "" }],
  ])("fails closed on an invalid %s (%j)", async (key, change) => {
    const handler = createHandler({ ...ENV, ...change });
    expect(logs.parsed()).toEqual([expect.objectContaining({ level: "ERROR", key })]);
    await expect(handler(event)).rejects.toThrow(GENERIC_USER_MESSAGE);
  });
});
