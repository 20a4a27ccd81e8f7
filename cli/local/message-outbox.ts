/**
 * The local pool's outbox: every message Cognito would send (sign-up and attribute verification
 * codes, password reset codes, AdminCreateUser invitations) made readable without reading emulator
 * output. The pool proxy hands each message to `deliver`, rendered by the Custom message trigger as
 * the pool would send it (pool-proxy.ts): emails go to the local SES, where they appear in its viewer
 * beside the welcome email; SMS messages are kept in memory and served as JSON and as a small HTML
 * page by `handleRequest`.
 *
 * Nothing here writes a message body or a code to the console.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import { escapeHtml } from "../../triggers/lib/text/html.ts";

export type DeliveryMedium = "EMAIL" | "SMS";

export interface CognitoMessage {
  username: string;
  destination: string;
  deliveryMedium: DeliveryMedium;
  code: string;
  emailSubject?: string;
  emailMessage?: string;
  smsMessage?: string;
  /** The API operation that sent it (SignUp, AdminCreateUser, ...), when known. */
  operation?: string;
}

/** The same shape, as the pool proxy names a message it hands to `deliver`. */
export type OutgoingMessage = CognitoMessage;

export interface SmsRecord {
  id: number;
  /** ISO 8601 time the outbox received it. */
  receivedAt: string;
  to: string;
  username: string;
  code: string;
  message: string;
  operation?: string;
}

/** EMAIL for an address, SMS for an E.164 number; otherwise by the fields a message has. */
export function deliveryMediumOf(
  destination: string,
  fields: { emailMessage?: string; emailSubject?: string; smsMessage?: string } = {},
): DeliveryMedium {
  if (/^[^\s@]+@[^\s@]+$/.test(destination)) return "EMAIL";
  if (/^\+[1-9]\d{1,14}$/.test(destination)) return "SMS";
  return (fields.emailMessage || fields.emailSubject) && !fields.smsMessage ? "EMAIL" : "SMS";
}

export const LOCAL_SENDER = "no-reply@cognito.local";

export interface MessageOutboxOptions {
  /** The local SES (aws-ses-v2-local) endpoint emails go to. */
  sesEndpoint: string;
  /** The sender of every email (default no-reply@cognito.local). */
  from?: string;
  /** Where the handler answers: `<basePath>` (JSON) and `<basePath>.html` (default /local/sms). */
  basePath?: string;
  /** How many SMS messages are kept, oldest dropped first (default 500). */
  maxSms?: number;
  /** Called when an email could not be handed to SES (default: one line on stderr, no body or code). */
  onError?: (error: unknown, message: CognitoMessage) => void;
}

export interface MessageOutbox {
  /** Every SMS message so far, oldest first. */
  readonly smsOutbox: SmsRecord[];
  /** Delivers one message: an email to the local SES, an SMS to the outbox. */
  deliver(message: CognitoMessage): Promise<void>;
  /** Answers GET `<basePath>` (JSON) and `<basePath>.html`; true when it answered. */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean;
  /** Resolves when every delivery started so far has finished. */
  idle(): Promise<void>;
  close(): void;
}

