import { REDACTED } from "../../triggers/lib/logger.ts";

// Passwords, and the tokens an identity provider's token response carries (inbound federation events).
const SECRET_KEY =
  /^(password|previousPassword|proposedPassword|newPassword|temporaryPassword|access_token|id_token|refresh_token)$/i;

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
