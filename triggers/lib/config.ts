/**
 * Typed parsing of the configuration contract (architecture.md). Each handler declares the keys it
 * reads with these parsers; `readConfig` throws a ConfigError naming the first bad key, and the
 * trigger runtime turns that into "refuse every request" (fail closed).
 */
import { ConfigError } from "./errors.ts";

export type Env = Readonly<Record<string, string | undefined>>;
export type Parser<T> = (raw: string | undefined, key: string) => T;
export type ConfigOf<Spec extends Record<string, Parser<unknown>>> = {
  [K in keyof Spec]: ReturnType<Spec[K]>;
};

export function readConfig<Spec extends Record<string, Parser<unknown>>>(
  env: Env,
  spec: Spec,
): ConfigOf<Spec> {
  const out: Record<string, unknown> = {};
  for (const [key, parse] of Object.entries(spec)) out[key] = parse(env[key], key);
  return out as ConfigOf<Spec>;
}

function present(raw: string | undefined): raw is string {
  return raw !== undefined && raw.trim() !== "";
}

export function requiredText(): Parser<string> {
  return (raw, key) => {
    if (!present(raw)) throw new ConfigError(key, "is required");
    return raw.trim();
  };
}

export function optionalText(): Parser<string | undefined> {
  return (raw) => (present(raw) ? raw.trim() : undefined);
}

export function flag(defaultValue: boolean): Parser<boolean> {
  return (raw, key) => {
    if (!present(raw)) return defaultValue;
    const value = raw.trim().toLowerCase();
    if (value === "true") return true;
    if (value === "false") return false;
    throw new ConfigError(key, `must be "true" or "false", got ${JSON.stringify(raw)}`);
  };
}

export function oneOf<const T extends string>(values: readonly T[], defaultValue: T): Parser<T> {
  return (raw, key) => {
    if (!present(raw)) return defaultValue;
    const value = raw.trim().toLowerCase();
    if ((values as readonly string[]).includes(value)) return value as T;
    throw new ConfigError(key, `must be one of ${values.join(", ")}, got ${JSON.stringify(raw)}`);
  };
}

export function integer(options: { default: number; min: number; max: number }): Parser<number> {
  return (raw, key) => {
    if (!present(raw)) return options.default;
    const value = raw.trim();
    if (!/^\d+$/.test(value))
      throw new ConfigError(key, `must be a whole number, got ${JSON.stringify(raw)}`);
    const n = Number(value);
    if (n < options.min || n > options.max) {
      throw new ConfigError(key, `must be between ${options.min} and ${options.max}, got ${n}`);
    }
    return n;
  };
}

/** A comma list; items are trimmed, empty items dropped, each checked by `item` (which throws Error on bad input). */
export function commaList<T = string>(options: {
  required: boolean;
  item?: (value: string) => T;
}): Parser<T[]> {
  return (raw, key) => {
    const values = present(raw)
      ? raw
          .split(",")
          .map((v) => v.trim())
          .filter((v) => v !== "")
      : [];
    if (options.required && values.length === 0) throw new ConfigError(key, "is required (a comma list)");
    const item = options.item ?? ((v: string) => v as T);
    return values.map((value) => {
      try {
        return item(value);
      } catch (error) {
        throw new ConfigError(key, `invalid item ${JSON.stringify(value)}: ${(error as Error).message}`);
      }
    });
  };
}

/** A JSON value checked by `validate` (which throws Error with a message naming what is wrong). */
export function json<T>(options: {
  required: boolean;
  default: T;
  validate: (value: unknown) => T;
}): Parser<T> {
  return (raw, key) => {
    if (!present(raw)) {
      if (options.required) throw new ConfigError(key, "is required (JSON)");
      return options.default;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new ConfigError(key, `is not valid JSON: ${(error as Error).message}`);
    }
    try {
      return options.validate(value);
    } catch (error) {
      throw new ConfigError(key, (error as Error).message);
    }
  };
}

/** The audit settings shared by every handler that writes the audit trail. */
export const auditConfigSpec = {
  AUDIT_TABLE_NAME: requiredText(),
  AUDIT_RETENTION_DAYS: integer({ default: 400, min: 1, max: 3650 }),
};
export type AuditConfig = ConfigOf<typeof auditConfigSpec>;
