import { describe, expect, it } from "vitest";
import {
  auditConfigSpec,
  commaList,
  flag,
  integer,
  json,
  oneOf,
  optionalText,
  readConfig,
  requiredText,
} from "../../triggers/lib/config.ts";
import { ConfigError } from "../../triggers/lib/errors.ts";

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration parsing", () => {
  it("reads typed values and applies defaults", () => {
    const config = readConfig(
      { APP_NAME: "  Acme Notes ", AUTO_CONFIRM: "TRUE", AUDIT_TABLE_NAME: "audit" },
      {
        APP_NAME: requiredText(),
        AUTO_CONFIRM: flag(false),
        WELCOME_EMAIL_FROM: optionalText(),
        DEFAULT_LOCALE: oneOf(["en", "ja"], "en"),
        ...auditConfigSpec,
      },
    );
    expect(config).toEqual({
      APP_NAME: "Acme Notes",
      AUTO_CONFIRM: true,
      WELCOME_EMAIL_FROM: undefined,
      DEFAULT_LOCALE: "en",
      AUDIT_TABLE_NAME: "audit",
      AUDIT_RETENTION_DAYS: 400,
    });
  });

  it.each([
    [{}, "AUDIT_TABLE_NAME", "is required"],
    [{ AUDIT_TABLE_NAME: "   " }, "AUDIT_TABLE_NAME", "is required"],
    [{ AUDIT_TABLE_NAME: "t", AUDIT_RETENTION_DAYS: "0" }, "AUDIT_RETENTION_DAYS", "between 1 and 3650"],
    [{ AUDIT_TABLE_NAME: "t", AUDIT_RETENTION_DAYS: "30d" }, "AUDIT_RETENTION_DAYS", "whole number"],
  ])("names the bad key: %j", (env, key, reason) => {
    const error = configError(() => readConfig(env, auditConfigSpec));
    expect(error.key).toBe(key);
    expect(error.reason).toContain(reason);
  });

  it("refuses flags and enums it does not know instead of guessing", () => {
    expect(configError(() => flag(false)("yes", "AUTO_CONFIRM")).reason).toContain('"true" or "false"');
    expect(configError(() => oneOf(["deny", "allow"], "deny")("permit", "P")).reason).toContain(
      "deny, allow",
    );
    expect(oneOf(["deny", "allow"], "deny")(undefined, "P")).toBe("deny");
    expect(integer({ default: 5, min: 1, max: 9 })(" 7 ", "N")).toBe(7);
  });

  it("parses comma lists item by item and names the bad item", () => {
    const parse = commaList({
      required: true,
      item: (v) => {
        if (v.includes(" ")) throw new Error("no spaces");
        return v.toUpperCase();
      },
    });
    expect(parse(" a, b,,c ", "K")).toEqual(["A", "B", "C"]);
    expect(configError(() => parse("a,b c", "K")).reason).toBe('invalid item "b c": no spaces');
    expect(configError(() => parse(" , ", "K")).reason).toContain("is required");
    expect(commaList({ required: false })(undefined, "K")).toEqual([]);
  });

  it("parses JSON with a validator and reports syntax errors", () => {
    const parse = json({
      required: false,
      default: { ok: true },
      validate: (v) => {
        if (typeof v !== "object" || v === null) throw new Error("must be an object");
        return v as { ok: boolean };
      },
    });
    expect(parse(undefined, "J")).toEqual({ ok: true });
    expect(parse('{"ok":false}', "J")).toEqual({ ok: false });
    expect(configError(() => parse("{oops", "J")).reason).toContain("is not valid JSON");
    expect(configError(() => parse("3", "J")).reason).toBe("must be an object");
  });
});
