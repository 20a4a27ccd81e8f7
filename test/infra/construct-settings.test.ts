/**
 * CognitoTriggerSuite refuses, at synth time and with a message naming the setting, whatever would make
 * a handler fail closed in production or Cognito reject the pool: the handlers' own parsers run over
 * every value, and the construct adds the rules only it can see (feature plan, pool email, timeout).
 * Construction only (no bundling, no synthesis), so these tests are fast.
 */
import { Duration, Stack } from "aws-cdk-lib";
import * as cognito from "aws-cdk-lib/aws-cognito";
import { describe, expect, it } from "vitest";
import { CognitoTriggerSuite, type CognitoTriggerSuiteProps } from "../../infra/cognito-trigger-suite.ts";
import type { TriggerSuiteSettings } from "../../infra/settings.ts";
import { testApp } from "./synth.ts";

const VALID: TriggerSuiteSettings = { appName: "Acme Notes", allowedEmailDomains: ["example.com"] };

function suite(
  settings: Partial<TriggerSuiteSettings> = {},
  props: Partial<CognitoTriggerSuiteProps> = {},
  pool: cognito.UserPoolProps = { featurePlan: cognito.FeaturePlan.ESSENTIALS },
) {
  const stack = new Stack(testApp({ bundle: false }), "Test");
  const userPool = new cognito.UserPool(stack, "Pool", pool);
  const made = new CognitoTriggerSuite(stack, "Triggers", {
    userPool,
    settings: { ...VALID, ...settings },
    ...props,
  });
  return { stack, userPool, suite: made };
}

function problems(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the construct to refuse these settings");
}

describe("settings checked by the handlers' own parsers", () => {
  it("accepts valid settings", () => {
    expect(() => suite()).not.toThrow();
  });

  it.each([
    [{ allowedEmailDomains: [] }, /allowedEmailDomains \(ALLOWED_EMAIL_DOMAINS\) is required/],
    [
      { allowedEmailDomains: ["user@example.com"] },
      /allowedEmailDomains \(ALLOWED_EMAIL_DOMAINS\) invalid item "user@example\.com"/,
    ],
    [{ blockedEmailDomains: ["ex*ample.com"] }, /blockedEmailDomains \(BLOCKED_EMAIL_DOMAINS\) invalid item/],
    [{ appName: "Acme {####}" }, /appName \(APP_NAME\) must not contain braces/],
    [{ appName: "x".repeat(51) }, /appName \(APP_NAME\) must be at most 50 characters/],
    [
      { ipAllowlist: ["203.0.113.5"] },
      /ipAllowlist \(IP_ALLOWLIST\) invalid item "203\.0\.113\.5": needs a prefix length/,
    ],
    [
      { ipAllowlist: ["10.1.2.3/8"] },
      /ipAllowlist \(IP_ALLOWLIST\) invalid item "10\.1\.2\.3\/8": has bits set/,
    ],
    [{ ipTrustedClientIds: ["not a client"] }, /ipTrustedClientIds \(IP_TRUSTED_CLIENT_IDS\) invalid item/],
    [{ auditRetentionDays: 0 }, /auditRetentionDays \(AUDIT_RETENTION_DAYS\) must be between 1 and 3650/],
    [{ claimsConfig: { idToken: { add: { sub: { value: "x" } } } } }, /claimsConfig \(CLAIMS_CONFIG\) .*sub/],
    [{ claimsConfig: { groupScopes: { admins: ["has space"] } } }, /claimsConfig \(CLAIMS_CONFIG\)/],
    [
      { welcomeEmailFrom: "not an address" },
      /welcomeEmailFrom \(WELCOME_EMAIL_FROM\) must be "address@domain"/,
    ],
    [
      { userPoolAliasAttributes: ["nickname"] },
      /userPoolAliasAttributes \(USER_POOL_ALIAS_ATTRIBUTES\) invalid item/,
    ],
  ] as [Partial<TriggerSuiteSettings>, RegExp][])("refuses %j", (settings, message) => {
    expect(problems(() => suite(settings))).toMatch(message);
  });

  it("checks the literal items of a list that holds CDK tokens, leaving the tokens to deploy time", () => {
    const stack = new Stack(testApp({ bundle: false }), "Tokens");
    const userPool = new cognito.UserPool(stack, "Pool", { featurePlan: cognito.FeaturePlan.ESSENTIALS });
    const client = userPool.addClient("Server", { generateSecret: true });
    const make = (id: string, ids: string[]) =>
      new CognitoTriggerSuite(stack, id, { userPool, settings: { ...VALID, ipTrustedClientIds: ids } });
    expect(() => make("Good", [client.userPoolClientId])).not.toThrow();
    expect(problems(() => make("Bad", [client.userPoolClientId, "not a client"]))).toMatch(
      /invalid item "not a client"/,
    );
  });

  it("reports every problem at once, naming the construct", () => {
    const message = problems(() =>
      suite({ allowedEmailDomains: ["a@b"], appName: "", auditRetentionDays: 99_999 }),
    );
    expect(message).toMatch(/^Test\/Triggers: invalid settings:/);
    expect(message).toMatch(/allowedEmailDomains/);
    expect(message).toMatch(/appName/);
    expect(message).toMatch(/auditRetentionDays/);
  });

  it("refuses a configuration larger than Lambda's 4 KB environment", () => {
    const claims = {
      idToken: {
        add: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`claim_${i}`, { value: "v" }])),
      },
    };
    expect(problems(() => suite({ claimsConfig: claims }))).toMatch(
      /pre-token-generation function's environment would be \d+ bytes/,
    );
  });
});

