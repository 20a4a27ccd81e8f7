import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fitName } from "../../triggers/custom-message/fit.ts";
import { TEMPLATES } from "../../triggers/custom-message/templates/index.ts";
import { createHandler } from "../../triggers/custom-message/trigger.ts";
import { GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import { captureLogs } from "../support/capture-logs.ts";

const ENV = { APP_NAME: "Acme Notes", DEFAULT_LOCALE: "en", CUSTOM_EMAIL: "true" };

type Event = {
  request: Record<string, unknown> & { userAttributes: Record<string, string> };
  response: { smsMessage: string | null; emailMessage: string | null; emailSubject: string | null };
};
const sample = (name: string): Event =>
  JSON.parse(readFileSync(new URL(`../../events/custom-message/${name}.json`, import.meta.url), "utf8"));
const run = async (event: Event, env: Record<string, string> = ENV) =>
  (await createHandler(env)(event)) as Event;

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

describe("custom message: locale and greeting", () => {
  it.each([
    ["ja", "【Acme Notes】"],
    ["ja-JP", "【Acme Notes】"],
    ["JA_jp", "【Acme Notes】"],
    ["en-US", "Hello, your"],
    ["fr-FR", "お客様"],
    ["constructor", "お客様"],
    ["__proto__", "お客様"],
  ])("locale %j (DEFAULT_LOCALE ja)", async (locale, expected) => {
    const event = sample("forgot-password");
    event.request.userAttributes = { locale, nickname: "" };
    const result = await run(event, { ...ENV, DEFAULT_LOCALE: "ja" });
    expect(result.response.smsMessage).toContain(expected);
  });

  it("uses DEFAULT_LOCALE when the user has no locale attribute", async () => {
    const event = sample("update-user-attribute");
    expect((await run(event, { ...ENV, DEFAULT_LOCALE: "ja" })).response.smsMessage).toBe(
      "【Acme Notes】Priya 様 確認コード: {####}",
    );
  });

  it.each([
    [{ nickname: "Neko", given_name: "Giv", name: "Full Name" }, "Hi Neko,"],
    [{ nickname: " \u200B ", given_name: "Giv", name: "Full Name" }, "Hi Giv,"],
    [{ name: "Full Name" }, "Hi Full Name,"],
    [{}, "Hello,"],
  ])("greets by nickname, then given_name, then name, then neutrally: %j", async (attributes, greeting) => {
    const event = sample("forgot-password");
    event.request.userAttributes = { locale: "en", ...attributes };
    const result = await run(event);
    expect(result.response.smsMessage?.startsWith(greeting)).toBe(true);
    expect(result.response.emailMessage).toContain(`<p>${greeting}</p>`);
  });
});

describe("custom message: what Cognito receives", () => {
  it("with CUSTOM_EMAIL=false customises the SMS only and leaves the email fields null", async () => {
    const result = await run(sample("sign-up"), { ...ENV, CUSTOM_EMAIL: "false" });
    expect(result.response).toEqual({
      smsMessage: "【Acme Notes】さくら 様 確認コード: {####}",
      emailMessage: null,
      emailSubject: null,
    });
  });

  it("customises SMS only by default (CUSTOM_EMAIL unset): email content fails on pools without SES", async () => {
    const result = await run(sample("sign-up"), { APP_NAME: "Acme Notes" });
    expect(result.response.emailMessage).toBeNull();
    expect(result.response.smsMessage).toContain("{####}");
  });

  it("sets the email fields to null with CUSTOM_EMAIL=false even when the event carried text in them", async () => {
    const event = sample("sign-up");
    Object.assign(event.response, {
      emailMessage: "<a href=https://evil.example>{####}</a>",
      emailSubject: "Hi",
    });
    const result = await run(event, { ...ENV, CUSTOM_EMAIL: "false" });
    expect(result.response).toEqual({
      smsMessage: "【Acme Notes】さくら 様 確認コード: {####}",
      emailMessage: null,
      emailSubject: null,
    });
  });

  it("leaves everything else in the event as Cognito sent it", async () => {
    const before = sample("admin-create-user");
    const after = await run(sample("admin-create-user"));
    expect({ ...after, response: before.response }).toEqual(before);
  });
});

describe("custom message: a rendering failure never blocks the user", () => {
  const untouched = { smsMessage: null, emailMessage: null, emailSubject: null };

  it.each([
    [
      "a template that lost {{code}}",
      () => (TEMPLATES.en.messages.CustomMessage_ForgotPassword.sms = "Hi {{greeting}}"),
    ],
    [
      "an unknown token",
      () => (TEMPLATES.en.messages.CustomMessage_ForgotPassword.html = "{{greting}} {{code}}"),
    ],
    [
      "an SMS template too long for any name",
      () => (TEMPLATES.en.messages.CustomMessage_ForgotPassword.sms = `{{code}}${"x".repeat(140)}`),
    ],
    ["a broken layout", () => (TEMPLATES.en.layout = "{{content}} {{footer}}")],
  ])("%s: all three fields go back null and the error is logged", async (_, breakTemplate) => {
    const saved = structuredClone(TEMPLATES.en);
    try {
      breakTemplate();
      const event = sample("forgot-password");
      // Whatever the event carried: null is what makes Cognito send its own message.
      Object.assign(event.response, {
        smsMessage: "Your code is 000000",
        emailMessage: "x",
        emailSubject: "y",
      });
      const result = await run(event);
      expect(result.response).toEqual(untouched);
    } finally {
      Object.assign(TEMPLATES.en, saved);
    }
    const error = logs.parsed().find((line) => line.level === "ERROR");
    expect(error).toMatchObject({
      msg: expect.stringContaining("not rendered"),
      triggerSource: "CustomMessage_ForgotPassword",
    });
    // Healthy again once restored.
    expect((await run(sample("forgot-password"))).response.smsMessage).toContain("{####}");
  });

  it("a request without codeParameter is left to Cognito", async () => {
    const event = sample("forgot-password");
    delete event.request.codeParameter;
    expect((await run(event)).response).toEqual(untouched);
  });

  it("AdminCreateUser without usernameParameter is left to Cognito", async () => {
    const event = sample("admin-create-user");
    event.request.usernameParameter = null;
    expect((await run(event)).response).toEqual(untouched);
  });
});

describe("custom message: names never carry Cognito's placeholders", () => {
  it("drops a name that carries the codeParameter's text, whatever form it takes", async () => {
    const event = sample("forgot-password");
    event.request.codeParameter = "####";
    event.request.userAttributes = { locale: "en", nickname: "Ann #### 123456" };
    const result = await run(event);
    expect(result.response.smsMessage).toBe("Hello, your Acme Notes password reset code is ####");
    expect(result.response.emailMessage).toContain("<p>Hello,</p>");
    expect(result.response.emailMessage?.split("####")).toHaveLength(2);
  });

  it("drops a name that carries the usernameParameter's text in an invitation", async () => {
    const event = sample("admin-create-user");
    event.request.usernameParameter = "[[USER]]";
    event.request.userAttributes = { locale: "en", nickname: "[[USER]]" };
    const result = await run(event);
    expect(result.response.smsMessage).toBe(
      "Hello, you're invited to Acme Notes. Username: [[USER]] Temporary password: {####}",
    );
  });

  it("passes over a name only where escaping turns it into the placeholder", async () => {
    const event = sample("forgot-password");
    event.request.codeParameter = "&amp;";
    event.request.userAttributes = { locale: "en", nickname: "&" };
    const result = await run(event);
    expect(result.response.smsMessage).toBe("Hi &, your Acme Notes password reset code is &amp;");
    expect(result.response.emailMessage).toContain("<p>Hello,</p>");
    expect(result.response.emailMessage?.split("&amp;")).toHaveLength(2);
  });

  it("leaves the message to Cognito when the codeParameter is text the template itself contains", async () => {
    const event = sample("forgot-password");
    event.request.codeParameter = "code";
    const result = await run(event);
    expect(result.response).toEqual({ smsMessage: null, emailMessage: null, emailSubject: null });
    expect(logs.parsed().find((line) => line.level === "ERROR")).toMatchObject({
      error: { message: expect.stringContaining("the code placeholder occurs 2 times") },
    });
  });
});

describe("custom message: configuration fails closed", () => {
  it.each([
    ["APP_NAME", { APP_NAME: "" }],
    ["APP_NAME", { APP_NAME: "A".repeat(51) }],
    ["APP_NAME", { APP_NAME: "Acme {####}" }],
    ["DEFAULT_LOCALE", { DEFAULT_LOCALE: "fr" }],
    ["CUSTOM_EMAIL", { CUSTOM_EMAIL: "sometimes" }],
  ])("%s invalid (%j): logged once, every request refused", async (key, change) => {
    const handler = createHandler({ ...ENV, ...change });
    expect(logs.parsed()).toEqual([expect.objectContaining({ level: "ERROR", key })]);
    await expect(handler(sample("sign-up"))).rejects.toThrow(GENERIC_USER_MESSAGE);
  });
});

describe("fitName", () => {
  const render = (name: string | undefined) => `Hello ${name ?? "there"}, code {####}`;

  it("keeps the whole name when it fits", () => {
    expect(fitName(render, "Ann", 40)).toBe("Hello Ann, code {####}");
  });

  it("cuts the name on a grapheme boundary when it does not", () => {
    expect(fitName(render, "Annabelle-👩‍👩‍👧‍👦", 29)).toBe("Hello Annabelle…, code {####}");
    expect(fitName(render, "Ann👩‍👩‍👧‍👦👩‍👩‍👧‍👦", 34)).toBe("Hello Ann👩‍👩‍👧‍👦…, code {####}");
    expect(fitName(render, "Ann👩‍👩‍👧‍👦👩‍👩‍👧‍👦", 33)).toBe("Hello Ann…, code {####}");
  });

  it("drops the name when even a short one does not fit, and gives up when nothing does", () => {
    const terse = (name: string | undefined) => `Hi${name === undefined ? "" : ` ${name}`}, code {####}`;
    expect(fitName(terse, "Annabelle", 17)).toBe("Hi, code {####}");
    expect(fitName(terse, "Annabelle", 14)).toBeUndefined();
  });
});
