/**
 * The account-takeover notification by locale: one for every locale of Custom message's templates
 * (the `satisfies` below fails to compile when a locale is added there and not here).
 */
import type { Locale } from "../index.ts";
import { en } from "./en.ts";
import { ja } from "./ja.ts";
import type { AccountTakeoverTemplates } from "./types.ts";

export const ACCOUNT_TAKEOVER_TEMPLATES = { en, ja } as const satisfies Record<
  Locale,
  AccountTakeoverTemplates
>;
