/**
 * The defences of user migration against a real DynamoDB stand-in (dynalite), so the conditional
 * writes are the ones production makes: at most one migration per legacy record whatever the
 * spelling, the lock against password guessing (conditional counters, concurrency, expiry by time),
 * the cost bound, the IP allowlist and invisible characters. Every refusal must be the one message.
 */
import bcrypt from "bcryptjs";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import { createHandler, MIGRATION_REFUSED_MESSAGE } from "../../triggers/user-migration/trigger.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { createAuditTable, type LocalDynamo, startDynalite, useLocalAwsEnv } from "../support/dynalite.ts";
import {
  AUDIT_TABLE,
  createLegacyTable,
  ENV,
  getLegacyUser,
  migrationEvent,
  putLegacyUser,
} from "./legacy-directory.ts";

const PASSWORD = "Legacy-Passw0rd!";
// Cost 4 for records and stand-in alike: what is tested here is the logic, not the verifier's time.
const HASH = bcrypt.hashSync(PASSWORD, 4);
const STANDIN = bcrypt.hashSync("nobody knows this", 4);
const MAX = 3;
const LOCK_MINUTES = 15;
const FAST_ENV = {
  ...ENV,
  LEGACY_STANDIN_HASH: STANDIN,
  MIGRATION_MAX_FAILED_ATTEMPTS: String(MAX),
  MIGRATION_LOCK_MINUTES: String(LOCK_MINUTES),
};
const T0 = Date.parse("2026-11-20T09:00:00.000Z");
const MINUTE = 60_000;

let dynamo: LocalDynamo;
let logs: ReturnType<typeof captureLogs>;
let seq = 0;

beforeAll(async () => {
  dynamo = await startDynalite();
  useLocalAwsEnv(dynamo.endpoint);
  await createLegacyTable(dynamo.client);
  await createAuditTable(dynamo.client, AUDIT_TABLE);
});
afterAll(async () => dynamo.stop());
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

/** A new legacy user with a login of its own, so property runs never share state. */
async function newUser(extra: Record<string, unknown> = {}): Promise<string> {
  seq += 1;
  const login = `user-${seq}@example.com`;
  await putLegacyUser(dynamo.client, {
    login,
    legacyId: `L-${String(seq).padStart(6, "0")}`,
    passwordHash: HASH,
    email: login,
    emailVerified: true,
    nickname: "keep me",
    ...extra,
  });
  return login;
}

interface Outcome {
  migrated: boolean;
  message?: string;
  reason?: string;
  response?: Record<string, unknown>;
}

/** One invocation at time `at`; the outcome with the audit record's reason. */
async function attempt(
  userName: string,
  password: string | undefined,
  at = T0,
  env: Record<string, string> = FAST_ENV,
  event = migrationEvent(
    password === undefined ? "UserMigration_ForgotPassword" : "UserMigration_Authentication",
    userName,
    password,
  ),
): Promise<Outcome> {
  const auditStore = new MemoryAuditStore();
  const handler = createHandler(env, { auditStore, now: () => new Date(at) });
  try {
    const result = (await handler(event)) as { response: Record<string, unknown> };
    return { migrated: true, response: result.response };
  } catch (error) {
    const [record] = [...auditStore.items.values()];
    return { migrated: false, message: (error as Error).message, reason: record?.reason };
  }
}

/** Other spellings Cognito would take for a new username, all folding to the same login. */
function spellingOf(login: string): fc.Arbitrary<string> {
  const variants = (char: string): string[] => {
    const code = char.codePointAt(0) as number;
    const out = [char];
    if (/[a-z]/.test(char)) {
      out.push(char.toUpperCase());
      out.push(String.fromCodePoint(0x1d41a + code - 0x61)); // MATHEMATICAL BOLD SMALL
      out.push(String.fromCodePoint(0x1d400 + code - 0x61)); // MATHEMATICAL BOLD CAPITAL
    }
    if (code >= 0x21 && code <= 0x7e) out.push(String.fromCodePoint(code + 0xfee0)); // FULLWIDTH
    return out;
  };
  return fc
    .tuple(
      fc.tuple(...[...login].map((char) => fc.constantFrom(...variants(char)))),
      fc.constantFrom("", " ", "  "),
      fc.constantFrom("", " "),
    )
    .map(([chars, before, after]) => `${before}${chars.join("")}${after}`);
}

