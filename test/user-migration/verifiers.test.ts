import bcrypt from "bcryptjs";
import { argon2id } from "hash-wasm";
import { describe, expect, it, vi } from "vitest";
import { DEFAULT_STANDIN_HASH, DummyVerification } from "../../triggers/user-migration/dummy-verification.ts";
import { argon2idVerifier } from "../../triggers/user-migration/verifiers/argon2id.ts";
import { bcryptVerifier } from "../../triggers/user-migration/verifiers/bcrypt.ts";
import { pbkdf2DjangoVerifier } from "../../triggers/user-migration/verifiers/pbkdf2-django.ts";
import { UnusableHashError, verifierFor } from "../../triggers/user-migration/verifiers/registry.ts";
import { scryptVerifier } from "../../triggers/user-migration/verifiers/scrypt.ts";

/** Hashes written by other software, so the verifiers are held to the formats as they exist. */
const KNOWN = [
  // Django's own test vector (tests/auth_tests/test_hashers.py, test_pbkdf2).
  {
    verifier: pbkdf2DjangoVerifier,
    password: "lètmein",
    hash: "pbkdf2_sha256$390000$seasalt$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c=",
  },
  // The reference implementation's test vector (phc-winner-argon2, src/test.c).
  {
    verifier: argon2idVerifier,
    password: "password",
    hash: "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
  },
  // Python's hashlib.scrypt, written in passlib's $scrypt$ format (salt = bytes 0..15).
  {
    verifier: scryptVerifier,
    password: "Legacy-Passw0rd!",
    hash: "$scrypt$ln=14,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$n/wKQo5UvR1IIXsAuYTQsVHQZ4QS7Fa2BzPQNqfKhFc",
  },
  // bcrypt's classic test vector (OpenBSD / jBCrypt: "U*U", cost 5), in its $2a$ form.
  {
    verifier: bcryptVerifier,
    password: "U*U",
    hash: "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
  },
];

describe("password verifiers", () => {
  it.each(KNOWN)(
    "$verifier.scheme accepts the right password of a hash other software wrote",
    async (known) => {
      expect(verifierFor(known.hash)).toBe(known.verifier);
      await expect(known.verifier.verify(known.password, known.hash)).resolves.toBe(true);
    },
  );

  it.each(KNOWN)("$verifier.scheme refuses a wrong password", async (known) => {
    await expect(known.verifier.verify(`${known.password}x`, known.hash)).resolves.toBe(false);
    await expect(known.verifier.verify("", known.hash)).resolves.toBe(false);
  });

  it("reads bcrypt's $2a$, $2b$ and $2y$ prefixes alike", async () => {
    const hash = await bcrypt.hash("Legacy-Passw0rd!", 4);
    for (const prefix of ["$2a$", "$2b$", "$2y$"]) {
      const variant = hash.replace(/^\$2b\$/, prefix);
      expect(verifierFor(variant)).toBe(bcryptVerifier);
      await expect(bcryptVerifier.verify("Legacy-Passw0rd!", variant)).resolves.toBe(true);
      await expect(bcryptVerifier.verify("legacy-Passw0rd!", variant)).resolves.toBe(false);
    }
  });

  it("verifies argon2id hashes as hash-wasm encodes them", async () => {
    const hash = await argon2id({
      password: "Legacy-Passw0rd!",
      salt: new Uint8Array(16).fill(7),
      iterations: 2,
      parallelism: 1,
      memorySize: 19_456,
      hashLength: 32,
      outputType: "encoded",
    });
    await expect(argon2idVerifier.verify("Legacy-Passw0rd!", hash)).resolves.toBe(true);
    await expect(argon2idVerifier.verify("Legacy-Passw0rd?", hash)).resolves.toBe(false);
  });

  it.each([
    ["bcrypt cost above the budget", "$2b$31$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"],
    ["truncated bcrypt", "$2b$10$CCCCCCCCCCCCCCCCCCCCC."],
    [
      "PBKDF2 with too many iterations",
      "pbkdf2_sha256$900000000$salt$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c=",
    ],
    ["PBKDF2 without a key", "pbkdf2_sha256$390000$seasalt$"],
    [
      "scrypt needing 1 GiB",
      "$scrypt$ln=20,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$n/wKQo5UvR1IIXsAuYTQsVHQZ4QS7Fa2BzPQNqfKhFc",
    ],
    [
      "argon2id version 16",
      "$argon2id$v=16$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
    ],
    [
      "argon2id with 1 GiB",
      "$argon2id$v=19$m=1048576,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
    ],
  ])("refuses to run an unusable hash (%s) instead of hanging or guessing", async (_, hash) => {
    const verifier = verifierFor(hash);
    expect(verifier).toBeDefined();
    await expect(verifier?.verify("password", hash)).rejects.toBeInstanceOf(UnusableHashError);
  });

  it("recognises no other format", () => {
    for (const hash of [
      "md5$seasalt$3f86d0d3",
      "$1$salt$hash",
      "$argon2i$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA",
      "plain",
    ]) {
      expect(verifierFor(hash)).toBeUndefined();
    }
  });
});

describe("the dummy verification for unknown users", () => {
  it("is bcrypt work by default, or the configured stand-in, and never follows a verified record", async () => {
    const bcryptSpy = vi.spyOn(bcryptVerifier, "verify");
    await new DummyVerification().run("guess");
    expect(bcryptSpy).toHaveBeenCalledWith("guess", DEFAULT_STANDIN_HASH);

    const standIn = KNOWN[1]?.hash as string;
    const dummy = new DummyVerification(standIn);
    const argonSpy = vi.spyOn(argon2idVerifier, "verify");
    // A real record verified in between changes nothing: the stand-in is fixed for the function's life.
    await pbkdf2DjangoVerifier.verify("lètmein", KNOWN[0]?.hash as string);
    await dummy.run("guess");
    expect(argonSpy).toHaveBeenCalledWith("guess", standIn);
    expect(dummy.hash).toBe(standIn);
    vi.restoreAllMocks();
  });
});
