/**
 * Makes "no such user" cost what "wrong password" costs, so that response time does not tell an
 * attacker which usernames exist. For a user the directory does not know (or one refused before its
 * own hash is verified: unusable, too costly, locked, already migrated), the password is verified
 * against a stand-in hash and the result thrown away.
 *
 * The stand-in is fixed for the life of the function: LEGACY_STANDIN_HASH when set (a hash of the
 * directory's own algorithm and cost, in its record format, of a string nobody knows), otherwise a
 * bcrypt cost-10 hash. It is never taken from a record: one slow record would make every later
 * unknown-user answer slow, and until a first real hash was seen the answer would be faster. Set from
 * configuration, it costs what a known user costs from the first request after a cold start (the
 * verifier's lazy module loads included: bcryptjs, or hash-wasm's WebAssembly, on the first of either).
 */
import type { Parser } from "../lib/config.ts";
import { ConfigError } from "../lib/errors.ts";
import type { CostBound } from "./cost-bound.ts";
import { verifierFor } from "./verifiers/registry.ts";

/** bcrypt cost 10 of a random string nobody knows: the common cost of bcrypt directories. */
export const DEFAULT_STANDIN_HASH = "$2b$10$ry1qx.6a6OAB1XRsP1VQAO7BXeVPqOtHK3aETZCOh8p1r0R6fGhc.";

export class DummyVerification {
  constructor(readonly hash: string = DEFAULT_STANDIN_HASH) {}

  async run(password: string): Promise<void> {
    try {
      await verifierFor(this.hash)?.verify(password, this.hash);
    } catch {
      // The outcome is discarded either way; only the time spent matters.
    }
  }
}

/**
 * LEGACY_STANDIN_HASH: unset → the default; otherwise a hash in a supported format, readable, and
 * within the cost bound (else every unknown user would be answered slowly, or not at all).
 */
export function standInHashSetting(bound: CostBound): Parser<string> {
  return (raw, key) => {
    const hash = raw?.trim() ?? "";
    if (hash === "") return DEFAULT_STANDIN_HASH;
    const verdict = bound.judge(hash);
    if (verdict.kind === "unsupported") throw new ConfigError(key, "is not a hash in a supported format");
    if (verdict.kind === "unusable") throw new ConfigError(key, verdict.error.message);
    if (verdict.kind === "too-costly") {
      throw new ConfigError(
        key,
        `costs about ${Math.round(verdict.estimatedMs)} ms per verification on this function's CPU, over the bound`,
      );
    }
    return hash;
  };
}
