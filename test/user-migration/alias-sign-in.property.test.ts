/**
 * Alias sign-in: whatever spelling of an email or phone number the user typed (case, full-width
 * forms, spaces), the migrated user's alias attribute is the address the legacy record stores, never
 * the typed one, and every response field is set by the trigger, not carried over from the event.
 */
import bcrypt from "bcryptjs";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import type { LegacyUserStore } from "../../triggers/lib/services.ts";
import { createHandler } from "../../triggers/user-migration/trigger.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { ENV, migrationEvent } from "./legacy-directory.ts";

const PASSWORD = "Legacy-Passw0rd!";
const HASH = bcrypt.hashSync(PASSWORD, 4);
const RECORD = {
  login: "jiro",
  legacyId: "L-000777",
  username: "jiro",
  passwordHash: HASH,
  email: "jiro.suzuki@example.com",
  emailVerified: true,
  phoneNumber: "+819012345678",
  phoneNumberVerified: true,
};
/** The directory finds the record by any name that folds to one of its addresses. */
const directory: LegacyUserStore = {
  get: async (_table, login) =>
    [RECORD.login, RECORD.email, RECORD.phoneNumber].includes(login) ? { ...RECORD, login } : undefined,
  markMigrated: async () => "marked",
};

/** Spellings that fold (NFKC, trim, lower case) to `text`. */
const spellingOf = (text: string) =>
  fc
    .tuple(
      fc.tuple(
        ...[...text].map((char) => {
          const code = char.codePointAt(0) as number;
          const forms = [char, char.toUpperCase()];
          if (code >= 0x21 && code <= 0x7e) forms.push(String.fromCodePoint(code + 0xfee0));
          return fc.constantFrom(...forms);
        }),
      ),
      fc.constantFrom("", " "),
    )
    .map(([chars, pad]) => `${pad}${chars.join("")}${pad}`);

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

describe("alias sign-in", () => {
  const handler = createHandler(
    { ...ENV, USER_POOL_ALIAS_ATTRIBUTES: "email,phone_number", LEGACY_STANDIN_HASH: HASH },
    { legacyUsers: directory, auditStore: new MemoryAuditStore() },
  );

  it("answers only ever with the stored address, whatever spelling was typed", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(spellingOf(RECORD.email), spellingOf(RECORD.phoneNumber)),
        fc.boolean(),
        async (typed, reset) => {
          const event = reset
            ? migrationEvent("UserMigration_ForgotPassword", typed)
            : migrationEvent("UserMigration_Authentication", typed, PASSWORD);
          // Whatever the event carried in response is not passed through.
          event.response = {
            forceAliasCreation: true,
            enableSMSMFA: true,
            finalUserStatus: "CONFIRMED",
            extra: 1,
          };
          const { response } = (await handler(event)) as { response: Record<string, unknown> };
          expect(response).toEqual({
            userAttributes: {
              username: "jiro",
              email: RECORD.email,
              email_verified: "true",
              phone_number: RECORD.phoneNumber,
              phone_number_verified: "true",
              "custom:legacy_id": "L-000777",
            },
            finalUserStatus: reset ? "RESET_REQUIRED" : "CONFIRMED",
            messageAction: "SUPPRESS",
            desiredDeliveryMediums: ["EMAIL"],
            forceAliasCreation: false,
            enableSMSMFA: false,
          });
          if (typed !== RECORD.email && typed !== RECORD.phoneNumber) {
            expect(Object.values(response.userAttributes as object)).not.toContain(typed);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