describe("at most one migration per legacy record, whatever the spelling", () => {
  it("refuses every other spelling of a migrated login, with the password or by reset", async () => {
    const login = await newUser();
    expect((await attempt(login, PASSWORD)).migrated).toBe(true);
    const marked = await getLegacyUser(dynamo.client, login);
    expect(marked).toMatchObject({ migratedUserName: login, nickname: "keep me" });
    await fc.assert(
      fc.asyncProperty(
        spellingOf(login).filter((s) => s !== login),
        fc.boolean(),
        async (spelling, reset) => {
          const outcome = await attempt(spelling, reset ? undefined : PASSWORD);
          expect(outcome).toEqual({
            migrated: false,
            message: MIGRATION_REFUSED_MESSAGE,
            reason: "already-migrated",
          });
        },
      ),
      { numRuns: 40 },
    );
    // The record is as the first migration left it.
    expect(await getLegacyUser(dynamo.client, login)).toEqual(marked);
  });

  it("still lets the same invocation be retried: the exact userName that migrated it", async () => {
    const login = await newUser();
    const typed = `  ${login.toUpperCase()}`;
    expect((await attempt(typed, PASSWORD, T0)).migrated).toBe(true);
    expect((await attempt(typed, PASSWORD, T0 + 4_000)).migrated).toBe(true);
    expect(await getLegacyUser(dynamo.client, login)).toMatchObject({
      migratedAt: new Date(T0).toISOString(),
      migratedUserName: typed,
    });
    expect((await attempt(login, PASSWORD)).reason).toBe("already-migrated");
  });

  it("lets one of two concurrent spellings migrate, never both", async () => {
    const login = await newUser();
    const outcomes = await Promise.all([
      attempt(login, PASSWORD),
      attempt(login.toUpperCase(), PASSWORD),
      attempt(`ｕ${login.slice(1)}`, undefined),
    ]);
    expect(outcomes.filter((o) => o.migrated)).toHaveLength(1);
    for (const refused of outcomes.filter((o) => !o.migrated)) {
      expect(refused).toMatchObject({ message: MIGRATION_REFUSED_MESSAGE, reason: "already-migrated" });
    }
  });

  it("refuses a record migrated before the userName was recorded, under every spelling", async () => {
    const login = await newUser({ migratedAt: "2025-01-01T00:00:00.000Z" });
    expect((await attempt(login, PASSWORD)).reason).toBe("already-migrated");
    expect((await attempt(login, undefined)).reason).toBe("already-migrated");
  });
});

