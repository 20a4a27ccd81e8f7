/**
 * User migration: moves a user from the legacy directory (LEGACY_USERS_TABLE_NAME) into the pool the
 * first time they sign in (the legacy password hash must verify) or ask for a password reset (they
 * must have a verified email or phone for the code). Every refusal, whatever its reason, is the same
 * message after the same work, and is audited (MIGRATION_DENIED) and counted (SignInDenied, by
 * reason); each migration marks the legacy record (migratedAt and the userName, once), is audited
 * (MIGRATED) and counted (Migrations). The password is never logged or stored.
 *
 * The defences, in the order a sign-in meets them (docs/tokens-and-migration.md, "User migration"):
 * - the trusted-client IP policy of pre authentication (IP_ALLOWLIST), before anything is read;
 * - a login containing a character that renders as nothing is an unknown user, whatever folding does;
 * - a record already migrated under another userName is never migrated again (already-migrated);
 * - a login locked by failed passwords is refused, even with the right one (locked);
 * - a hash whose parameters together cost too much is not verified (hash-too-costly);
 * - each failed sign-in is counted on the record (failed-attempts.ts).
 */

import { defaultAuditStore } from "../lib/audit/dynamo-store.ts";
import type { AuditEntry } from "../lib/audit/record.ts";
import { AuditTrail } from "../lib/audit/trail.ts";
import type { TriggerHandlerOf } from "../lib/cognito-event-types.ts";
import type { ConfigOf, Env } from "../lib/config.ts";
import { defineTrigger } from "../lib/define-trigger.ts";
import { UserFacingError } from "../lib/errors.ts";
import { signInPolicyFrom } from "../lib/ip/ip-policy-config.ts";
import { decide, type SignInPolicy } from "../lib/ip/sign-in-policy.ts";
import type { Logger } from "../lib/logger.ts";
import { type DenialReason, METRIC } from "../lib/metrics.ts";
import type { Services } from "../lib/services.ts";
import { hasInvisibleCharacters } from "../lib/text/invisible.ts";
import { aliasSignIn } from "./alias-sign-in.ts";
import { CallBudget } from "./call-budget.ts";
import { userMigrationConfigSpec } from "./config.ts";
import { CostBound, cpuShare } from "./cost-bound.ts";
import { DummyVerification, standInHashSetting } from "./dummy-verification.ts";
import { DynamoLegacyUserStore } from "./dynamo-legacy-store.ts";
import { countingPlan, isLocked, type LockPolicy } from "./failed-attempts.ts";
import { LegacyRecordError, type LegacyUser, parseLegacyUser } from "./legacy-user.ts";
import { normaliseLogin } from "./login-name.ts";
import { fromLegacyUserStore, type MigrationDirectory } from "./migration-directory.ts";
import { hasVerifiedContact, migratedAttributes, migrationResponse } from "./migration-response.ts";
import { checkPassword, type Lookup } from "./password-check.ts";

/** Cognito's own words for a failed sign-in, so a refused migration looks like any other. */
export const MIGRATION_REFUSED_MESSAGE = "Incorrect username or password";

/** The reason of a MIGRATION_DENIED record, also the Reason of its SignInDenied metric. */
export type MigrationDenialReason = DenialReason<"SignInDenied">;

/** Services, plus the full legacy directory (tests inject one; Lambda uses DynamoDB). */
export interface MigrationServices extends Services {
  migrationDirectory?: MigrationDirectory;
}

interface PreparedConfig extends ConfigOf<typeof userMigrationConfigSpec> {
  /** Fixed per cold start: LEGACY_STANDIN_HASH or its default, never a record's hash. */
  dummy: DummyVerification;
  bound: CostBound;
  lock: LockPolicy;
  /** Undefined while IP_ALLOWLIST is off. */
  ipPolicy: SignInPolicy | undefined;
}

let dynamoDirectory: MigrationDirectory | undefined;

/** The DynamoDB directory of this execution environment, created on first use and reused while warm. */
function defaultDirectory(): MigrationDirectory {
  dynamoDirectory ??= new DynamoLegacyUserStore();
  return dynamoDirectory;
}