describe("rules only the construct can check", () => {
  const V2 = cognito.LambdaVersion.V2_0;

  it("refuses V2_0/V3_0 pre token generation on the LITE feature plan", () => {
    for (const version of [V2, cognito.LambdaVersion.V3_0]) {
      const { suite: made } = suite(
        {},
        { preTokenGenerationVersion: version },
        { featurePlan: cognito.FeaturePlan.LITE },
      );
      expect(made.node.validate().join("\n")).toMatch(
        /needs the ESSENTIALS or PLUS feature plan, but the user pool is on LITE/,
      );
    }
  });

  it("refuses V2_0 when the pool does not declare its feature plan", () => {
    const { suite: made } = suite({}, {}, {});
    expect(made.node.validate().join("\n")).toMatch(/set featurePlan on the user pool explicitly/);
  });

  it("sees a plan changed after construction (the check runs at synth time)", () => {
    const { suite: made, userPool } = suite();
    expect(made.node.validate()).toEqual([]);
    (userPool.node.defaultChild as cognito.CfnUserPool).userPoolTier = "LITE";
    expect(made.node.validate()).toHaveLength(1);
  });

  it("accepts V1_0 on LITE, and V2_0/V3_0 on ESSENTIALS and PLUS", () => {
    const v1 = suite(
      {},
      { preTokenGenerationVersion: cognito.LambdaVersion.V1_0 },
      { featurePlan: cognito.FeaturePlan.LITE },
    );
    expect(v1.suite.node.validate()).toEqual([]);
    for (const featurePlan of [cognito.FeaturePlan.ESSENTIALS, cognito.FeaturePlan.PLUS]) {
      const v3 = suite({}, { preTokenGenerationVersion: cognito.LambdaVersion.V3_0 }, { featurePlan });
      expect(v3.suite.node.validate()).toEqual([]);
    }
  });

  it("refuses a timeout longer than Cognito waits", () => {
    expect(problems(() => suite({}, { timeout: Duration.seconds(6) }))).toMatch(
      /Cognito waits at most 5 seconds/,
    );
  });

  it("refuses custom email content when the pool does not send through SES", () => {
    expect(problems(() => suite({ customEmail: true }))).toMatch(
      /customEmail \(CUSTOM_EMAIL\) is true but the pool does not send email through SES/,
    );
  });

  it("derives CUSTOM_EMAIL and USER_POOL_ALIAS_ATTRIBUTES from the pool", () => {
    const withSes = suite(
      {},
      {},
      {
        featurePlan: cognito.FeaturePlan.ESSENTIALS,
        email: cognito.UserPoolEmail.withSES({ fromEmail: "no-reply@example.com", sesRegion: "eu-west-1" }),
        signInAliases: { username: true, email: true },
      },
    );
    expect(withSes.suite.settings).toMatchObject({ customEmail: true, userPoolAliasAttributes: ["email"] });
    const plain = suite();
    expect(plain.suite.settings.customEmail).toBe(false);
    expect(plain.suite.settings.userPoolAliasAttributes).toBeUndefined();
  });

  it("refuses a /0 allowlist entry, which AWS WAF cannot hold, unless the web ACL is left to the caller", () => {
    expect(problems(() => suite({ ipAllowlist: ["0.0.0.0/0"] }))).toMatch(/covers every address/);
    expect(() => suite({ ipAllowlist: ["0.0.0.0/0"] }, { ipAllowlistWebAcl: false })).not.toThrow();
  });

  it('refuses IP_UNTRUSTED_CLIENT_POLICY "allow" without the WAF web ACL that justifies it', () => {
    const settings = { ipAllowlist: ["203.0.113.0/24"], ipUntrustedClientPolicy: "allow" as const };
    expect(problems(() => suite(settings, { ipAllowlistWebAcl: false }))).toMatch(
      /ipUntrustedClientPolicy "allow"/,
    );
    expect(suite(settings).suite.webAcl).toBeDefined();
  });

  it("creates no web ACL when the allowlist is empty", () => {
    expect(suite().suite.webAcl).toBeUndefined();
  });

  it("refuses memory sizes and function name prefixes Lambda would refuse", () => {
    expect(problems(() => suite({}, { functionOverrides: { "pre-sign-up": { memorySize: 64 } } }))).toMatch(
      /memorySize of pre-sign-up is 64 MB/,
    );
    expect(problems(() => suite({}, { functionNamePrefix: "a".repeat(50) }))).toMatch(/functionNamePrefix/);
    expect(problems(() => suite({}, { functionNamePrefix: "has space" }))).toMatch(/functionNamePrefix/);
  });

  it("sets reserved concurrency only when asked", () => {
    const { stack, suite: made } = suite({}, { reservedConcurrentExecutions: 20 });
    const functions = Object.values(made.functions).map((fn) => fn.node.defaultChild);
    expect(functions).toHaveLength(7);
    for (const fn of functions)
      expect(
        stack.resolve(
          (fn as unknown as { reservedConcurrentExecutions: number }).reservedConcurrentExecutions,
        ),
      ).toBe(20);
    // The pool attachment is not a trigger: the setting does not reach it.
    expect(
      stack.resolve(
        (
          made.poolAttachment.function.node.defaultChild as unknown as {
            reservedConcurrentExecutions?: number;
          }
        ).reservedConcurrentExecutions,
      ),
    ).toBeUndefined();
  });
});
