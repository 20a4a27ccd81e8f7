/**
 * User migration: moves a user from the legacy directory (LEGACY_USERS_TABLE_NAME) into the pool the
 * first time they sign in (the legacy password hash must verify) or ask for a password reset (they
 * must have a verified email or phone for the code). Every refusal, whatever its reason, is the same
 * message after the same work, and is audited (MIGRATION_DENIED) and counted (SignInDenied, by
 * reason); each migration marks the legacy record (migratedAt, once), is audited (MIGRATED) and
 * counted (Migrations). The password is never logged or stored.
 */

import { defaultAuditStore } from "../lib/audit/dynamo-store.ts";
import type { AuditEntry } from "../lib/audit/record.ts";
import { AuditTrail } from "../lib/audit/trail.ts";
import type { ConfigOf } from "../lib/config.ts";
import { defineTrigger } from "../lib/define-trigger.ts";
import { UserFacingError } from "../lib/errors.ts";
import type { Logger } from "../lib/logger.ts";
import { type DenialReason, METRIC } from "../lib/metrics.ts";
import type { LegacyUserStore } from "../lib/services.ts";
import { aliasSignIn } from "./alias-sign-in.ts";
import { CallBudget } from "./call-budget.ts";
import { userMigrationConfigSpec } from "./config.ts";
import { DummyVerification } from "./dummy-verification.ts";
import { DynamoLegacyUserStore } from "./dynamo-legacy-store.ts";
import { LegacyRecordError, parseLegacyUser } from "./legacy-user.ts";
import { normaliseLogin } from "./login-name.ts";
import {
  authenticationResponse,
  forgotPasswordResponse,
  hasVerifiedContact,
  migratedAttributes,
} from "./migration-response.ts";
import { checkPassword, type Lookup } from "./password-check.ts";

/** Cognito's own words for a failed sign-in, so a refused migration looks like any other. */
export const MIGRATION_REFUSED_MESSAGE = "Incorrect username or password";

/** The reason of a MIGRATION_DENIED record, also the Reason of its SignInDenied metric. */
export type MigrationDenialReason = DenialReason<"SignInDenied">;

interface PreparedConfig extends ConfigOf<typeof userMigrationConfigSpec> {
  /** Per cold start: it mirrors the hashes this execution environment has verified. */
  dummy: DummyVerification;
}

let dynamoDirectory: LegacyUserStore | undefined;

/** The DynamoDB directory of this execution environment, created on first use and reused while warm. */
function defaultDirectory(): LegacyUserStore {
  dynamoDirectory ??= new DynamoLegacyUserStore();
  return dynamoDirectory;
}

export const createHandler = defineTrigger({
  trigger: "user-migration",
  config: userMigrationConfigSpec,
  prepare: (values: ConfigOf<typeof userMigrationConfigSpec>): PreparedConfig => ({
    ...values,
    dummy: new DummyVerification(),
  }),
  handle: async (event, { config, log, metrics, requestId, services }) => {
    const now = services.now ?? (() => new Date());
    const budget = new CallBudget();
    const directory = services.legacyUsers ?? defaultDirectory();
    const table = config.LEGACY_USERS_TABLE_NAME;
    const typedName = typeof event.userName === "string" ? event.userName : "";
    const signIn = event.triggerSource === "UserMigration_Authentication";

    const audit = (entry: Pick<AuditEntry, "event" | "outcome" | "reason" | "userName" | "email">) =>
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

    const refuse = async (reason: MigrationDenialReason, email?: string): Promise<never> => {
      log.info("migration refused", { reason, triggerSource: event.triggerSource });
      await audit({
        event: "MIGRATION_DENIED",
        outcome: "denied",
        reason,
        userName: typedName || undefined,
        email,
      });
      // Counted with the answer, so that an invocation is never both a denial and an unexpected error.
      metrics.denied(METRIC.SignInDenied, reason);
      throw new UserFacingError(MIGRATION_REFUSED_MESSAGE);
    };

    const login = normaliseLogin(typedName);
    const item =
      login === "" ? undefined : await budget.run("legacy directory read", () => directory.get(table, login));
    const lookup = toLookup(item, log);

    if (signIn) {
      const password = typeof event.request.password === "string" ? event.request.password : "";
      const verdict = await checkPassword(lookup, password, config.dummy, log);
      if (!verdict.match) {
        return refuse(verdict.reason, lookup.kind === "found" ? lookup.user.email : undefined);
      }
    }
    if (lookup.kind === "missing") return refuse(lookup.reason);
    const user = lookup.user;
    if (user.disabled) return refuse("disabled", user.email);
    if (!signIn && !hasVerifiedContact(user)) return refuse("no-verified-contact", user.email);

    const alias = aliasSignIn(user, typedName, config.USER_POOL_ALIAS_ATTRIBUTES);
    const attributes = migratedAttributes(user, typedName, alias);
    // Recorded before Cognito creates the user; a failure here refuses the migration (generic message)
    // and the user's retry starts over, so the directory never misses a migrated user.
    const marked = await budget.run("legacy directory update", () =>
      directory.markMigrated(table, login, now().toISOString()),
    );
    await audit({
      event: "MIGRATED",
      outcome: "success",
      reason: signIn ? "password-verified" : "forgot-password",
      userName: alias?.username ?? typedName,
      email: user.email,
    });
    log.info("user migrated", { triggerSource: event.triggerSource, firstMigration: marked === "marked" });
    metrics.count(METRIC.Migrations);
    event.response = {
      ...event.response,
      ...(signIn ? authenticationResponse(attributes) : forgotPasswordResponse(attributes)),
    };
    return event;
  },
});

function toLookup(item: Record<string, unknown> | undefined, log: Logger): Lookup {
  if (!item) return { kind: "missing", reason: "unknown-user" };
  try {
    return { kind: "found", user: parseLegacyUser(item) };
  } catch (error) {
    if (!(error instanceof LegacyRecordError)) throw error;
    log.error("legacy record unusable", { field: error.field });
    return { kind: "missing", reason: "invalid-record" };
  }
}
