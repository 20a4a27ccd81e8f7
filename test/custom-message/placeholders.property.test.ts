/**
 * Cognito's placeholders against the user's name, for any form the request gives them: whatever the
 * codeParameter (`{####}`, `####`, anything) and usernameParameter, and whatever name the user chose
 * (built from those very texts, pieces of them and HTML characters), a rendered message holds each
 * required placeholder exactly once and the name adds none anywhere (SMS, subject, HTML); a message
 * that cannot promise this is not rendered at all (all three fields null: Cognito's own message).
 * And whatever the event's response arrived with, the three fields answered are the trigger's own.
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LOCALES } from "../../triggers/custom-message/templates/index.ts";
import { createHandler } from "../../triggers/custom-message/trigger.ts";
import { TRIGGERS } from "../../triggers/lib/events.ts";
import { captureLogs } from "../support/capture-logs.ts";

type Json = Record<string, unknown>;
type Messages = { smsMessage: unknown; emailMessage: unknown; emailSubject: unknown };

const SOURCES = TRIGGERS["custom-message"].sources;
const FIELDS = ["smsMessage", "emailMessage", "emailSubject"] as const;
const withEmail = createHandler({ APP_NAME: "Acme Notes", CUSTOM_EMAIL: "true" });
const smsOnly = createHandler({ APP_NAME: "Acme Notes", CUSTOM_EMAIL: "false" });

/** Placeholder forms that no template's own words contain: these must always render. */
const PLAIN_CODES = ["{####}", "####", "[[C0DE]]", "%CODE%", "<<code>>"];
const PLAIN_USERNAMES = ["{username}", "[[USER]]", "%USER%", "@@user@@"];

const code = fc.oneof(fc.constantFrom(...PLAIN_CODES), fc.string({ minLength: 1, maxLength: 8 }));
const username = fc.oneof(fc.constantFrom(...PLAIN_USERNAMES), fc.string({ minLength: 1, maxLength: 8 }));

/** A name made to carry the placeholders, pieces of them, and what escaping turns into them. */
const nameFor = (codeText: string, usernameText: string) =>
  fc
    .array(
      fc.oneof(
        fc.constantFrom(
          codeText,
          usernameText,
          codeText.slice(1),
          codeText.slice(0, -1),
          usernameText.slice(1),
          "&",
          "<",
          "amp;",
          "#",
          "{",
          "}",
          " ",
          "Ann",
          "山田",
        ),
        fc.string({ maxLength: 4 }),
      ),
      { minLength: 1, maxLength: 8 },
    )
    .map((parts) => parts.join(""));

const occurrences = (text: string, part: string) => {
  let count = 0;
  for (let at = text.indexOf(part); at !== -1; at = text.indexOf(part, at + 1)) count++;
  return count;
};

function eventOf(options: {
  source: string;
  locale: string;
  code: string;
  username: string;
  nickname?: string;
  response?: unknown;
}): Json {
  const acu = options.source === "CustomMessage_AdminCreateUser";
  const attributes: Json = { sub: "user-1", locale: options.locale };
  if (options.nickname !== undefined) attributes.nickname = options.nickname;
  return JSON.parse(
    JSON.stringify({
      version: "1",
      triggerSource: options.source,
      region: "eu-west-1",
      userPoolId: "eu-west-1_Ab12Cd34E",
      userName: "user-1",
      callerContext: { clientId: "client" },
      request: {
        userAttributes: attributes,
        codeParameter: options.code,
        linkParameter: "{##Click Here##}",
        usernameParameter: acu ? options.username : null,
      },
      response: options.response ?? { smsMessage: null, emailMessage: null, emailSubject: null },
    }),
  ) as Json;
}

const answer = async (handler: typeof withEmail, event: Json) =>
  ((await handler(event)) as { response: Messages & Json }).response;

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

describe("placeholders against names (properties)", () => {
  it("holds each required placeholder exactly once and owes none to the name, for any codeParameter form", async () => {
    const scenario = fc
      .tuple(code, username)
      .filter(([c, u]) => !c.includes(u) && !u.includes(c))
      .chain(([c, u]) =>
        fc.record({
          source: fc.constantFrom(...SOURCES),
          locale: fc.constantFrom(...LOCALES),
          code: fc.constant(c),
          username: fc.constant(u),
          nickname: nameFor(c, u),
        }),
      );
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const named = await answer(withEmail, eventOf(s));
        const nameless = await answer(withEmail, eventOf({ ...s, nickname: undefined }));
        const plain = PLAIN_CODES.includes(s.code) && PLAIN_USERNAMES.includes(s.username);
        const acu = s.source === "CustomMessage_AdminCreateUser";
        // Whether a message renders never depends on the name.
        expect(named.smsMessage === null).toBe(nameless.smsMessage === null);
        if (named.smsMessage === null) {
          // Only an odd codeParameter, one the templates' own words contain, is left to Cognito.
          expect(plain).toBe(false);
          for (const field of FIELDS) expect(named[field]).toBeNull();
          return;
        }
        const placeholders = acu ? [s.code, s.username] : [s.code];
        for (const field of FIELDS) {
          const text = named[field] as string;
          const without = nameless[field] as string;
          for (const placeholder of placeholders) {
            expect(occurrences(text, placeholder), `${field} ${placeholder}`).toBe(
              occurrences(without, placeholder),
            );
          }
          if (field !== "emailSubject") {
            for (const placeholder of placeholders) expect(occurrences(text, placeholder), field).toBe(1);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("answers with its own three fields whatever the response arrived with; with CUSTOM_EMAIL off the email ones are null", async () => {
    const incoming = fc.dictionary(
      fc.oneof(fc.constantFrom(...FIELDS, "__proto__"), fc.string({ maxLength: 8 })),
      fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.constantFrom("Your code is 000000", "<a href=https://evil.example>{####}</a>", "{####}"),
      ),
      { maxKeys: 5 },
    );
    const scenario = fc.record({
      source: fc.constantFrom(...SOURCES),
      locale: fc.constantFrom(...LOCALES),
      code: fc.oneof(fc.constantFrom("{####}"), code),
      username: fc.constantFrom("{username}"),
      nickname: fc.option(fc.constantFrom("Ann", "{####}", "<b>"), { nil: undefined }),
      customEmail: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(scenario, incoming, async (s, response) => {
        const handler = s.customEmail ? withEmail : smsOnly;
        const sent = eventOf({ ...s, response });
        const sentResponse = structuredClone(sent.response) as Json;
        const answered = await answer(handler, sent);
        const clean = await answer(handler, eventOf(s));
        for (const field of FIELDS) {
          expect(Object.hasOwn(answered, field), field).toBe(true);
          expect(answered[field], field).toEqual(clean[field]);
        }
        if (!s.customEmail) {
          expect(answered.emailMessage).toBeNull();
          expect(answered.emailSubject).toBeNull();
        }
        const rest = (r: Json) =>
          Object.fromEntries(
            Object.entries(r).filter(([key]) => !(FIELDS as readonly string[]).includes(key)),
          );
        expect(rest(answered)).toEqual(rest(sentResponse));
      }),
      { numRuns: 300 },
    );
  });
});
