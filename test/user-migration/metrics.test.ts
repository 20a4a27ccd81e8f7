/**
 * User migration's metrics, as Lambda would write them (AWS_LAMBDA_FUNCTION_NAME set): Migrations for
 * each migrated user (sign-in or forgotten password), SignInDenied with the audit record's reason for
 * each refusal, AuditFallbacks when a record misses the table, UnexpectedErrors when the directory fails.
 */
import bcrypt from "bcryptjs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import type { AuditStore } from "../../triggers/lib/audit/store.ts";
import { GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import { DENIAL_REASONS } from "../../triggers/lib/metrics.ts";
import type { LegacyUserStore } from "../../triggers/lib/services.ts";
import { createHandler } from "../../triggers/user-migration/trigger.ts";
import { captureOutputOfEachTest, emfDocument } from "../support/capture-metrics.ts";
import { ENV as DIRECTORY_ENV, migrationEvent } from "./legacy-directory.ts";

const FUNCTION = "suite-UserMigration-P0o9I8";
const ENV = { ...DIRECTORY_ENV, AWS_LAMBDA_FUNCTION_NAME: FUNCTION };
const PASSWORD = "Legacy-Passw0rd!";
// Cost 4: what is counted is tested here, not the verifier.
const HASH = bcrypt.hashSync(PASSWORD, 4);
const USERS: Record<string, Record<string, unknown>> = {
  "taro@example.com": { legacyId: "L-1", passwordHash: HASH, email: "taro@example.com", emailVerified: true },
  "hana@example.com": { legacyId: "L-2", passwordHash: HASH, email: "hana@example.com", disabled: true },
  "jiro@example.com": {
    legacyId: "L-3",
    passwordHash: HASH,
    email: "jiro@example.com",
    emailVerified: false,
  },
  "no-hash@example.com": { legacyId: "L-4", email: "no-hash@example.com", emailVerified: true },
  "md5@example.com": { legacyId: "L-5", passwordHash: "md5$salt$0123456789abcdef", emailVerified: true },
  "broken@example.com": { legacyId: 42, passwordHash: HASH },
};
const directory: LegacyUserStore = {
  get: async (_table, login) => {
    const user = USERS[login];
    return user === undefined ? undefined : { login, ...structuredClone(user) };
  },
  markMigrated: async () => "marked",
};
const failing: AuditStore = { put: () => Promise.reject(new Error("ServiceUnavailable")) };

const output = captureOutputOfEachTest();

const signIn = (userName: string, password = PASSWORD) =>
  migrationEvent("UserMigration_Authentication", userName, password);
const forgot = (userName: string) => migrationEvent("UserMigration_ForgotPassword", userName);

async function run(
  event: unknown,
  services: { auditStore?: AuditStore; legacyUsers?: LegacyUserStore } = {},
) {
  const handler = createHandler(ENV, {
    auditStore: new MemoryAuditStore(),
    legacyUsers: directory,
    ...services,
  });
  await handler(event).catch(() => undefined);
  return output.metrics.names();
}

describe("user migration metrics", () => {
  it.each([
    ["a sign-in with the legacy password", signIn("taro@example.com"), ["Migrations"]],
    ["a forgotten password with a verified address", forgot("taro@example.com"), ["Migrations"]],
    ["a wrong password", signIn("taro@example.com", "guess"), ["SignInDenied/wrong-password"]],
    ["an unknown user signing in", signIn("nobody@example.com"), ["SignInDenied/unknown-user"]],
    ["an unknown user resetting", forgot("nobody@example.com"), ["SignInDenied/unknown-user"]],
    ["a disabled user", signIn("hana@example.com"), ["SignInDenied/disabled"]],
    ["a reset without a verified contact", forgot("jiro@example.com"), ["SignInDenied/no-verified-contact"]],
    ["a user without a hash", signIn("no-hash@example.com"), ["SignInDenied/no-password-hash"]],
    ["a hash of an unknown format", signIn("md5@example.com"), ["SignInDenied/unsupported-hash"]],
    ["an unusable record", signIn("broken@example.com"), ["SignInDenied/invalid-record"]],
  ])("%s: %j", async (_, event, expected) => {
    expect(await run(event)).toEqual(expected);
  });

  it("a migration line is exactly the EMF document; a refusal's carries both dimension sets", async () => {
    await run(signIn("taro@example.com"));
    await run(signIn("taro@example.com", "guess"));
    expect(output.metrics.documents()).toEqual([
      emfDocument("Migrations", FUNCTION),
      emfDocument("SignInDenied", FUNCTION, "wrong-password"),
    ]);
  });

  it("counts records that miss the table as AuditFallbacks, beside the migration or the refusal", async () => {
    expect(await run(signIn("taro@example.com"), { auditStore: failing })).toEqual([
      "AuditFallbacks",
      "Migrations",
    ]);
    output.metrics.lines.length = 0;
    expect(await run(signIn("taro@example.com", "guess"), { auditStore: failing })).toEqual([
      "AuditFallbacks",
      "SignInDenied/wrong-password",
    ]);
  });

  it("counts a directory failure as UnexpectedErrors, neither a migration nor a denial", async () => {
    const down: LegacyUserStore = { ...directory, get: () => Promise.reject(new Error("ECONNREFUSED")) };
    const handler = createHandler(ENV, { auditStore: new MemoryAuditStore(), legacyUsers: down });
    await expect(handler(signIn("taro@example.com"))).rejects.toThrow(GENERIC_USER_MESSAGE);
    expect(output.metrics.names()).toEqual(["UnexpectedErrors"]);
  });

  it("a refusal that fails on its way is an unexpected error only, never also a denial", async () => {
    const brokenClock = () => {
      throw new Error("clock unavailable");
    };
    const handler = createHandler(ENV, { legacyUsers: directory, now: brokenClock });
    await expect(handler(signIn("taro@example.com", "guess"))).rejects.toThrow(GENERIC_USER_MESSAGE);
    expect(output.metrics.names()).toEqual(["UnexpectedErrors"]);
  });

  it("writes nothing outside Lambda", async () => {
    const { AWS_LAMBDA_FUNCTION_NAME: _, ...local } = ENV;
    await createHandler(local, { auditStore: failing, legacyUsers: directory })(signIn("taro@example.com"));
    expect(output.metrics.lines).toEqual([]);
  });

  it("no metric carries the typed name or password, and every reason is one of the fixed set", async () => {
    const handler = createHandler(ENV, { auditStore: new MemoryAuditStore(), legacyUsers: directory });
    const name = fc.oneof(fc.constantFrom(...Object.keys(USERS)), fc.string(), fc.emailAddress());
    const password = fc.oneof(fc.constant(PASSWORD), fc.string({ minLength: 1 }));
    await fc.assert(
      fc.asyncProperty(name, password, fc.boolean(), async (userName, typed, reset) => {
        output.metrics.lines.length = 0;
        await handler(reset ? forgot(userName) : signIn(userName, typed)).catch(() => undefined);
        const [doc, ...more] = output.metrics.documents();
        expect(more).toEqual([]);
        if (doc?.Reason === undefined) expect(doc).toEqual(emfDocument("Migrations", FUNCTION));
        else {
          expect(DENIAL_REASONS.SignInDenied).toContain(doc.Reason);
          expect(doc).toEqual(emfDocument("SignInDenied", FUNCTION, doc.Reason));
        }
      }),
      { numRuns: 60 },
    );
  });
});