export function createHandler(
  env: Env,
  services: MigrationServices = {},
): TriggerHandlerOf<"user-migration"> {
  // Lambda gives CPU in proportion to memory: the cost bound is this function's own.
  const bound = new CostBound(cpuShare(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE));
  const directoryOf = (): MigrationDirectory =>
    services.migrationDirectory ??
    (services.legacyUsers ? fromLegacyUserStore(services.legacyUsers) : defaultDirectory());
  return defineTrigger({
    trigger: "user-migration",
    config: userMigrationConfigSpec,
    prepare: (values: ConfigOf<typeof userMigrationConfigSpec>): PreparedConfig => ({
      ...values,
      // Checked again at this function's memory size (the spec checks it at one full vCPU).
      dummy: new DummyVerification(standInHashSetting(bound)(env.LEGACY_STANDIN_HASH, "LEGACY_STANDIN_HASH")),
      bound,
      lock: {
        maxFailures: values.MIGRATION_MAX_FAILED_ATTEMPTS,
        lockMs: values.MIGRATION_LOCK_MINUTES * 60_000,
      },
      ipPolicy: signInPolicyFrom(values),
    }),
    handle: async (event, { config, log, metrics, requestId, services }) => {
      const now = services.now ?? (() => new Date());
      const budget = new CallBudget();
      const directory = directoryOf();
      const table = config.LEGACY_USERS_TABLE_NAME;
      const typedName = typeof event.userName === "string" ? event.userName : "";
      const signIn = event.triggerSource === "UserMigration_Authentication";

      const audit = (
        entry: Pick<AuditEntry, "event" | "outcome" | "reason" | "userName" | "email" | "sourceIp">,
      ) =>
        new AuditTrail({
          tableName: config.AUDIT_TABLE_NAME,
          retentionDays: config.AUDIT_RETENTION_DAYS,
          log,
          metrics,
          store: services.auditStore ?? defaultAuditStore(),
          now,
          budgetMs: budget.nextCallMs(),
        }).record({
          ...entry,
          triggerSource: event.triggerSource,
          userPoolId: event.userPoolId,
          clientId: event.callerContext.clientId,
          requestId,
        });

      const refuse = async (
        reason: MigrationDenialReason,
        details: { email?: string; sourceIp?: string } = {},
      ): Promise<never> => {
        log.info("migration refused", { reason, triggerSource: event.triggerSource });
        await audit({
          event: "MIGRATION_DENIED",
          outcome: "denied",
          reason,
          userName: typedName || undefined,
          ...details,
        });
        // Counted with the answer, so that an invocation is never both a denial and an unexpected error.
        metrics.denied(METRIC.SignInDenied, reason);
        throw new UserFacingError(MIGRATION_REFUSED_MESSAGE);
      };

      // A sign-in from an address pre authentication would deny tests no password here either.
      // ForgotPassword carries no validationData (a trusted backend has nowhere to put sourceIp) and
      // tries no password: it is not subject to the list.
      if (signIn && config.ipPolicy) {
        const decision = decide(config.ipPolicy, {
          clientId: event.callerContext.clientId,
          validationData: event.request.validationData,
        });
        if (!decision.allowed) return refuse(decision.reason, { sourceIp: decision.sourceIp });
      }

      const login = normaliseLogin(typedName);
      // Invisible characters: an unknown user, whatever NFKC would make of the name (nothing is read).
      const readable = login !== "" && !hasInvisibleCharacters(typedName) && !hasInvisibleCharacters(login);
      const read = async () =>
        readable
          ? toLookup(await budget.run("legacy directory read", () => directory.get(table, login)), log)
          : undefined;
      const lookup: Lookup = (await read()) ?? { kind: "missing", reason: "unknown-user" };
      const found = lookup.kind === "found" ? lookup.user : undefined;
      const nowMs = now().getTime();
      const migratedElsewhere = found !== undefined && isMigratedElsewhere(found, typedName);

      if (signIn) {
        const password = typeof event.request.password === "string" ? event.request.password : "";
        const verdict = await checkPassword(
          lookup,
          password,
          { dummy: config.dummy, bound: config.bound, log },
          migratedElsewhere ? "already-migrated" : found && isLocked(found, nowMs) ? "locked" : undefined,
        );
        if (!verdict.match) {
          if (readable) await countFailure(directory, table, login, found, nowMs, config.lock, budget, log);
          return refuse(verdict.reason, { email: found?.email });
        }
      }
      if (!found) return refuse(lookup.kind === "missing" ? lookup.reason : "unknown-user");
      if (migratedElsewhere) return refuse("already-migrated", { email: found.email });
      if (found.disabled) return refuse("disabled", { email: found.email });
      if (!signIn && !hasVerifiedContact(found)) return refuse("no-verified-contact", { email: found.email });

      const alias = aliasSignIn(found, typedName, config.USER_POOL_ALIAS_ATTRIBUTES);
      const attributes = migratedAttributes(found, alias);
      // Recorded before Cognito creates the user; a failure here refuses the migration (generic message)
      // and the user's retry starts over, so the directory never misses a migrated user. A retry of
      // this same migration (migratedAt set, with this userName) has nothing to record.
      const retry = found.migratedAt !== undefined;
      const claimed = retry
        ? "marked"
        : await budget.run("legacy directory update", () =>
            directory.claimMigration(table, login, {
              at: now().toISOString(),
              userName: typedName,
              nowMs,
              honourLock: signIn,
            }),
          );
      if (claimed === "conflict") {
        // Marked or locked in the meantime: read again to tell a concurrent retry of this very
        // migration (its own userName) from another spelling or a lock.
        const again = await read();
        const user = again?.kind === "found" ? again.user : undefined;
        if (!user) return refuse("unknown-user");
        if (user.migratedAt === undefined || isMigratedElsewhere(user, typedName)) {
          return refuse(user.migratedAt === undefined ? "locked" : "already-migrated", { email: user.email });
        }
      }
      await audit({
        event: "MIGRATED",
        outcome: "success",
        reason: signIn ? "password-verified" : "forgot-password",
        userName: alias?.username ?? typedName,
        email: found.email,
      });
      log.info("user migrated", {
        triggerSource: event.triggerSource,
        firstMigration: !retry && claimed === "marked",
      });
      metrics.count(METRIC.Migrations);
      event.response = {
        ...migrationResponse(
          attributes,
          signIn ? "UserMigration_Authentication" : "UserMigration_ForgotPassword",
        ),
      };
      return event;
    },
  })(env, services);
}

