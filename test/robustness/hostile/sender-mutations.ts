/**
 * The custom senders' own hostile input: the encrypted code in every form but a sound one (missing,
 * null, not base64, cut short, altered, under another key, wrapped many times, too large, decrypting to
 * markup), recipients that are not one mailbox or not an E.164 number, and markup, placeholders and
 * hidden characters in what a message shows (names, the user name, the account-takeover details).
 */

import { at, both, DELETE, HUGE, invisibleAt, type Mutation } from "./mutation.ts";
import { PLANTED_CODE, type SenderCodes } from "./planted-codes.ts";

/** A message's bytes with `count` bytes cut from the end, as base64. */
function truncated(code: string, keep: number): string {
  const bytes = Buffer.from(code, "base64");
  return bytes.subarray(0, Math.floor(bytes.length * keep)).toString("base64");
}

/** The message with one byte flipped at `where` (0 to 1: header first, signature last), as base64. */
function flipped(code: string, where: number): string {
  const bytes = Buffer.from(code, "base64");
  const index = Math.min(bytes.length - 1, Math.floor(bytes.length * where));
  bytes[index] = (bytes[index] as number) ^ 0x01;
  return bytes.toString("base64");
}

/** Forms a phone number takes that are not E.164: none may be texted, none is repaired. */
const NOT_E164 = [
  "(206) 555-0142",
  "+1 206 555 0142",
  "12065550142",
  "+012065550142",
  "+1206555014212345",
  "+12065550142\n",
  "+12065550142,+15555550100",
  "+1206555\u200B0142",
  "+１２０６５５５０１４２",
  "tel:+12065550142",
];

export function senderMutations(codes: SenderCodes): Mutation[] {
  return [
    // The code: what Cognito encrypted, in every way it can arrive broken.
    ["code null", at("request.code", null)],
    ["no code", at("request.code", DELETE)],
    ["code empty", at("request.code", "")],
    ["code a number", at("request.code", 482913)],
    ["code an object", at("request.code", { ciphertext: codes.planted })],
    ["code an array", at("request.code", [codes.planted])],
    ["code not base64", at("request.code", "%%% not base64 {####} <b>")],
    ["code base64 of plain text", at("request.code", Buffer.from("482913").toString("base64"))],
    ["code base64 with line breaks", at("request.code", codes.planted.replace(/(.{76})/g, "$1\n"))],
    [
      "code in base64url",
      at("request.code", codes.planted.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")),
    ],
    ["code huge", at("request.code", "A".repeat(1 << 20))],
    ["code huge and not base64", at("request.code", HUGE)],
    ["code cut to its header", at("request.code", truncated(codes.planted, 0.3))],
    ["code without its signature", at("request.code", truncated(codes.planted, 0.85))],
    ["code one byte short", at("request.code", truncated(codes.planted, 0.999))],
    ["code with a byte flipped in the header", at("request.code", flipped(codes.planted, 0.05))],
    ["code with a byte flipped in the wrapped data key", at("request.code", flipped(codes.planted, 0.35))],
    ["code with a byte flipped in the body", at("request.code", flipped(codes.planted, 0.75))],
    ["code with a byte flipped in the signature", at("request.code", flipped(codes.planted, 0.98))],
    ["code under another key", at("request.code", codes.otherKey)],
    ["code with its data key wrapped 20 times", at("request.code", codes.manyDataKeys)],
    ["code of an empty plaintext", at("request.code", codes.empty)],
    ["code of 5,000 bytes", at("request.code", codes.large)],
    ["code that decrypts to markup", at("request.code", codes.markup)],
    ["code in plaintext", at("request.code", PLANTED_CODE.replace(/\D/g, ""))],
    ["type unknown", at("request.type", "customEmailSenderRequestV9")],
    ["type null", at("request.type", null)],
    // The recipient: one mailbox, one E.164 number, the user's own, or nothing is sent.
    ["no email", at("request.userAttributes.email", DELETE)],
    [
      "email with a display name",
      at("request.userAttributes.email", "Alex Morgan <alex.morgan@example.com>"),
    ],
    [
      "email with a line break and a Bcc",
      at("request.userAttributes.email", "alex.morgan@example.com\r\nBcc: x@evil.example"),
    ],
    ["two addresses", at("request.userAttributes.email", "alex.morgan@example.com,x@evil.example")],
    ["email with a quoted local part", at("request.userAttributes.email", '"alex morgan"@example.com')],
    ["email with a non-ASCII local part", at("request.userAttributes.email", "アレックス@example.com")],
    ["email at an internationalised domain", at("request.userAttributes.email", "alex@例え.jp")],
    ["email with a zero-width space", at("request.userAttributes.email", invisibleAt(3, "\u200B"))],
    ["email huge", at("request.userAttributes.email", `${"a".repeat(1 << 16)}@example.com`)],
    ["email an IP literal", at("request.userAttributes.email", "alex@[203.0.113.5]")],
    ["no phone_number", at("request.userAttributes.phone_number", DELETE)],
    ...NOT_E164.map(
      (number): Mutation => [
        `phone_number ${JSON.stringify(number)}`,
        at("request.userAttributes.phone_number", number),
      ],
    ),
    // What the message shows: names, the user name and the locale, with markup and placeholders.
    ["name with HTML", at("request.userAttributes.name", '<img src=x onerror="alert(1)">')],
    ["nickname with a script", at("request.userAttributes.nickname", "<script>alert(1)</script>")],
    [
      "given and family names with placeholders",
      both(
        at("request.userAttributes.given_name", "{####}"),
        at("request.userAttributes.family_name", "{username} {{code}}"),
      ),
    ],
    ["nickname of 10,000 characters", at("request.userAttributes.nickname", "名".repeat(10_000))],
    [
      "nickname with bidi overrides and a line break",
      at("request.userAttributes.nickname", "\u202Eolla\u202C\r\nSubject: x"),
    ],
    ["userName with HTML", at("userName", "<b>admin</b>&amp;")],
    ["userName the code placeholder", at("userName", "{####}")],
    ["userName huge", at("userName", HUGE)],
    ["locale unknown", at("request.userAttributes.locale", "xx-YY")],
    ["locale __proto__", at("request.userAttributes.locale", "__proto__")],
    ["locale huge", at("request.userAttributes.locale", HUGE)],
    // The account-takeover notification's details, which come from the sign-in attempt.
    ["IP_ADDRESS with a script", at("request.userAttributes.IP_ADDRESS", "<script>alert(1)</script>")],
    [
      "ONE_CLICK_LINK_VALID javascript:",
      at("request.userAttributes.ONE_CLICK_LINK_VALID", "javascript:alert(1)"),
    ],
    [
      "ONE_CLICK_LINK_INVALID breaking out of its attribute",
      at("request.userAttributes.ONE_CLICK_LINK_INVALID", 'https://x.example/"><script>alert(1)</script>'),
    ],
    ["ACCOUNT_TAKE_OVER_ACTION unknown", at("request.userAttributes.ACCOUNT_TAKE_OVER_ACTION", "EXFILTRATE")],
    ["DEVICE_NAME huge", at("request.userAttributes.DEVICE_NAME", HUGE)],
    ["LOGIN_TIME with a line break", at("request.userAttributes.LOGIN_TIME", "now\r\nBcc: x@evil.example")],
  ];
}
