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
    if (INVISIBLE.test(value)) {
      throw new ConfigError(
        key,
        "must not contain line separators or invisible formatting (bidi) characters",
      );
    }
    return value;
  };
}

/**
 * Characters that break a one-line SMS or subject, or reorder or hide text around them, as display
 * names are cleaned of them (text/display-name.ts); the zero-width (non-)joiners stay for emoji.
 */
const INVISIBLE =
  /[\u2028\u2029\u00AD\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/u;
