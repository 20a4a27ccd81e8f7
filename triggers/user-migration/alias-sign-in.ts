/**
 * The one case where the response may carry `username` (contract §8): the pool has alias attributes
 * and the user signed in with one of them, e.g. their email. Cognito cannot create a user named after
 * an alias ("Username cannot be of email format, since user pool is configured for email alias"), so
 * the response names the user's own username and puts what was typed into the alias attribute. In any
 * other pool `username` must be left out (or equal what was typed), which is why the pool's alias
 * attributes are configuration (USER_POOL_ALIAS_ATTRIBUTES) and not guessed from the record.
 * The alias attribute keeps the value stored in the record, never the spelling that was typed (which
 * only folds to it): Cognito would otherwise store, and for email/phone_number mark verified, an
 * address the legacy system never verified.
 */
import type { LegacyUser } from "./legacy-user.ts";
import { normaliseLogin } from "./login-name.ts";

export const ALIAS_ATTRIBUTES = ["email", "phone_number", "preferred_username"] as const;
export type AliasAttribute = (typeof ALIAS_ATTRIBUTES)[number];

export interface AliasSignIn {
  username: string;
  attribute: AliasAttribute;
}

export function parseAliasAttribute(value: string): AliasAttribute {
  const attribute = value.toLowerCase();
  if (!(ALIAS_ATTRIBUTES as readonly string[]).includes(attribute)) {
    throw new Error(`must be one of ${ALIAS_ATTRIBUTES.join(", ")}`);
  }
  return attribute as AliasAttribute;
}

export function aliasSignIn(
  user: LegacyUser,
  typedName: string,
  poolAliases: readonly AliasAttribute[],
): AliasSignIn | undefined {
  if (!user.username || poolAliases.length === 0) return undefined;
  const typed = normaliseLogin(typedName);
  if (normaliseLogin(user.username) === typed) return undefined;
  const values: Record<AliasAttribute, string | undefined> = {
    email: user.email,
    phone_number: user.phoneNumber,
    preferred_username: user.preferredUsername,
  };
  const attribute = poolAliases.find((alias) => {
    const value = values[alias];
    return value !== undefined && normaliseLogin(value) === typed;
  });
  return attribute ? { username: user.username, attribute } : undefined;
}
