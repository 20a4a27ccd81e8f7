/**
 * Parsers of this trigger's own keys. APP_NAME follows the same rule as in the custom message trigger
 * (so one value is valid for both); WELCOME_EMAIL_FROM is optional and, when set, must be an address
 * SES accepts as Source: "welcome@mail.example.com" or "Acme Notes <welcome@mail.example.com>", in
 * ASCII (a non-ASCII display name must be written as an RFC 2047 encoded word).
 */
import type { Parser } from "../lib/config.ts";
import { ConfigError } from "../lib/errors.ts";

export const APP_NAME_MAX = 50;

export function appName(): Parser<string> {
  return (raw, key) => {
    const value = raw?.trim() ?? "";
    if (value === "") throw new ConfigError(key, "is required");
    if (value.length > APP_NAME_MAX) throw new ConfigError(key, `must be at most ${APP_NAME_MAX} characters`);
    if (/[{}\p{Cc}]/u.test(value))
      throw new ConfigError(key, "must not contain braces or control characters");
    return value;
  };
}

const ADDRESS = '[^\\s@<>"]+@[^\\s@<>"]+\\.[^\\s@<>"]+';
const SENDER = new RegExp(`^(?:${ADDRESS}|[\\x20-\\x7e]*<${ADDRESS}>)$`);

export function senderAddress(): Parser<string | undefined> {
  return (raw, key) => {
    const value = raw?.trim() ?? "";
    if (value === "") return undefined;
    if (!SENDER.test(value) || /[^\x20-\x7e]/.test(value)) {
      throw new ConfigError(key, 'must be "address@domain" or "Name <address@domain>" in ASCII');
    }
    return value;
  };
}
