// A CDK app of a consumer, in plain JavaScript (ES modules): its own user pool, the suite attached.
import { App, Duration, Stack, Validations } from "aws-cdk-lib";
import * as cognito from "aws-cdk-lib/aws-cognito";
import * as iam from "aws-cdk-lib/aws-iam";
import { AwsSolutionsChecks } from "cdk-nag";
import { CognitoTriggerSuite } from "cognito-trigger-suite";

const app = new App();
const stack = new Stack(app, "OwnedPool");
const userPool = new cognito.UserPool(stack, "UserPool", {
  featurePlan: cognito.FeaturePlan.ESSENTIALS,
  selfSignUpEnabled: true,
  signInAliases: { email: true },
  standardAttributes: { email: { required: true }, nickname: { required: true, mutable: true } },
  customAttributes: { legacy_id: new cognito.StringAttribute({ mutable: true }) },
  passwordPolicy: {
    minLength: 12,
    requireLowercase: true,
    requireUppercase: true,
    requireDigits: true,
    requireSymbols: true,
    tempPasswordValidity: Duration.days(3),
  },
  mfa: cognito.Mfa.REQUIRED,
  mfaSecondFactor: { otp: true, sms: false },
});
// The app's own finding on its own pool (the test proves cdk-nag is live by leaving it out).
if (!process.env.WITHOUT_POOL_ACKNOWLEDGMENT) {
  Validations.of(userPool).acknowledge({
    id: "AwsSolutions-COG8",
    reason: "ESSENTIALS is enough for access-token customisation; threat protection is decided elsewhere.",
  });
}

const suite = new CognitoTriggerSuite(stack, "Triggers", {
  userPool,
  settings: {
    appName: "Consumer Notes",
    allowedEmailDomains: ["example.com"],
    claimsConfig: { keepGroups: true },
  },
});
// Security reviewers read the audit trail.
const reviewers = new iam.Role(stack, "Reviewers", { assumedBy: new iam.AccountRootPrincipal() });
suite.grantReadAuditTrail(reviewers);

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
