/**
 * Decides whether the typed password opens the legacy account, spending the same work whatever the
 * answer: a user the directory does not know, an unusable record and an unusable hash all run the
 * dummy verification, so only a real match is distinguishable, and only by its outcome.
 */
import type { Logger } from "../lib/logger.ts";
import type { DummyVerification } from "./dummy-verification.ts";
import type { LegacyUser } from "./legacy-user.ts";
import { UnusableHashError, verifierFor } from "./verifiers/registry.ts";

export type Lookup =
  | { kind: "found"; user: LegacyUser }
  | { kind: "missing"; reason: "unknown-user" | "invalid-record" };

export type PasswordVerdict =
  | { match: true; scheme: string }
  | {
      match: false;
      reason: "unknown-user" | "invalid-record" | "no-password-hash" | "unsupported-hash" | "wrong-password";
    };

export async function checkPassword(
  lookup: Lookup,
  password: string,
  dummy: DummyVerification,
  log: Logger,
): Promise<PasswordVerdict> {
  if (lookup.kind === "missing") {
    await dummy.run(password);
    return { match: false, reason: lookup.reason };
  }
  const hash = lookup.user.passwordHash;
  if (hash === undefined) {
    await dummy.run(password);
    return { match: false, reason: "no-password-hash" };
  }
  const verifier = verifierFor(hash);
  if (!verifier) {
    log.warn("legacy password hash in an unsupported format", { prefix: formatPrefix(hash) });
    await dummy.run(password);
    return { match: false, reason: "unsupported-hash" };
  }
  try {
    const match = await verifier.verify(password, hash);
    dummy.mirror(hash);
    return match ? { match: true, scheme: verifier.scheme } : { match: false, reason: "wrong-password" };
  } catch (error) {
    if (!(error instanceof UnusableHashError)) throw error;
    log.warn("legacy password hash unusable", { scheme: error.scheme, problem: error.message });
    await dummy.run(password);
    return { match: false, reason: "unsupported-hash" };
  }
}

/** The format marker of a hash ("md5$", "$1$"), enough to recognise it in a log line; nothing secret. */
function formatPrefix(hash: string): string {
  return /^\$?[A-Za-z0-9_-]{1,32}\$/.exec(hash)?.[0] ?? "(no $ marker)";
}
