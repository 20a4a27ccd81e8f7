// A CDK app of a consumer, in plain JavaScript (CommonJS, as `cdk init --language javascript` writes
// it): a pool created elsewhere, imported by id; the suite attaches to it through a custom resource.
const { App, Stack, Validations } = require("aws-cdk-lib");
const cognito = require("aws-cdk-lib/aws-cognito");
const { AwsSolutionsChecks } = require("cdk-nag");
const { CognitoTriggerSuite } = require("cognito-trigger-suite");

const app = new App();
const stack = new Stack(app, "ExistingPool", { env: { account: "111122223333", region: "eu-west-1" } });
const userPool = cognito.UserPool.fromUserPoolId(stack, "UserPool", "eu-west-1_AbCdEf123");

new CognitoTriggerSuite(stack, "Triggers", {
  userPool,
  settings: {
    appName: "Consumer Notes",
    allowedEmailDomains: ["example.com"],
    ipAllowlist: ["198.51.100.0/24"],
  },
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
