import { REDACTED } from "../../triggers/lib/logger.ts";

const SECRET_KEY = /^(password|previousPassword|proposedPassword|newPassword|temporaryPassword)$/i;

/** A copy of a value with every password-like field masked: what replay prints, never the secret. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      SECRET_KEY.test(key) && v != null ? REDACTED : maskSecrets(v),
    ]),
  );
}
