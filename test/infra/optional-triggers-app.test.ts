/**
 * The repository's app with the optional triggers on (`inboundFederation`, `customSenders` in the
 * deployment configuration): the file's keys are checked with one line per mistake, and the stack
 * synthesizes for real with every one on (all ten handlers bundled by esbuild, cdk-nag, the Control
 * Tower rules and the CloudFormation validator on, findings as errors, no AWS credentials), each
 * bundled handler starting with the environment the construct gives it.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Annotations, Match } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StackConfigError } from "../../infra/stack-config.ts";
import { TRIGGERS, type TriggerName } from "../../triggers/lib/events.ts";
import { config, type Synthesized, synthSuite } from "./synth.ts";
import { ofType, type Resources } from "./template-graph.ts";

const SENDER_FROM = "Acme Notes <codes@mail.example.com>";

/** Everything on, on the stack's own pool (SMS MFA, so that the pool texts codes at all). */
const EVERYTHING_ON = config(
  {
    inboundFederation: true,
    customSenders: { email: true, sms: true },
    mfaFactors: ["SMS", "TOTP"],
    alarmEmail: "ops@example.com",
  },
  { customSenderEmailFrom: SENDER_FROM },
);

/** The configuration's refusal, as one message of problem lines. */
function refusal(overrides: Record<string, unknown>, settings: Record<string, unknown> = {}): string[] {
  try {
    config(overrides, settings);
  } catch (error) {
    expect(error).toBeInstanceOf(StackConfigError);
    return (error as Error).message.split("\n").filter((line) => line.startsWith("  - "));
  }
  throw new Error("expected the configuration to be refused");
}

describe("the deployment configuration's keys", () => {
  it("are off by default", () => {
    const parsed = config();
    expect(parsed.inboundFederation).toBe(false);
    expect(parsed.customSenders).toBeUndefined();
  });

  it("read inboundFederation, customSenders and the three settings", () => {
    const parsed = config(
      { inboundFederation: true, customSenders: { email: true }, existingUserPoolId: "eu-west-1_Abc123" },
      {
        customSenderEmailFrom: SENDER_FROM,
        federationAttributeMap: { email: ["mail"] },
        federationEmailVerified: "never",
      },
    );
    expect(parsed).toMatchObject({ inboundFederation: true, customSenders: { email: true, sms: false } });
    expect(parsed.settings).toMatchObject({
      customSenderEmailFrom: SENDER_FROM,
      federationAttributeMap: { email: ["mail"] },
      federationEmailVerified: "never",
    });
  });

  it.each([
    [{ inboundFederation: "yes" }, {}, "inboundFederation must be true or false"],
    [{ customSenders: true }, {}, "customSenders must be a JSON object"],
    [{ customSenders: { email: "on" } }, {}, "customSenders.email must be true or false"],
    [
      { customSenders: { voice: true } },
      {},
      "customSenders.voice is not a known setting (known: email, sms)",
    ],
    [
      {},
      { federationEmailVerified: "always" },
      'settings.federationEmailVerified must be one of honour, never, got "always"',
    ],
    [{}, { customSenderEmailFrom: "" }, "settings.customSenderEmailFrom must be a non-empty string"],
    [
      { customSenders: { sms: true } },
      {},
      'customSenders.sms: the stack\'s pool texts only SMS MFA codes, and mfaFactors has no "SMS": the SMS sender would never be called; add "SMS" to mfaFactors or leave customSenders.sms off',
    ],
  ])("refuse %j %j with one line", (overrides, settings, line) => {
    expect(refusal(overrides, settings)).toEqual([`  - ${line}`]);
  });

  it("take the SMS sender without SMS MFA on an existing pool, whose factors the stack does not know", () => {
    expect(
      config({ existingUserPoolId: "eu-west-1_Abc123", customSenders: { sms: true } }).customSenders,
    ).toEqual({
      email: false,
      sms: true,
    });
  });
});

