/**
 * Synthesizes the suite the way `npm run synth` does (cdk-nag AwsSolutions checks and the built-in
 * CloudFormation validator with findings as errors), into a temporary folder, without AWS credentials.
 * `bundle: false` skips esbuild for tests that only need the template's shape.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { type BuiltApp, buildApp } from "../../infra/build-app.ts";
import { parseStackConfig, type StackConfig } from "../../infra/stack-config.ts";

export const VALIDATE_AGAINST_DEFAULT_RULES = "@aws-cdk/core:validateAgainstDefaultRules";

/** What the CDK would otherwise read from a developer's machine: the synth must not need any of it. */
const AWS_ENVIRONMENT = [
  "AWS_PROFILE",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "CDK_DEFAULT_ACCOUNT",
  "CDK_DEFAULT_REGION",
];

export interface Synthesized extends BuiltApp {
  template: Template;
  outdir: string;
  cleanup(): void;
}

export function testApp(options: { bundle: boolean; outdir?: string }): App {
  return new App({
    outdir: options.outdir,
    context: {
      [VALIDATE_AGAINST_DEFAULT_RULES]: true,
      // As the CDK CLI sets it: the template names each function's bundle folder.
      "aws:cdk:enable-asset-metadata": true,
      ...(options.bundle ? {} : { "aws:cdk:bundling-stacks": [] }),
    },
  });
}

export function synthSuite(config: StackConfig, options: { bundle: boolean }): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), "suite-synth-"));
  const saved = AWS_ENVIRONMENT.map((key) => [key, process.env[key]] as const);
  for (const key of AWS_ENVIRONMENT) delete process.env[key];
  try {
    const built = buildApp(testApp({ bundle: options.bundle, outdir }), config);
    return {
      ...built,
      template: Template.fromStack(built.stack),
      outdir,
      cleanup: () => rmSync(outdir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  } finally {
    for (const [key, value] of saved) if (value !== undefined) process.env[key] = value;
  }
}

export function config(
  overrides: Record<string, unknown> = {},
  settings: Record<string, unknown> = {},
): StackConfig {
  return parseStackConfig(
    {
      stackName: "SuiteUnderTest",
      ...overrides,
      settings: { appName: "Acme Notes", allowedEmailDomains: ["example.com"], ...settings },
    },
    "test config",
  );
}
