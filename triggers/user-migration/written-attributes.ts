/**
 * The legacy record's attributes user migration writes, and no others: the IAM policy of the function
 * (infra, grantLegacyDirectory) allows UpdateItem to name exactly these and the key, so even a
 * compromised function cannot rewrite a password hash. Every other attribute of the item stays as the
 * importer wrote it.
 * - migratedAt (ISO time), migratedUserName (the Cognito userName that migrated it, exactly as Cognito
 *   sent it): set once, by the first migration; a retry of it is recognised by the userName;
 * - failedAttempts (number), failuresSince and lockedUntil (epoch milliseconds): the lock against
 *   password guessing (failed-attempts.ts), removed by the migration.
 */
export const WRITTEN_ATTRIBUTES = [
  "migratedAt",
  "migratedUserName",
  "failedAttempts",
  "failuresSince",
  "lockedUntil",
] as const;
