/**
 * The language a message is written in: the user's `locale` attribute ("ja", "ja-JP", "en_US" ...) by
 * its language when there are templates for it, else the configured default. Shared by every message
 * the suite writes (custom messages, the welcome email).
 */
export function resolveLocale<Locale extends string>(
  attribute: string | undefined,
  templates: Readonly<Record<Locale, unknown>>,
  fallback: Locale,
): Locale {
  const language = attribute?.trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return Object.hasOwn(templates, language) ? (language as Locale) : fallback;
}
