/**
 * The cost bound: a hash is verified only if its parameters together fit the time budget on this
 * function's CPU. Every parameter combination of every format is judged by the one formula
 * (cost-bound.ts); the property tests hold each format to it, to monotonicity and to the memory
 * scaling, and a calibration check runs the real libraries to show the estimate is not optimistic.
 */
import { pbkdf2Sync, randomBytes, scryptSync } from "node:crypto";
import bcrypt from "bcryptjs";
import fc from "fast-check";
import { argon2id } from "hash-wasm";
import { describe, expect, it } from "vitest";
import { CostBound, cpuShare, MARGIN, VERIFY_BUDGET_MS } from "../../triggers/user-migration/cost-bound.ts";
import { ARGON2_MS_PER_KIB_PASS } from "../../triggers/user-migration/verifiers/argon2id.ts";
import { BCRYPT_MS_PER_ROUND } from "../../triggers/user-migration/verifiers/bcrypt.ts";
import { PBKDF2_MS_PER_ITERATION } from "../../triggers/user-migration/verifiers/pbkdf2-django.ts";
import { verifierFor } from "../../triggers/user-migration/verifiers/registry.ts";
import { SCRYPT_MS_PER_BLOCK_MIX } from "../../triggers/user-migration/verifiers/scrypt.ts";

const SALT = "AAECAwQFBgcICQoLDA0ODw";
const KEY = "n/wKQo5UvR1IIXsAuYTQsVHQZ4QS7Fa2BzPQNqfKhFc";
const scrypt = (ln: number, r: number, p: number) => `$scrypt$ln=${ln},r=${r},p=${p}$${SALT}$${KEY}`;
const argon = (m: number, t: number, p: number) => `$argon2id$v=19$m=${m},t=${t},p=${p}$${SALT}$${KEY}`;
const pbkdf2 = (iterations: number) => `pbkdf2_sha256$${iterations}$seasalt$${KEY}`;
const bcryptHash = (cost: number) =>
  `$2b$${String(cost).padStart(2, "0")}$ry1qx.6a6OAB1XRsP1VQAO7BXeVPqOtHK3aETZCOh8p1r0R6fGhc.`;

/** Each format's parameters within their own bounds, with the work the formula counts. */
const RECORDS = fc.oneof(
  fc
    .record({
      ln: fc.integer({ min: 10, max: 20 }),
      r: fc.integer({ min: 1, max: 32 }),
      p: fc.integer({ min: 1, max: 16 }),
    })
    .filter(({ ln, r }) => 128 * 2 ** ln * r <= 256 * 1024 * 1024)
    .map(({ ln, r, p }) => ({ hash: scrypt(ln, r, p), work: 2 ** ln * r * p * SCRYPT_MS_PER_BLOCK_MIX })),
  fc
    .record({
      m: fc.integer({ min: 128, max: 262_144 }),
      t: fc.integer({ min: 1, max: 20 }),
      p: fc.integer({ min: 1, max: 16 }),
    })
    .map(({ m, t, p }) => ({ hash: argon(m, t, p), work: m * t * ARGON2_MS_PER_KIB_PASS })),
  fc
    .integer({ min: 1_000, max: 5_000_000 })
    .map((i) => ({ hash: pbkdf2(i), work: i * PBKDF2_MS_PER_ITERATION })),
  fc.integer({ min: 4, max: 14 }).map((c) => ({ hash: bcryptHash(c), work: 2 ** c * BCRYPT_MS_PER_ROUND })),
);
const MEMORY = fc.integer({ min: 128, max: 10_240 });

