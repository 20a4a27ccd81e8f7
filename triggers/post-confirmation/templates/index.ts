/** The bundled welcome emails by locale. To add a locale, add a module beside these and list it here. */
import { en } from "./en.ts";
import { ja } from "./ja.ts";
import type { WelcomeTemplates } from "./types.ts";

export const WELCOME_TEMPLATES = { en, ja } as const satisfies Record<string, WelcomeTemplates>;

export type Locale = keyof typeof WELCOME_TEMPLATES;

export const LOCALES = Object.keys(WELCOME_TEMPLATES) as Locale[];
