/**
 * Template rendering on random input, for what the existing tests hold fixed
 * (test/custom-message/templates.test.ts randomises the nickname with the longest APP_NAME): any
 * APP_NAME the configuration accepts, any locale attribute, any name, and the welcome email too.
 * Whatever they are, a rendered message keeps Cognito's placeholders and limits, adds no markup to the
 * HTML (only the template's own), and carries no line break, control or bidi override of the user's
 * or the operator's into an SMS, a subject or a greeting line. Names are cut by segmenting only a
 * prefix of them (a megabyte name would otherwise take minutes): that gives the same graphemes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  EMAIL_MESSAGE_MAX,
  EMAIL_SUBJECT_MAX,
  SMS_MESSAGE_MAX,
} from "../../triggers/custom-message/limits.ts";
import { createHandler } from "../../triggers/custom-message/trigger.ts";
import { appName } from "../../triggers/lib/app-name.ts";
import { TRIGGERS } from "../../triggers/lib/events.ts";
import { displayName } from "../../triggers/lib/text/display-name.ts";
import { graphemes } from "../../triggers/lib/text/graphemes.ts";
import { LOCALES as WELCOME_LOCALES } from "../../triggers/post-confirmation/templates/index.ts";
import { renderWelcome } from "../../triggers/post-confirmation/welcome-email.ts";
import { captureLogs } from "../support/capture-logs.ts";

const SOURCES = TRIGGERS["custom-message"].sources;
/** What must never reach a one-line text: line breaks, controls, bidi and other invisible overrides. */
const UNSAFE_IN_A_LINE = /[\p{Cc}\u2028\u2029\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const markup = (html: string) => [..."<>\"'"].map((c) => html.split(c).length - 1);

const hostilePiece = fc.constantFrom(
  "<",
  ">",
  "&",
  '"',
  "'",
  "{{code}}",
  "{####}",
  "\n",
  "\r",
  "\u2028",
  "\u202E",
  "\u200F",
  "\u2066",
  "\u0007",
  "👩‍👩‍👧‍👦",
  "山",
  "é",
);
const hostileText = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: "binary", maxLength }),
    fc.array(fc.oneof(hostilePiece, fc.string({ maxLength: 6 })), { maxLength: 12 }).map((p) => p.join("")),
  );

/** Every APP_NAME the parser accepts, as it reads it: the property covers the parser's whole range. */
const acceptedAppName = hostileText(60)
  .chain((raw) => {
    try {
      return fc.constant(appName()(raw, "APP_NAME"));
    } catch {
      return fc.constant(undefined);
    }
  })
  .filter((name): name is string => name !== undefined);

const localeAttribute = fc.oneof(
  fc.constantFrom(
    "ja",
    "ja-JP",
    "JA_jp",
    "en",
    "en-US",
    "fr",
    "",
    " ja ",
    "__proto__",
    "constructor",
    "toString",
  ),
  fc.string({ maxLength: 12 }),
);

describe("message templates (properties)", () => {
  it("custom message: any accepted APP_NAME, locale and name keep placeholders, limits and markup", async () => {
    const baselines = new Map<string, number[]>();
    await fc.assert(
      fc.asyncProperty(
        acceptedAppName,
        fc.constantFrom(...SOURCES),
        localeAttribute,
        fc.option(hostileText(300), { nil: undefined }),
        async (app, source, locale, nickname) => {
          const render = async (name: string | undefined, appName: string) => {
            const handler = createHandler({ APP_NAME: appName, CUSTOM_EMAIL: "true" });
            const event = {
              version: "1",
              triggerSource: source,
              region: "eu-west-1",
              userPoolId: "eu-west-1_Ab12Cd34E",
              userName: "user-1",
              callerContext: { clientId: "client" },
              request: {
                userAttributes: Object.fromEntries([
                  ["locale", locale],
                  ...(name === undefined ? [] : [["nickname", name]]),
                ]),
                codeParameter: "{####}",
                usernameParameter: source === "CustomMessage_AdminCreateUser" ? "{username}" : null,
              },
              response: { smsMessage: null, emailMessage: null, emailSubject: null },
            };
            const logs = captureLogs();
            try {
              return ((await handler(event)) as { response: Record<string, string | null> }).response;
            } finally {
              logs.restore();
            }
          };
          const { smsMessage, emailMessage, emailSubject } = await render(nickname, app);
          if (
            typeof smsMessage !== "string" ||
            typeof emailMessage !== "string" ||
            typeof emailSubject !== "string"
          ) {
            throw new Error("not rendered");
          }
          for (const placeholder of source === "CustomMessage_AdminCreateUser"
            ? ["{####}", "{username}"]
            : ["{####}"]) {
            expect(smsMessage).toContain(placeholder);
            expect(emailMessage).toContain(placeholder);
          }
          expect(smsMessage.length).toBeLessThanOrEqual(SMS_MESSAGE_MAX);
          expect(emailSubject.length).toBeLessThanOrEqual(EMAIL_SUBJECT_MAX);
          expect(emailMessage.length).toBeLessThanOrEqual(EMAIL_MESSAGE_MAX);
          expect(smsMessage).not.toMatch(UNSAFE_IN_A_LINE);
          expect(emailSubject).not.toMatch(UNSAFE_IN_A_LINE);
          const key = `${source}|${locale}`;
          if (!baselines.has(key))
            baselines.set(key, markup((await render("Ann", "Acme")).emailMessage ?? ""));
          expect(markup(emailMessage)).toEqual(baselines.get(key));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("welcome email: any accepted APP_NAME and name render without added markup or line breaks", () => {
    fc.assert(
      fc.property(
        acceptedAppName,
        fc.constantFrom(...WELCOME_LOCALES),
        fc.option(hostileText(300), { nil: undefined }),
        (app, locale, nickname) => {
          const name = displayName(nickname === undefined ? {} : { nickname });
          const email = renderWelcome({ locale, appName: app, name });
          const baseline = renderWelcome({ locale, appName: "Acme", name: "Ann" });
          expect(markup(email.html)).toEqual(markup(baseline.html));
          expect(email.subject).not.toMatch(UNSAFE_IN_A_LINE);
          expect(email.text.split("\n")[0]).not.toMatch(UNSAFE_IN_A_LINE);
          expect(email.text.split("\n").length).toBe(baseline.text.split("\n").length);
          if (name !== undefined) expect(email.text).toContain(name);
          // The app name is shown as the operator wrote it, escaped in HTML only.
          expect(email.text).toContain(app);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("reads the first graphemes of a prefix exactly as those of the whole text", () => {
    const cluster = fc.constantFrom(
      "a",
      "é",
      "e\u0301\u0302",
      "👩‍👩‍👧‍👦",
      "🇯🇵",
      "🇯",
      "\r\n",
      "山",
      "\u{1F3F4}\u{E0067}\u{E0062}\u{E007F}",
      "\u0301",
    );
    const text = fc.oneof(
      fc.array(cluster, { maxLength: 400 }).map((parts) => parts.join("")),
      fc.string({ unit: "binary", maxLength: 600 }),
    );
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 60 }), (t, max) => {
        expect(graphemes(t, max)).toEqual(graphemes(t).slice(0, max));
      }),
      { numRuns: 1_000 },
    );
  });
});