/**
 * Migrated already, and not by this same userName: Cognito treats every spelling as a new username,
 * so only a retry of the very invocation that migrated the record (same userName, byte for byte) may
 * pass. A record migrated before migratedUserName was recorded matches no userName.
 */
function isMigratedElsewhere(user: LegacyUser, typedName: string): boolean {
  return user.migratedAt !== undefined && user.migratedUserName !== typedName;
}

/**
 * Counts one failed sign-in (failed-attempts.ts). A counter that cannot be written does not change
 * the answer, which is a refusal anyway; it is logged, for the lock then counts less than it should.
 */
async function countFailure(
  directory: MigrationDirectory,
  table: string,
  login: string,
  user: LegacyUser | undefined,
  nowMs: number,
  policy: LockPolicy,
  budget: CallBudget,
  log: Logger,
): Promise<void> {
  try {
    for (const step of countingPlan(user, nowMs, policy)) {
      const result = await budget.run("legacy failure count", () =>
        directory.countFailure(table, login, step, { nowMs, policy }),
      );
      if (result === "counted") return;
    }
  } catch (error) {
    log.error("failed sign-in not counted", { error });
  }
}

function toLookup(item: Record<string, unknown> | undefined, log: Logger): Lookup {
  if (!item) return { kind: "missing", reason: "unknown-user" };
  try {
    const user = parseLegacyUser(item);
    // Named, never shown: the number is personal data.
    if (user.phoneNumberUnusable)
      log.warn("legacy phone number not E.164: set aside, never passed to Cognito");
    return { kind: "found", user };
  } catch (error) {
    if (!(error instanceof LegacyRecordError)) throw error;
    log.error("legacy record unusable", { field: error.field });
    return { kind: "missing", reason: "invalid-record" };
  }
}