export function createMessageOutbox(options: MessageOutboxOptions): MessageOutbox {
  const from = options.from ?? LOCAL_SENDER;
  const basePath = options.basePath ?? "/local/sms";
  const maxSms = options.maxSms ?? 500;
  const onError =
    options.onError ??
    ((error: unknown, message: CognitoMessage) => {
      const reason = error instanceof Error ? error.name : "error";
      process.stderr.write(
        `message outbox: the ${message.deliveryMedium} message could not be delivered locally (${reason})\n`,
      );
    });
  const ses = new SESClient({
    endpoint: options.sesEndpoint,
    region: "eu-west-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 2,
  });
  const smsOutbox: SmsRecord[] = [];
  const inFlight = new Set<Promise<void>>();
  let nextId = 1;

  const deliver = async (message: CognitoMessage): Promise<void> => {
    if (message.deliveryMedium === "SMS") {
      smsOutbox.push({
        id: nextId++,
        receivedAt: new Date().toISOString(),
        to: message.destination,
        username: message.username,
        code: message.code,
        message: message.smsMessage ?? defaultText(message),
        ...(message.operation ? { operation: message.operation } : {}),
      });
      if (smsOutbox.length > maxSms) smsOutbox.splice(0, smsOutbox.length - maxSms);
      return;
    }
    const body = message.emailMessage ?? defaultText(message);
    const utf8 = (data: string) => ({ Data: data, Charset: "UTF-8" });
    await ses.send(
      new SendEmailCommand({
        Source: from,
        Destination: { ToAddresses: [message.destination] },
        Message: {
          Subject: utf8(message.emailSubject ?? defaultSubject(message)),
          Body: isHtml(body) ? { Html: utf8(body), Text: utf8(htmlToText(body)) } : { Text: utf8(body) },
        },
      }),
    );
  };

  const idle = async () => {
    while (inFlight.size) await Promise.allSettled([...inFlight]);
  };

  const handleRequest = (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = new URL(req.url ?? "/", "http://local").pathname;
    const html = path === `${basePath}.html`;
    if (path !== basePath && !html) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return true;
    }
    const body = html
      ? smsPage(smsOutbox, basePath)
      : `${JSON.stringify({ messages: smsOutbox }, null, 2)}\n`;
    res.writeHead(200, {
      "content-type": html ? "text/html; charset=utf-8" : "application/json; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      ...(html ? { "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'" } : {}),
    });
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  };

  return {
    smsOutbox,
    deliver: async (message) => {
      const delivery = deliver(message).catch((error: unknown) => onError(error, message));
      inFlight.add(delivery);
      try {
        await delivery;
      } finally {
        inFlight.delete(delivery);
      }
    },
    handleRequest,
    idle,
    close: () => ses.destroy(),
  };
}

/** Cognito's default texts, for a message the Custom message trigger did not write. */
function defaultSubject(message: CognitoMessage): string {
  return message.operation === "AdminCreateUser" ? "Your temporary password" : "Your verification code";
}

function defaultText(message: CognitoMessage): string {
  return message.operation === "AdminCreateUser"
    ? `Your username is ${message.username} and temporary password is ${message.code}.`
    : `Your verification code is ${message.code}.`;
}

function isHtml(text: string): boolean {
  return /<(?:!doctype\b|[a-z][a-z0-9]*\b[^>]*>|\/[a-z][a-z0-9]*\s*>)/i.test(text);
}

/** A plain-text rendering of an HTML email, for the text part. */
function htmlToText(html: string): string {
  return html
    .replace(/<(head|style|script|title)\b[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|h[1-6]|li|tr|table)\s*>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => decodeEntity(entity, name))
    .split("\n")
    .map((line) => line.replace(/[ \t\r]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntity(entity: string, name: string): string {
  if (name.startsWith("#")) {
    const code =
      name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  }
  return ENTITIES[name.toLowerCase()] ?? entity;
}

function smsPage(messages: readonly SmsRecord[], basePath: string): string {
  const rows = [...messages]
    .reverse()
    .map(
      (m) =>
        `<tr><td>${escapeHtml(m.receivedAt)}</td><td>${escapeHtml(m.to)}</td><td>${escapeHtml(m.username)}</td>` +
        `<td>${escapeHtml(m.operation ?? "")}</td><td class="code">${escapeHtml(m.code)}</td>` +
        `<td class="message">${escapeHtml(m.message)}</td></tr>`,
    )
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Local SMS outbox</title>
<style>body{font-family:system-ui,sans-serif;margin:24px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}.code{font-family:monospace;font-weight:bold}.message{white-space:pre-wrap}</style></head>
<body>
<h1>Local SMS outbox</h1>
<p>Every SMS the local pool would have sent, newest first (${messages.length}). As JSON: <a href="${escapeHtml(basePath)}">${escapeHtml(basePath)}</a>. Emails are in the local SES viewer.</p>
<table>
<thead><tr><th>Received</th><th>To</th><th>Username</th><th>Operation</th><th>Code</th><th>Message</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="6">No SMS messages yet.</td></tr>'}
</tbody>
</table>
</body>
</html>
`;
}
