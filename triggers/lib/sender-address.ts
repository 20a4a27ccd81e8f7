/**
 * The address an email is sent from (WELCOME_EMAIL_FROM, CUSTOM_SENDER_EMAIL_FROM), which must be one
 * SES accepts as Source: "welcome@mail.example.com" or "Acme Notes <welcome@mail.example.com>", in
 * ASCII (a non-ASCII display name must be written as an RFC 2047 encoded word). Unset is undefined;
 * whether that is allowed is the key's own rule.
 */
import type { Parser } from "./config.ts";
import { ConfigError } from "./errors.ts";

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