describe("the cost bound", () => {
  it("admits exactly the records whose product of parameters fits the budget at the memory size", () => {
    fc.assert(
      fc.property(RECORDS, MEMORY, ({ hash, work }, memory) => {
        const share = Math.min(1, memory / 1_769);
        const verdict = new CostBound(cpuShare(String(memory))).judge(hash);
        const fits = (work * MARGIN) / share <= VERIFY_BUDGET_MS;
        expect(verdict.kind).toBe(fits ? "admitted" : "too-costly");
      }),
      { numRuns: 500 },
    );
  });

  it("is monotone: more of any parameter, or less memory, never turns a refusal into an admission", () => {
    const admitted = (hash: string, memory: number) =>
      new CostBound(cpuShare(String(memory))).judge(hash).kind === "admitted";
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 19 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 8, max: 131_072 }),
        fc.integer({ min: 1, max: 19 }),
        MEMORY,
        (ln, r, p, m, t, memory) => {
          const within = 128 * 2 ** (ln + 1) * r <= 256 * 1024 * 1024;
          if (admitted(scrypt(ln, r, p + 1), memory)) expect(admitted(scrypt(ln, r, p), memory)).toBe(true);
          if (within && admitted(scrypt(ln + 1, r, p), memory))
            expect(admitted(scrypt(ln, r, p), memory)).toBe(true);
          if (admitted(argon(m * 2, t, 1), memory)) expect(admitted(argon(m, t, 1), memory)).toBe(true);
          if (admitted(argon(m, t + 1, 1), memory)) expect(admitted(argon(m, t, 1), memory)).toBe(true);
          if (admitted(scrypt(ln, r, p), memory)) expect(admitted(scrypt(ln, r, p), memory + 64)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("admits what directories use today and refuses the slow corners, at the construct's 1,024 MB", () => {
    const bound = new CostBound(cpuShare("1024"));
    for (const hash of [
      bcryptHash(10),
      bcryptHash(12),
      pbkdf2(1_000_000),
      scrypt(16, 8, 1),
      argon(19_456, 2, 1),
      argon(65_536, 3, 4),
    ]) {
      expect(bound.judge(hash).kind, hash).toBe("admitted");
    }
    for (const hash of [
      bcryptHash(14),
      pbkdf2(5_000_000),
      scrypt(20, 2, 16),
      scrypt(17, 8, 4),
      argon(262_144, 20, 1),
      argon(262_144, 4, 1),
    ]) {
      expect(bound.judge(hash).kind, hash).toBe("too-costly");
    }
  });

  it("assumes one full vCPU outside Lambda, and never more than one", () => {
    expect(cpuShare(undefined)).toBe(1);
    expect(cpuShare("not a number")).toBe(1);
    expect(cpuShare("1769")).toBe(1);
    expect(cpuShare("10240")).toBe(1);
    expect(cpuShare("1024")).toBeCloseTo(0.579, 3);
  });

  it("is calibrated: the real libraries take no longer than the estimate with its margin", async () => {
    const time = async (run: () => unknown) => {
      await run();
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        await run();
        runs.push(performance.now() - started);
      }
      return Math.min(...runs);
    };
    const salt = randomBytes(16);
    const cases: [string, () => unknown][] = [
      [bcryptHash(8), () => bcrypt.hash("x", 8)],
      [pbkdf2(200_000), () => pbkdf2Sync("x", "seasalt", 200_000, 32, "sha256")],
      [
        scrypt(14, 8, 2),
        () => scryptSync("x", salt, 32, { N: 2 ** 14, r: 8, p: 2, maxmem: 64 * 1024 * 1024 }),
      ],
      [
        argon(16_384, 2, 1),
        () =>
          argon2id({
            password: "x",
            salt,
            iterations: 2,
            parallelism: 1,
            memorySize: 16_384,
            hashLength: 32,
          }),
      ],
    ];
    const lines: string[] = [];
    for (const [hash, run] of cases) {
      const estimate = verifierFor(hash)?.costMs(hash) as number;
      const measured = await time(run);
      lines.push(
        `${hash.slice(0, 24)}: measured ${measured.toFixed(1)} ms, estimate ${estimate.toFixed(1)} ms`,
      );
      // The fastest of three runs, against the estimate with its margin: a machine busier than this
      // one is what the margin is for, not an estimate that is simply too low.
      expect(measured, hash).toBeLessThanOrEqual(estimate * MARGIN);
    }
    console.info(lines.join("\n"));
  }, 30_000);
});
