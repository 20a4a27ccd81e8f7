/**
 * Decides whether the typed password opens the legacy account, spending the same work whatever the
 * answer: a user the directory does not know, an unusable record, an unusable or too costly hash, and
 * a record refused before its hash may be tried (already migrated, locked) all run the dummy
 * verification, so only a real match is distinguishable, and only by its outcome.
 */
import type { Logger } from "../lib/logger.ts";
import type { CostBound } from "./cost-bound.ts";
import type { DummyVerification } from "./dummy-verification.ts";
import type { LegacyUser } from "./legacy-user.ts";
import { UnusableHashError, verifierFor } from "./verifiers/registry.ts";

export type Lookup =
  | { kind: "found"; user: LegacyUser }
  | { kind: "missing"; reason: "unknown-user" | "invalid-record" };

export type NoMatchReason =
  | "unknown-user"
  | "invalid-record"
  | "no-password-hash"
  | "unsupported-hash"
  | "hash-too-costly"
  | "wrong-password"
  | "already-migrated"
  | "locked";

export type PasswordVerdict = { match: true; scheme: string } | { match: false; reason: NoMatchReason };

export interface PasswordCheck {
  dummy: DummyVerification;
  bound: CostBound;
  log: Logger;
}

/** `refusedBeforeVerification`: the record's own hash must not be tried (it would be an oracle). */
export async function checkPassword(
  lookup: Lookup,
  password: string,
  { dummy, bound, log }: PasswordCheck,
  refusedBeforeVerification?: "already-migrated" | "locked",
): Promise<PasswordVerdict> {
  const instead = async (reason: NoMatchReason): Promise<PasswordVerdict> => {
    await dummy.run(password);
    return { match: false, reason };
  };
  if (lookup.kind === "missing") return instead(lookup.reason);
  if (refusedBeforeVerification) return instead(refusedBeforeVerification);
  const hash = lookup.user.passwordHash;
  if (hash === undefined) return instead("no-password-hash");
  const verdict = bound.judge(hash);
  if (verdict.kind === "unsupported") {
    log.warn("legacy password hash in an unsupported format", { prefix: formatPrefix(hash) });
    return instead("unsupported-hash");
  }
  if (verdict.kind === "unusable") {
    log.warn("legacy password hash unusable", {
      scheme: verdict.error.scheme,
      problem: verdict.error.message,
    });
    return instead("unsupported-hash");
  }
  if (verdict.kind === "too-costly") {
    log.warn("legacy password hash too costly to verify in time", {
      scheme: verdict.scheme,
      estimatedMs: Math.round(verdict.estimatedMs),
    });
    return instead("hash-too-costly");
  }
  const verifier = verifierFor(hash);
  try {
    const match = (await verifier?.verify(password, hash)) === true;
    return match && verifier
      ? { match: true, scheme: verifier.scheme }
      : { match: false, reason: "wrong-password" };
  } catch (error) {
    if (!(error instanceof UnusableHashError)) throw error;
    log.warn("legacy password hash unusable", { scheme: error.scheme, problem: error.message });
    return instead("unsupported-hash");
  }
}

/** The format marker of a hash ("md5$", "$1$"), enough to recognise it in a log line; nothing secret. */
function formatPrefix(hash: string): string {
  return /^\$?[A-Za-z0-9_-]{1,32}\$/.exec(hash)?.[0] ?? "(no $ marker)";
}
