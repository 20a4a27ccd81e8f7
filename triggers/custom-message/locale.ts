/** The user's `locale` attribute ("ja", "ja-JP", "en_US" ...) by its language, else DEFAULT_LOCALE. */
import { type Locale, TEMPLATES } from "./templates/index.ts";

export function resolveLocale(attribute: string | undefined, fallback: Locale): Locale {
  const language = attribute?.trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return Object.hasOwn(TEMPLATES, language) ? (language as Locale) : fallback;
}
