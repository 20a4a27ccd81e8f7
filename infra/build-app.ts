/**
 * Builds the CDK app: the deployment configuration comes from the JSON file named by the context value
 * `config` (cdk.json points at the example; pass your own with `-c config=path/to/file.json`). Three
 * policy checks run on every synth, and a finding of any fails it unless acknowledged with a reason:
 * - cdk-nag's AWS Solutions checks;
 * - the AWS Control Tower proactive controls, as CloudFormation Guard rules (cdk-validator-cfnguard,
 *   which ships the cfn-guard binary);
 * - the CloudFormation validator built into aws-cdk-lib, whose findings are errors through the
 *   `@aws-cdk/core:validateAgainstDefaultRules` flag (cdk.json).
 */
import { App, Validations } from "aws-cdk-lib";
import { policyValidationPlugins } from "./policy-validation.ts";
import { loadStackConfig, type StackConfig } from "./stack-config.ts";
import { CognitoTriggerSuiteStack } from "./suite-stack.ts";

export const DEFAULT_CONFIG_PATH = "infra/config/example.json";

export interface BuiltApp {
  app: App;
  stack: CognitoTriggerSuiteStack;
}

/** `config` overrides the file (tests pass one directly). */
export function buildApp(app: App = new App(), config?: StackConfig): BuiltApp {
  const effective =
    config ?? loadStackConfig(String(app.node.tryGetContext("config") ?? DEFAULT_CONFIG_PATH));
  const stack = new CognitoTriggerSuiteStack(app, effective.stackName, {
    config: effective,
    description: "Amazon Cognito user pool with the cognito-trigger-suite triggers",
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(...policyValidationPlugins(app));
  return { app, stack };
}
