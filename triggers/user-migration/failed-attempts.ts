/**
 * The lock against guessing legacy passwords. Cognito's own lockout does not apply while the user is
 * not in the pool yet, so every guess reaches this trigger. Failed verifications are counted on the
 * legacy record itself; MIGRATION_MAX_FAILED_ATTEMPTS of them within MIGRATION_LOCK_MINUTES lock the
 * login's sign-in migration for MIGRATION_LOCK_MINUTES (even the right password is refused then).
 *
 * DynamoDB's TTL cannot expire a counter (and dynalite has none), so expiry is by comparing times in
 * condition expressions: a window of failures starts at `failuresSince` and is over once that is older
 * than the lock period; the lock is over once `lockedUntil` has passed. Each step below is one
 * conditional UpdateItem (dynamo-legacy-store.ts) whose conditions exclude one another, so concurrent
 * failures are each counted once, the counter never passes the maximum, and nothing is counted on a
 * record that is migrated or locked, or that does not exist (no item is ever created).
 */
import type { LegacyUser } from "./legacy-user.ts";

export interface LockPolicy {
  maxFailures: number;
  lockMs: number;
}

/**
 * open-window: no window, or it is over → failedAttempts = 1 (and the lock, if the maximum is 1);
 * count: a live window below maximum − 1 → failedAttempts + 1;
 * count-and-lock: a live window at maximum − 1 → failedAttempts = maximum and lockedUntil.
 */
export type CountStep = "open-window" | "count" | "count-and-lock";

export function isLocked(user: LegacyUser, nowMs: number): boolean {
  return user.lockedUntil !== undefined && user.lockedUntil > nowMs;
}

/**
 * The steps to try, in order, for a failure on this record as it was read: the one its state calls
 * for first, then the others in case a concurrent failure changed the state meanwhile (each is a
 * conditional write, so at most one applies). A record with nothing to count (none, migrated, locked)
 * still gets one write, bound to fail: every refused sign-in then costs the same one write, so the
 * response time does not tell a known user from an unknown one.
 */
export function countingPlan(user: LegacyUser | undefined, nowMs: number, policy: LockPolicy): CountStep[] {
  if (user === undefined) return ["open-window"];
  if (user.migratedAt !== undefined || isLocked(user, nowMs)) return ["count"];
  const windowLive = user.failuresSince !== undefined && user.failuresSince > nowMs - policy.lockMs;
  if (!windowLive) return ["open-window", "count", "count-and-lock"];
  if ((user.failedAttempts ?? 0) >= policy.maxFailures - 1) return ["count-and-lock", "open-window"];
  return ["count", "count-and-lock", "open-window"];
}