describe("the app with everything on", () => {
  let synthesized: Synthesized;
  let resources: Resources;
  beforeAll(() => {
    // synthSuite runs every policy check: an unacknowledged finding would throw here.
    synthesized = synthSuite(EVERYTHING_ON, { bundle: true });
    resources = synthesized.template.toJSON().Resources as Resources;
  }, 180_000);
  afterAll(() => synthesized?.cleanup());

  const functions = () =>
    ofType(resources, "AWS::Lambda::Function").flatMap(([id, resource]) => {
      const trigger = (Object.keys(TRIGGERS) as TriggerName[]).find(
        (name) => resource.Properties?.Description === `Cognito user pool trigger: ${name}`,
      );
      return trigger ? [{ trigger, id, props: resource.Properties ?? {} }] : [];
    });

  it("deploys all ten triggers and attaches the optional three with the key", () => {
    expect(
      functions()
        .map(({ trigger }) => trigger)
        .sort(),
    ).toEqual(Object.keys(TRIGGERS).sort());
    const [[, pool] = []] = ofType(resources, "AWS::Cognito::UserPool");
    const lambdaConfig = pool?.Properties?.LambdaConfig as Record<string, { LambdaVersion?: string }>;
    for (const key of ["InboundFederation", "CustomEmailSender", "CustomSMSSender"]) {
      expect(lambdaConfig[key]?.LambdaVersion, key).toBe("V1_0");
    }
    expect(lambdaConfig).toHaveProperty("KMSKeyID");
    // The logs key, the alarm topic's key and the custom senders' key.
    expect(ofType(resources, "AWS::KMS::Key")).toHaveLength(3);
  });

  it("warns that the stack's own pool has no federated identity provider to call inbound federation", () => {
    Annotations.fromStack(synthesized.stack).hasWarning(
      `/${synthesized.stack.stackName}`,
      Match.stringLikeRegexp(
        "inboundFederation is on, but the stack's pool has no federated identity provider",
      ),
    );
  });

  it("bundles each handler, and each starts with the environment the construct gives it: no key refused", () => {
    const resolve = (value: unknown): string => {
      if (typeof value === "string") return value;
      const intrinsic = value as Record<string, unknown>;
      if (typeof intrinsic.Ref === "string") return intrinsic.Ref;
      // A key ARN CloudFormation fills in: any key ARN does at cold start.
      if (Array.isArray(intrinsic["Fn::GetAtt"])) {
        return String(intrinsic["Fn::GetAtt"][1]) === "Arn"
          ? "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
          : String(intrinsic["Fn::GetAtt"][0]);
      }
      throw new Error(`cannot resolve ${JSON.stringify(value)}`);
    };
    for (const { trigger, id, props } of functions()) {
      const variables = (props.Environment as { Variables: Record<string, unknown> }).Variables;
      const env = Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, resolve(value)]));
      const dir = join(synthesized.outdir, resources[id]?.Metadata?.["aws:asset:path"] as string);
      const run = spawnSync(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          `const m = await import(${JSON.stringify(pathToFileURL(join(dir, "index.mjs")).href)}); if (typeof m.handler !== "function") process.exit(3);`,
        ],
        {
          env: { PATH: process.env.PATH, AWS_REGION: "eu-west-1", LOG_LEVEL: "DEBUG", ...env },
          encoding: "utf8",
          timeout: 20_000,
        },
      );
      expect(run.status, `${trigger}: ${run.stderr}`).toBe(0);
      expect(`${run.stdout}${run.stderr}`, trigger).not.toMatch(/configuration invalid/);
    }
  }, 120_000);
});

describe("the app on an existing pool with everything on", () => {
  it("synthesizes with every check on, the optional triggers and the key in the attachment", () => {
    const synthesized = synthSuite(
      config(
        {
          existingUserPoolId: "eu-west-1_Abc123",
          inboundFederation: true,
          customSenders: { email: true, sms: true },
        },
        { customSenderEmailFrom: SENDER_FROM },
      ),
      { bundle: false },
    );
    try {
      const resources = synthesized.template.toJSON().Resources as Resources;
      const [[, attachment] = []] = ofType(resources, "Custom::CognitoTriggerSuiteAttachment");
      expect(Object.keys(attachment?.Properties?.LambdaConfig as object)).toEqual(
        expect.arrayContaining(["InboundFederation", "CustomEmailSender", "CustomSMSSender", "KMSKeyID"]),
      );
    } finally {
      synthesized.cleanup();
    }
  }, 120_000);
});
