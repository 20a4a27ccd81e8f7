/**
 * The one place the suite reads a phone number it did not get from Cognito: the legacy record's
 * phoneNumber, which becomes the migrated user's phone_number (where SMS MFA codes go). Only E.164 is
 * passed on; any other form is set aside, never reformatted, and the user migrates without a phone: not
 * as a verified contact for a reset code, not as an alias. The log names the problem, never the number.
 */
import bcrypt from "bcryptjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import type { LegacyUserStore } from "../../triggers/lib/services.ts";
import { isE164 } from "../../triggers/lib/text/phone.ts";
import { parseLegacyUser } from "../../triggers/user-migration/legacy-user.ts";
import { createHandler } from "../../triggers/user-migration/trigger.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { ENV, migrationEvent } from "./legacy-directory.ts";

const PASSWORD = "Legacy-Passw0rd!";
const HASH = bcrypt.hashSync(PASSWORD, 4);

const MALFORMED = [
  "09012345678", // national form, no country
  "+81 90 1234 5678", // spaces
  "+1 (206) 555-0142", // punctuation
  "+0123456789", // country code cannot start with 0
  "+1234567890123456", // 16 digits
  "+", // no digits
  "+1", // one digit
  "＋819012345678", // full-width plus
  "+８１9012345678", // full-width digits
  "+819012345678\n", // trailing newline
  " +819012345678", // leading space
  "+81901234567８",
];

describe("isE164", () => {
  it.each(["+819012345678", "+12065550142", "+4420", "+123456789012345"])("accepts %j", (number) => {
    expect(isE164(number)).toBe(true);
  });
  it.each(MALFORMED)("refuses %j", (number) => {
    expect(isE164(number)).toBe(false);
  });
  it.each([undefined, null, 819012345678, ["+819012345678"]])("refuses a non-string %j", (value) => {
    expect(isE164(value)).toBe(false);
  });
});

describe("a legacy record's phoneNumber", () => {
  const record = { login: "jiro", legacyId: "L-1", phoneNumberVerified: true };

  it("is kept when it is E.164", () => {
    const user = parseLegacyUser({ ...record, phoneNumber: "+819012345678" });
    expect(user).toMatchObject({ phoneNumber: "+819012345678", phoneNumberVerified: true });
    expect(user).not.toHaveProperty("phoneNumberUnusable");
  });

  it.each(MALFORMED)("is dropped, with its verified flag, when it is %j", (phoneNumber) => {
    const user = parseLegacyUser({ ...record, phoneNumber });
    expect(user).not.toHaveProperty("phoneNumber");
    expect(user.phoneNumberVerified).toBe(false);
    expect(user.phoneNumberUnusable).toBe(true);
  });

  it("still refuses a phoneNumber of the wrong type, as any field", () => {
    expect(() => parseLegacyUser({ ...record, phoneNumber: 819012345678 })).toThrow(/"phoneNumber"/);
  });
});

describe("migrating a user whose phone number is not E.164", () => {
  const RECORD = {
    login: "jiro",
    legacyId: "L-000777",
    username: "jiro",
    passwordHash: HASH,
    email: "jiro.suzuki@example.com",
    emailVerified: true,
    phoneNumber: "090-1234-5678",
    phoneNumberVerified: true,
  };
  const handlerFor = (record: Record<string, unknown>) => {
    const directory: LegacyUserStore = {
      get: async (_table, login) =>
        [record.login, record.email, record.phoneNumber].includes(login) ? { ...record, login } : undefined,
      markMigrated: async () => "marked",
    };
    return createHandler(
      { ...ENV, USER_POOL_ALIAS_ATTRIBUTES: "email,phone_number", LEGACY_STANDIN_HASH: HASH },
      { legacyUsers: directory, auditStore: new MemoryAuditStore() },
    );
  };

  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.restore());

  it("migrates without the phone, and logs that, not the number", async () => {
    const event = migrationEvent("UserMigration_Authentication", "jiro", PASSWORD);
    const { response } = (await handlerFor(RECORD)(event)) as { response: Record<string, unknown> };
    expect(response.userAttributes).toEqual({
      email: RECORD.email,
      email_verified: "true",
      "custom:legacy_id": "L-000777",
    });
    expect(response.desiredDeliveryMediums).toEqual(["EMAIL"]);
    const warnings = logs.parsed().filter((line) => line.level === "WARN");
    expect(JSON.stringify(warnings)).toContain("not E.164");
    expect(logs.lines.join("\n")).not.toContain("1234-5678");
  });

  it("does not count the dropped phone as a verified contact for a reset", async () => {
    const phoneOnly = { ...RECORD, email: undefined, emailVerified: false };
    const event = migrationEvent("UserMigration_ForgotPassword", "jiro");
    await expect(handlerFor(phoneOnly)(event)).rejects.toThrow();
  });

  it("does not sign in by the dropped phone as an alias", async () => {
    const event = migrationEvent("UserMigration_Authentication", RECORD.phoneNumber, PASSWORD);
    const { response } = (await handlerFor(RECORD)(event)) as { response: Record<string, unknown> };
    expect(response.userAttributes).not.toHaveProperty("phone_number");
    expect(response.userAttributes).not.toHaveProperty("username");
  });
});
