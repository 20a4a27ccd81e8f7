/** Every supported legacy hash format; the first verifier that recognises a hash verifies it. */
import { argon2idVerifier } from "./argon2id.ts";
import { bcryptVerifier } from "./bcrypt.ts";
import type { PasswordVerifier } from "./password-verifier.ts";
import { pbkdf2DjangoVerifier } from "./pbkdf2-django.ts";
import { scryptVerifier } from "./scrypt.ts";

export const VERIFIERS: readonly PasswordVerifier[] = [
  bcryptVerifier,
  pbkdf2DjangoVerifier,
  scryptVerifier,
  argon2idVerifier,
];

export function verifierFor(hash: string): PasswordVerifier | undefined {
  return VERIFIERS.find((verifier) => verifier.recognises(hash));
}

export { type PasswordVerifier, UnusableHashError } from "./password-verifier.ts";
