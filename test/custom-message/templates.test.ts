/**
 * Every template, for every triggerSource and locale, rendered through the handler with hostile
 * nicknames and the longest APP_NAME allowed: Cognito's placeholders are present, its limits hold,
 * and nothing the user typed becomes markup.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  EMAIL_MESSAGE_MAX,
  EMAIL_SUBJECT_MAX,
  SMS_MESSAGE_MAX,
} from "../../triggers/custom-message/limits.ts";
import { LOCALES } from "../../triggers/custom-message/templates/index.ts";
import { createHandler } from "../../triggers/custom-message/trigger.ts";
import { APP_NAME_MAX } from "../../triggers/lib/app-name.ts";
import { TRIGGERS } from "../../triggers/lib/events.ts";

const SOURCES = TRIGGERS["custom-message"].sources;
const LONGEST_APP_NAME = 'Acme Notes & <Co> "Enterprise" Edition 日本語版 ✨'.padEnd(APP_NAME_MAX, "x");
const handler = createHandler({ APP_NAME: LONGEST_APP_NAME, DEFAULT_LOCALE: "en", CUSTOM_EMAIL: "true" });

const HOSTILE_NICKNAMES = {
  "an img tag": "<img src=x onerror=alert(1)>",
  "a script breaking out of the paragraph": "</p><script>alert(1)</script><p>",
  "500 characters": "A".repeat(500),
  "500 Japanese characters": "山田太郎".repeat(125),
  "emoji sequences": "👩‍👩‍👧‍👦🎉🏳️‍🌈".repeat(60),
  "Japanese with emoji": "さくら🌸",
  "fake placeholders and breaks": "{####} {username}\n\r\u2028Your code is 000000 \u202Eevil",
  "quotes and ampersands": `"'&amp;<>`,
};

interface Messages {
  smsMessage: string | null;
  emailMessage: string | null;
  emailSubject: string | null;
}

async function render(options: {
  source: string;
  locale: string;
  nickname?: string;
  code?: string;
  username?: string;
}): Promise<Messages> {
  const acu = options.source === "CustomMessage_AdminCreateUser";
  const event = {
    version: "1",
    triggerSource: options.source,
    region: "eu-west-1",
    userPoolId: "eu-west-1_Ab12Cd34E",
    userName: "user-1",
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "client" },
    request: {
      userAttributes: {
        sub: "user-1",
        locale: options.locale,
        ...(options.nickname === undefined ? {} : { nickname: options.nickname }),
      },
      codeParameter: options.code ?? "{####}",
      linkParameter: "{##Click Here##}",
      usernameParameter: acu ? (options.username ?? "{username}") : null,
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  };
  return ((await handler(event)) as { response: Messages }).response;
}

function expectCognitoRules(messages: Messages, source: string, code = "{####}", username = "{username}") {
  const { smsMessage, emailMessage, emailSubject } = messages;
  if (smsMessage === null || emailMessage === null || emailSubject === null) {
    throw new Error("a message was not rendered");
  }
  expect(smsMessage).toContain(code);
  expect(emailMessage).toContain(code);
  if (source === "CustomMessage_AdminCreateUser") {
    expect(smsMessage).toContain(username);
    expect(emailMessage).toContain(username);
  }
  expect(smsMessage.length).toBeLessThanOrEqual(SMS_MESSAGE_MAX);
  expect(emailSubject.length).toBeLessThanOrEqual(EMAIL_SUBJECT_MAX);
  expect(emailMessage.length).toBeLessThanOrEqual(EMAIL_MESSAGE_MAX);
  expect(emailMessage).not.toMatch(/<img|<script|<\/p><script/i);
  expect(smsMessage).not.toMatch(/[\n\r\u2028\u202E]/);
}

describe.each(LOCALES)("locale %s", (locale) => {
  describe.each(SOURCES)("%s", (source) => {
    it.each(Object.entries(HOSTILE_NICKNAMES))("with %s as nickname", async (_, nickname) => {
      expectCognitoRules(await render({ source, locale, nickname }), source);
    });

    it("with no name at all", async () => {
      expectCognitoRules(await render({ source, locale }), source);
    });

    it("with placeholders the request chose, not the usual ones", async () => {
      const messages = await render({
        source,
        locale,
        nickname: "Mei",
        code: "[[C0DE]]",
        username: "[[USER]]",
      });
      expectCognitoRules(messages, source, "[[C0DE]]", "[[USER]]");
      expect(`${messages.smsMessage}${messages.emailMessage}`).not.toContain("{####}");
    });
  });
});

it("escapes the nickname in the email and keeps it plain in the SMS", async () => {
  const messages = await render({
    source: "CustomMessage_SignUp",
    locale: "en",
    nickname: '<b>Tom & "Jerry"</b>',
  });
  expect(messages.emailMessage).toContain("Hi &lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;,");
  expect(messages.smsMessage).toContain('<b>Tom & "Jerry"</b>');
});

it("shortens a long nickname in the SMS rather than breaking the limit", async () => {
  const messages = await render({
    source: "CustomMessage_AdminCreateUser",
    locale: "en",
    nickname: "Bartholomew-Maximilian Fitzgerald",
  });
  expect(messages.smsMessage).toMatch(/^Hi Bart\S*…, you're invited/);
  expect(messages.smsMessage?.length).toBeLessThanOrEqual(SMS_MESSAGE_MAX);
  expect(messages.emailMessage).toContain("Hi Bartholomew-Maximilian Fitzgerald,");
});

/** Markup characters a rendering may contain: only the template's own, whatever the name. */
const markup = (html: string) => [..."<>\"'"].map((c) => html.split(c).length - 1);

it("never lets any nickname add markup, drop a placeholder or break a limit (property)", async () => {
  const hostilePiece = fc.constantFrom(
    "<",
    ">",
    "&",
    '"',
    "'",
    "{",
    "}",
    "{####}",
    "\n",
    "\u202E",
    "👩‍👩‍👧‍👦",
    "山",
    "é",
  );
  const nickname = fc.oneof(
    fc.string({ unit: "binary", maxLength: 600 }),
    fc
      .array(fc.oneof(hostilePiece, fc.string({ maxLength: 8 })), { maxLength: 200 })
      .map((parts) => parts.join("")),
  );
  const baseline = new Map<string, number[]>();
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...LOCALES),
      fc.constantFrom(...SOURCES),
      nickname,
      async (locale, source, name) => {
        const messages = await render({ source, locale, nickname: name });
        expectCognitoRules(messages, source);
        const key = `${locale}/${source}`;
        if (!baseline.has(key))
          baseline.set(key, markup((await render({ source, locale, nickname: "Ann" })).emailMessage ?? ""));
        expect(markup(messages.emailMessage ?? "")).toEqual(baseline.get(key));
      },
    ),
    { numRuns: 300 },
  );
});
