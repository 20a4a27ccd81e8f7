/** The bundled templates by locale. To add a locale, add a module beside these and list it here. */
import { en } from "./en.ts";
import { ja } from "./ja.ts";
import type { LocaleTemplates } from "./types.ts";

export const TEMPLATES = { en, ja } as const satisfies Record<string, LocaleTemplates>;

export type Locale = keyof typeof TEMPLATES;

export const LOCALES = Object.keys(TEMPLATES) as Locale[];
