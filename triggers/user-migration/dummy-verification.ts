/**
 * Makes "no such user" cost what "wrong password" costs, so that response time does not tell an
 * attacker which usernames exist. For a user the directory does not know (or whose hash is unusable),
 * the password is verified against a stand-in hash and the result thrown away.
 *
 * The stand-in mirrors the most recent real hash this execution environment verified: same algorithm,
 * same cost, so a directory of argon2id users is answered with argon2id work. Until a cold start has
 * seen a real hash, the stand-in is a bcrypt cost-10 hash of a random string nobody knows.
 */
import { verifierFor } from "./verifiers/registry.ts";

const BOOTSTRAP_HASH = "$2b$10$ry1qx.6a6OAB1XRsP1VQAO7BXeVPqOtHK3aETZCOh8p1r0R6fGhc.";

export class DummyVerification {
  private hash = BOOTSTRAP_HASH;

  /** Called after a real hash was verified without error. */
  mirror(hash: string): void {
    this.hash = hash;
  }

  async run(password: string): Promise<void> {
    try {
      await verifierFor(this.hash)?.verify(password, this.hash);
    } catch {
      // The outcome is discarded either way; only the time spent matters.
    }
  }
}
