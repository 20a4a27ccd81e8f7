/**
 * APP_NAME, the product name in every message. Short enough that every SMS template still fits in
 * 140 characters with it, and without braces or control characters, so that it can never carry
 * (or fake) one of Cognito's placeholders. Custom message and post confirmation share it, so one value is
 * valid for both.
 *
 * Names a user typed are cleaned (text/display-name.ts); the operator's value is refused instead, so
 * that what the configuration says is exactly what users read: no line separator (it would break a
 * one-line SMS or subject) and nothing the suite's invisible-character rule (text/invisible.ts) would
 * remove from a name. Joiners and variation selectors that shape an emoji stay allowed.
 */
import type { Parser } from "./config.ts";
import { ConfigError } from "./errors.ts";
import { withoutInvisibleCharacters } from "./text/invisible.ts";

export const APP_NAME_MAX = 50;

export function appName(): Parser<string> {
  return (raw, key) => {
    const value = raw?.trim() ?? "";
    if (value === "") throw new ConfigError(key, "is required");
    if (value.length > APP_NAME_MAX) throw new ConfigError(key, `must be at most ${APP_NAME_MAX} characters`);
    if (/[{}\p{Cc}]/u.test(value))
      throw new ConfigError(key, "must not contain braces or control characters");
    if (/[\u2028\u2029]/u.test(value)) throw new ConfigError(key, "must not contain line separators");
    // On the value as written: trim() would quietly drop a U+FEFF at either end.
    if (withoutInvisibleCharacters(raw ?? "") !== raw) {
      throw new ConfigError(
        key,
        "must not contain invisible characters (bidi controls, zero-width characters, fillers, tags…); a joiner or variation selector is allowed only right after the character it shapes",
      );
    }
    return value;
  };
}