describe("the lock against guessing legacy passwords", () => {
  type Step = { right: boolean; afterMinutes: number };
  /** The documented rule: MAX failures within LOCK_MINUTES lock for LOCK_MINUTES, even the right password. */
  function model(steps: Step[]): ("migrated" | "wrong-password" | "locked")[] {
    let count = 0;
    let since: number | undefined;
    let lockedUntil = Number.NEGATIVE_INFINITY;
    let now = T0;
    const out: ("migrated" | "wrong-password" | "locked")[] = [];
    for (const step of steps) {
      now += step.afterMinutes * MINUTE;
      if (lockedUntil > now) out.push("locked");
      else if (step.right) out.push("migrated");
      else {
        if (since === undefined || since <= now - LOCK_MINUTES * MINUTE) [count, since] = [1, now];
        else count += 1;
        if (count >= MAX) lockedUntil = now + LOCK_MINUTES * MINUTE;
        out.push("wrong-password");
      }
      if (out.at(-1) === "migrated") break;
    }
    return out;
  }

  it("engages after MAX failures for any sequence of attempts, and refuses the right password while locked", async () => {
    const step = fc.record({
      right: fc.boolean(),
      afterMinutes: fc.constantFrom(0, 0, 1, 5, 14, 15, 16, 40),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 9 }), async (steps) => {
        const login = await newUser();
        const expected = model(steps);
        let now = T0;
        const actual: string[] = [];
        for (const s of steps.slice(0, expected.length)) {
          now += s.afterMinutes * MINUTE;
          const outcome = await attempt(login, s.right ? PASSWORD : "not-the-Passw0rd", now);
          actual.push(outcome.migrated ? "migrated" : (outcome.reason as string));
          if (!outcome.migrated) expect(outcome.message).toBe(MIGRATION_REFUSED_MESSAGE);
        }
        expect(actual).toEqual(expected);
        const item = await getLegacyUser(dynamo.client, login);
        // Bounded: never more than MAX; the other attributes untouched.
        expect(item?.failedAttempts ?? 0).toBeLessThanOrEqual(MAX);
        expect(item).toMatchObject({ nickname: "keep me", passwordHash: HASH });
      }),
      { numRuns: 25 },
    );
  }, 60_000);

  it("counts concurrent failures once each, never past the maximum, and locks", async () => {
    const login = await newUser();
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => attempt(login, `wrong-${i}`, T0 + i)),
    );
    expect(outcomes.every((o) => o.message === MIGRATION_REFUSED_MESSAGE)).toBe(true);
    const item = await getLegacyUser(dynamo.client, login);
    expect(item).toMatchObject({ failedAttempts: MAX, lockedUntil: expect.any(Number) });
    expect((await attempt(login, PASSWORD, T0 + 1_000)).reason).toBe("locked");
  });

  it("expires by time (no TTL needed) and is ended by the migration", async () => {
    const login = await newUser();
    for (let i = 0; i < MAX; i++) await attempt(login, "wrong", T0 + i * MINUTE);
    const lockedUntil = (await getLegacyUser(dynamo.client, login))?.lockedUntil as number;
    expect(lockedUntil).toBe(T0 + (MAX - 1) * MINUTE + LOCK_MINUTES * MINUTE);
    expect((await attempt(login, PASSWORD, lockedUntil - 1)).reason).toBe("locked");
    // From lockedUntil on, the right password migrates, and the migration removes the counter.
    expect((await attempt(login, PASSWORD, lockedUntil)).migrated).toBe(true);
    const item = await getLegacyUser(dynamo.client, login);
    expect(item).not.toHaveProperty("failedAttempts");
    expect(item).not.toHaveProperty("lockedUntil");
    expect(item).not.toHaveProperty("failuresSince");
  });

  it("does not lock out a password reset", async () => {
    const login = await newUser();
    for (let i = 0; i < MAX; i++) await attempt(login, "wrong", T0);
    expect((await attempt(login, PASSWORD, T0 + 1)).reason).toBe("locked");
    expect((await attempt(login, undefined, T0 + 2)).response?.finalUserStatus).toBe("RESET_REQUIRED");
  });

  it("creates no item for a login the directory does not know", async () => {
    await attempt("ghost@example.com", "guess");
    expect(await getLegacyUser(dynamo.client, "ghost@example.com")).toBeUndefined();
  });
});

