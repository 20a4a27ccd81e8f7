/**
 * The seven keys of a user pool's LambdaConfig the suite sets, sorted, written out here (not taken
 * from the construct) so that a template is checked against Cognito's names, not against itself.
 */
export const SUITE_LAMBDA_CONFIG_KEYS = [
  "CustomMessage",
  "PostAuthentication",
  "PostConfirmation",
  "PreAuthentication",
  "PreSignUp",
  "PreTokenGenerationConfig",
  "UserMigration",
];
