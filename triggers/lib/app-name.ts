/**
 * APP_NAME, the product name in every message. Short enough that every SMS template still fits in
 * 140 characters with it, and without braces or control characters, so that it can never carry
 * (or fake) one of Cognito's placeholders. Custom message and post confirmation share it, so one value is
 * valid for both.
 */
import type { Parser } from "./config.ts";
import { ConfigError } from "./errors.ts";

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
