/**
 * Cognito shows a trigger's error message to the end user ("<Trigger> failed with error <message>.",
 * in managed login too). So only a UserFacingError's message ever leaves a handler; anything else is
 * logged and replaced by GENERIC_USER_MESSAGE. Cognito appends a period to the message, so user-facing
 * messages end without one.
 */
export const GENERIC_USER_MESSAGE = "Something went wrong. Please try again later";

export class UserFacingError extends Error {
  override readonly name = "UserFacingError";
}

/** The event itself is unusable (no request, wrong types). Surfaces as the generic message. */
export class MalformedEventError extends Error {
  override readonly name = "MalformedEventError";
}

/** A configuration key is missing or invalid; the handler refuses every request. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`${key}: ${reason}`);
  }
}