describe("the cost bound", () => {
  // Every parameter within its own bound (256 MiB, p ≤ 16), the product far over: seconds of work.
  const SLOW_SCRYPT =
    "$scrypt$ln=20,r=2,p=16$AAECAwQFBgcICQoLDA0ODw$n/wKQo5UvR1IIXsAuYTQsVHQZ4QS7Fa2BzPQNqfKhFc";

  it("refuses a record whose parameters together cost too much, well under the budget, and unknown users stay as fast", async () => {
    const login = await newUser({ passwordHash: SLOW_SCRYPT });
    const env = { ...ENV }; // the default stand-in: bcrypt cost 10, as in production
    const unknownMs = async () => {
      const started = performance.now();
      expect((await attempt(`nobody-${Math.random()}@example.com`, PASSWORD, T0, env)).reason).toBe(
        "unknown-user",
      );
      return performance.now() - started;
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const before: number[] = [];
    for (let i = 0; i < 5; i++) before.push(await unknownMs());

    const started = performance.now();
    const outcome = await attempt(login, PASSWORD, T0, env);
    const elapsed = performance.now() - started;
    expect(outcome).toEqual({
      migrated: false,
      message: MIGRATION_REFUSED_MESSAGE,
      reason: "hash-too-costly",
    });
    expect(elapsed).toBeLessThan(1_000);
    expect(logs.parsed()).toContainEqual(
      expect.objectContaining({ msg: "legacy password hash too costly to verify in time", scheme: "scrypt" }),
    );

    const after: number[] = [];
    for (let i = 0; i < 5; i++) after.push(await unknownMs());
    expect(median(after)).toBeLessThan(median(before) * 1.5 + 10);
  });

  it("refuses to start with a stand-in hash over the bound, naming the key", async () => {
    const outcome = await attempt("someone@example.com", PASSWORD, T0, {
      ...ENV,
      LEGACY_STANDIN_HASH: SLOW_SCRYPT,
    });
    expect(outcome.message).not.toBe(MIGRATION_REFUSED_MESSAGE);
    expect(logs.parsed()).toContainEqual(
      expect.objectContaining({
        msg: "configuration invalid: refusing every request",
        key: "LEGACY_STANDIN_HASH",
      }),
    );
  });

  it("judges the stand-in at the function's own memory size", async () => {
    // bcrypt 12 passes at a full vCPU but not at 128 MB, where it would take seconds.
    const standIn = bcrypt.hashSync("x", 12);
    await attempt("someone@example.com", PASSWORD, T0, { ...ENV, LEGACY_STANDIN_HASH: standIn });
    expect(logs.parsed().filter((l) => l.key === "LEGACY_STANDIN_HASH")).toEqual([]);
    await attempt("someone@example.com", PASSWORD, T0, {
      ...ENV,
      LEGACY_STANDIN_HASH: standIn,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "128",
    });
    expect(logs.parsed()).toContainEqual(expect.objectContaining({ key: "LEGACY_STANDIN_HASH" }));
  });
});

describe("the IP allowlist, as pre authentication applies it", () => {
  const IP_ENV = {
    ...FAST_ENV,
    IP_ALLOWLIST: "203.0.113.0/24",
    IP_TRUSTED_CLIENT_IDS: "1h2j3k4l5m6n7o8p9q0r1s2t3u",
  };
  const withIp = (userName: string, sourceIp: unknown, clientId = "1h2j3k4l5m6n7o8p9q0r1s2t3u") => {
    const event = migrationEvent("UserMigration_Authentication", userName, PASSWORD);
    event.request.validationData = sourceIp === undefined ? null : { sourceIp };
    event.callerContext.clientId = clientId;
    return event;
  };

  it.each([
    ["an address outside the list", "198.51.100.7", undefined, "ip-not-allowed"],
    ["no address", undefined, undefined, "ip-missing"],
    ["a malformed address", "203.0.113.5:443", undefined, "ip-malformed"],
    ["an untrusted client", "203.0.113.5", "public-client", "untrusted-client"],
  ])("refuses %s before any password is tried", async (_, sourceIp, clientId, reason) => {
    const login = await newUser();
    const outcome = await attempt(login, PASSWORD, T0, IP_ENV, withIp(login, sourceIp, clientId));
    expect(outcome).toEqual({ migrated: false, message: MIGRATION_REFUSED_MESSAGE, reason });
    // Nothing was read or counted: the record is untouched.
    expect(await getLegacyUser(dynamo.client, login)).not.toHaveProperty("failedAttempts");
  });

  it("migrates from an allowed address of a trusted client", async () => {
    const login = await newUser();
    expect((await attempt(login, PASSWORD, T0, IP_ENV, withIp(login, "203.0.113.5"))).migrated).toBe(true);
  });
});

describe("invisible characters in the login", () => {
  it("are an unknown user, whatever folding would make of them", async () => {
    const login = await newUser();
    const invisible = fc.constantFrom(
      "\u200b",
      "\u200d",
      "\u2060",
      "\u00ad",
      "\ufe0f",
      "\u3164",
      "\u{e0041}",
    );
    await fc.assert(
      fc.asyncProperty(invisible, fc.nat(login.length), async (char, at) => {
        const spelling = `${login.slice(0, at)}${char}${login.slice(at)}`;
        const outcome = await attempt(spelling, PASSWORD);
        expect(outcome).toEqual({
          migrated: false,
          message: MIGRATION_REFUSED_MESSAGE,
          reason: "unknown-user",
        });
      }),
      { numRuns: 20 },
    );
    expect(await getLegacyUser(dynamo.client, login)).not.toHaveProperty("migratedAt");
  });
});
