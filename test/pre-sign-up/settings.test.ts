/**
 * FEDERATED_UNVERIFIED_EMAIL through the whole settings path: the deployment file (stack-config.ts),
 * the typed construct setting and its environment key (settings.ts), checked at synth time by the
 * handler's own parser, and given to pre sign-up only. AUTO_CONFIRM reaches post confirmation too,
 * where it withholds the welcome email from auto-verified addresses.
 */
import { describe, expect, it } from "vitest";
import {
  environmentOf,
  settingsEnvironment,
  type TriggerSuiteSettings,
  validateSettings,
} from "../../infra/settings.ts";
import { parseStackConfig } from "../../infra/stack-config.ts";

const RESOURCES = { auditTableName: "audit", legacyUsersTableName: "legacy" };
const BASE: TriggerSuiteSettings = {
  appName: "Acme Notes",
  allowedEmailDomains: ["example.com"],
  claimsConfig: {},
};
const file = (settings: Record<string, unknown>) =>
  parseStackConfig(
    {
      featurePlan: "ESSENTIALS",
      mfa: "REQUIRED",
      preTokenGenerationVersion: "V2_0",
      settings: { ...BASE, ...settings },
    },
    "suite.json",
  );

describe("federatedUnverifiedEmail (FEDERATED_UNVERIFIED_EMAIL)", () => {
  it.each(["deny", "allow"] as const)("is read from the deployment file: %s", (value) => {
    expect(file({ federatedUnverifiedEmail: value }).settings.federatedUnverifiedEmail).toBe(value);
  });

  it("is left unset (deny) when the file does not name it", () => {
    expect(file({}).settings.federatedUnverifiedEmail).toBeUndefined();
    expect(environmentOf("pre-sign-up", settingsEnvironment(BASE, RESOURCES))).not.toHaveProperty(
      "FEDERATED_UNVERIFIED_EMAIL",
    );
  });

  it.each([["maybe"], [true], ["DENY"]])("refuses %j in the deployment file, naming the field", (value) => {
    expect(() => file({ federatedUnverifiedEmail: value })).toThrow(
      /settings\.federatedUnverifiedEmail must be one of deny, allow/,
    );
  });

  it("reaches the pre sign-up function only", () => {
    const env = settingsEnvironment({ ...BASE, federatedUnverifiedEmail: "allow" }, RESOURCES);
    expect(environmentOf("pre-sign-up", env)).toMatchObject({ FEDERATED_UNVERIFIED_EMAIL: "allow" });
    for (const trigger of ["custom-message", "post-confirmation", "pre-authentication"] as const) {
      expect(environmentOf(trigger, env), trigger).not.toHaveProperty("FEDERATED_UNVERIFIED_EMAIL");
    }
  });

  it("is checked at synth time by the handler's parser", () => {
    const settings = { ...BASE, federatedUnverifiedEmail: "sometimes" } as unknown as TriggerSuiteSettings;
    expect(validateSettings(settings, RESOURCES)).toEqual([
      expect.stringMatching(
        /^federatedUnverifiedEmail \(FEDERATED_UNVERIFIED_EMAIL\) must be one of deny, allow/,
      ),
    ]);
    expect(validateSettings({ ...BASE, federatedUnverifiedEmail: "allow" }, RESOURCES)).toEqual([]);
  });
});

describe("autoConfirm (AUTO_CONFIRM)", () => {
  it("reaches pre sign-up and post confirmation, the same value for both", () => {
    const env = settingsEnvironment({ ...BASE, autoConfirm: true }, RESOURCES);
    expect(environmentOf("pre-sign-up", env).AUTO_CONFIRM).toBe("true");
    expect(environmentOf("post-confirmation", env).AUTO_CONFIRM).toBe("true");
    expect(environmentOf("custom-message", env)).not.toHaveProperty("AUTO_CONFIRM");
  });
});
