/**
 * The senders' messages on random input. Any user attributes (hostile names with markup, braces,
 * Cognito's placeholders, line breaks, bidi overrides and every default-ignorable code point; any
 * locale attribute) and any code or temporary password give an email whose HTML holds only the
 * template's markup and the code escaped, a text part without tags, and a one-line-safe SMS with the
 * code; and, run through the handlers with a real Encryption SDK message, the code never reaches a log
 * line, a metric or an audit record, whether the send succeeds or fails.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encryptAsCognito, KmsStandIn } from "../../cli/kms-stand-in.ts";
import { StandInCodeDecrypter } from "../../cli/replay/offline-services.ts";
import { renderCodeEmail } from "../../triggers/custom-email-sender/code-email.ts";
import { createHandler as createEmailHandler } from "../../triggers/custom-email-sender/trigger.ts";
import { TEMPLATES } from "../../triggers/custom-message/templates/index.ts";
import { renderCodeText } from "../../triggers/custom-sms-sender/code-text.ts";
import { createHandler as createSmsHandler } from "../../triggers/custom-sms-sender/trigger.ts";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import { customMessageSourceFor } from "../../triggers/lib/custom-sender/message-source.ts";
import { displayName } from "../../triggers/lib/text/display-name.ts";
import { resolveLocale } from "../../triggers/lib/text/locale.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { captureStdoutMetrics } from "../support/capture-metrics.ts";
import { defaultIgnorableCharacter } from "../support/default-ignorable.ts";
import { EMAIL_CODE_SOURCES, SMS_SOURCES, senderEvent } from "./support/events.ts";
import { onlyTemplateMarkup } from "./support/html.ts";
import { STAND_IN_KEY_ARN } from "./support/kms.ts";

const hostilePiece = fc.constantFrom(
  "<",
  ">",
  "&",
  '"',
  "'",
  "{####}",
  "{username}",
  "{{code}}",
  "####",
  "\n",
  "\r",
  "\u2028",
  "\u202E",
  "\u2066",
  "\u0007",
  "👩‍👩‍👧‍👦",
  "山",
);
const hostileText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 60 }),
  fc
    .array(fc.oneof(hostilePiece, defaultIgnorableCharacter, fc.string({ maxLength: 5 })), { maxLength: 12 })
    .map((parts) => parts.join("")),
);
const attributes = fc.record(
  {
    nickname: hostileText,
    given_name: hostileText,
    name: hostileText,
    locale: fc.oneof(
      fc.constantFrom("en", "ja", "ja-JP", "fr", "__proto__", ""),
      fc.string({ maxLength: 8 }),
    ),
  },
  { requiredKeys: [] },
);
/** A code or temporary password: printable ASCII, HTML's special characters included. */
const code = fc.stringMatching(/^[!-~]{6,16}$/);
/** A user name as Cognito allows it (no whitespace), hostile characters included. */
const username = fc.oneof(fc.stringMatching(/^[\w.@+<>&"'{}#-]{1,24}$/), fc.constant("taro.yamada"));

const occurrences = (text: string, part: string) => text.split(part).length - 1;
const escapeHtml = (text: string) =>
  text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");

describe("sender messages (properties)", () => {
  it("email: only the template's markup, the code escaped in HTML and as it is in a text part without tags", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EMAIL_CODE_SOURCES),
        attributes,
        code,
        username,
        (source, user, secret, name) => {
          const locale = resolveLocale(user.locale, TEMPLATES, "en");
          const messageSource = customMessageSourceFor(source);
          if (messageSource === undefined) throw new Error(`no template for ${source}`);
          const email = renderCodeEmail({
            source: messageSource,
            locale,
            appName: "Acme Notes",
            name: displayName(user),
            code: secret,
            username: name,
          });
          expect(onlyTemplateMarkup(email.html)).toBe(true);
          // Inserted once; a code that happens to spell words of the template may be found more often.
          expect(occurrences(email.html, escapeHtml(secret))).toBeGreaterThanOrEqual(1);
          expect(occurrences(email.text, secret)).toBeGreaterThanOrEqual(1);
          expect(email.html).not.toContain("{####}");
          // The text part is the HTML's text: no tag left, but for what the code, the user name or the
          // name the greeting shows itself says (a nickname "<p" is written as it is in plain text).
          const shown = displayName(user) ?? "";
          const text = email.text.replaceAll(secret, "").replaceAll(name, "").replaceAll(shown, "");
          expect(text).not.toMatch(/<\/?(?:p|strong|div|html|body|head|title|meta)\b/);
          expect(email.subject).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("SMS: one line of the user's making at most, the code in it, no placeholder left", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SMS_SOURCES),
        attributes,
        code,
        username,
        (source, user, secret, name) => {
          const messageSource = customMessageSourceFor(source);
          if (messageSource === undefined) throw new Error(`no template for ${source}`);
          const text = renderCodeText({
            source: messageSource,
            locale: resolveLocale(user.locale, TEMPLATES, "en"),
            appName: "Acme Notes",
            name: displayName(user),
            code: secret,
            username: name,
          });
          expect(text).toContain(secret);
          expect(text).not.toContain("{####}");
          expect(text).not.toMatch(/[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("through the handlers: the code never reaches a log line, a metric or an audit record", async () => {
    const standIn = new KmsStandIn();
    const codeDecrypter = new StandInCodeDecrypter(standIn);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...EMAIL_CODE_SOURCES, ...SMS_SOURCES),
        attributes,
        fc.stringMatching(/^[A-Za-z0-9!#$%&<>"']{10,16}$/),
        fc.constantFrom("accepted", "refused", "throttled"),
        async (source, user, secret, delivery) => {
          const ciphertext = await encryptAsCognito(secret, { standIn });
          const event = senderEvent(source, { code: ciphertext, attributes: user });
          const fail = async (message: string) => {
            if (delivery === "accepted") return;
            const error = new Error(`echo: ${message}`);
            if (delivery === "throttled") error.name = "Throttling";
            throw error;
          };
          const auditStore = new MemoryAuditStore();
          const env = {
            AWS_LAMBDA_FUNCTION_NAME: "sender",
            APP_NAME: "Acme Notes",
            CUSTOM_SENDER_EMAIL_FROM: "no-reply@mail.example.com",
            CUSTOM_SENDER_KMS_KEY_ARN: STAND_IN_KEY_ARN,
            AUDIT_TABLE_NAME: "audit",
            LOG_LEVEL: "DEBUG",
          };
          const logs = captureLogs();
          const metrics = captureStdoutMetrics();
          try {
            const handler = source.startsWith("CustomEmailSender_")
              ? createEmailHandler(env, {
                  codeDecrypter,
                  auditStore,
                  mailer: { send: (email) => fail(`${email.subject}${email.html}${email.text}`) },
                })
              : createSmsHandler(env, {
                  codeDecrypter,
                  auditStore,
                  textSender: { send: (text) => fail(text.body) },
                });
            const ended = await handler(structuredClone(event)).then(
              () => "",
              (error: Error) => error.message,
            );
            const everything = [
              logs.lines.join("\n"),
              metrics.lines.join(""),
              JSON.stringify([...auditStore.items.values()]),
              ended,
            ];
            for (const text of everything) {
              expect(text).not.toContain(secret);
              expect(text).not.toContain(ciphertext);
            }
            expect(auditStore.items.size).toBe(delivery === "accepted" ? 0 : 1);
            expect(metrics.names()).toEqual([delivery === "accepted" ? "MessagesSent" : "MessagesFailed"]);
          } finally {
            metrics.restore();
            logs.restore();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
