/**
 * The policy checks every synth runs (build-app.ts). A finding of either fails the synth unless the
 * construct it names acknowledges the rule with a reason (`Validations.of(scope).acknowledge`).
 * - cdk-nag's AWS Solutions checks;
 * - the AWS Control Tower proactive controls as CloudFormation Guard rules
 *   (`@cdklabs/cdk-validator-cfnguard`, which ships the cfn-guard binary).
 */
import { CfnGuardValidator } from "@cdklabs/cdk-validator-cfnguard";
import type {
  App,
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
} from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";

export function policyValidationPlugins(app: App): IPolicyValidationPlugin[] {
  return [new AwsSolutionsChecks(app), new ControlTowerRules()];
}

/**
 * CfnGuardValidator with the Control Tower rules, its findings marked as errors. The plugin reports
 * violations without a severity; once any rule of the app is acknowledged, aws-cdk-lib re-derives a
 * report's success from its violations' severities, and a violation without one then counts as
 * passing: an unacknowledged Control Tower finding would no longer fail the synth.
 * test/infra/policy-checks.test.ts proves that it does.
 */
class ControlTowerRules implements IPolicyValidationPlugin {
  private readonly guard = new CfnGuardValidator({ controlTowerRulesEnabled: true });
  readonly name = this.guard.name;
  readonly version = this.guard.version;
  readonly ruleIds = this.guard.ruleIds;

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = this.guard.validate(context);
    return {
      ...report,
      violations: report.violations.map((violation) => ({
        ...violation,
        severity: violation.severity ?? "error",
      })),
    };
  }
}
