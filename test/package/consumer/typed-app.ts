// The same app in TypeScript: the package's declarations type the construct, its props and settings.
import { App, RemovalPolicy, Stack } from "aws-cdk-lib";
import * as cognito from "aws-cdk-lib/aws-cognito";
import * as iam from "aws-cdk-lib/aws-iam";
import {
  CognitoTriggerSuite,
  type CognitoTriggerSuiteProps,
  type PolicyAcknowledgment,
  type TriggerSuiteSettings,
} from "cognito-trigger-suite";

const app = new App();
const stack = new Stack(app, "Typed");
const userPool = new cognito.UserPool(stack, "UserPool", { featurePlan: cognito.FeaturePlan.ESSENTIALS });
const settings: TriggerSuiteSettings = { appName: "Consumer Notes", allowedEmailDomains: ["example.com"] };
const props: CognitoTriggerSuiteProps = {
  userPool,
  settings,
  removalPolicy: RemovalPolicy.RETAIN,
  functionOverrides: { "user-migration": { memorySize: 2048, environment: { TEAM: "identity" } } },
};
const suite = new CognitoTriggerSuite(stack, "Triggers", props);
const grant: iam.Grant = suite.grantReadAuditTrail(
  new iam.Role(stack, "Reviewers", { assumedBy: new iam.AccountRootPrincipal() }),
);
const acknowledged: readonly PolicyAcknowledgment[] = suite.policyAcknowledgments;
const tableName: string = suite.auditTable.table.tableName;
// @ts-expect-error: settings are typed; a misspelt key is a compile error, not a surprise at deploy time
new CognitoTriggerSuite(stack, "Misspelt", { userPool, settings: { ...settings, autoConfirmm: true } });

// @ts-expect-error: overrides are per trigger, by the triggers' names
new CognitoTriggerSuite(stack, "Unknown", { userPool, settings, functionOverrides: { "pre-signup": {} } });

export { acknowledged, grant, tableName };
