/**
 * Bundled into each trigger's warm build beside its trigger.ts (code splitting shares their modules),
 * so that the warm runner reaches the very SDK client classes the handler's clients are made from and
 * can count their requests with SDK middleware (runners/sdk-requests.ts), whichever instance sends
 * them: the custom senders make theirs on first use, one per region of their key or pool.
 */
export { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
export { DynamoDBClient } from "@aws-sdk/client-dynamodb";
export { KMSClient } from "@aws-sdk/client-kms";
export { SESClient } from "@aws-sdk/client-ses";
export { SNSClient } from "@aws-sdk/client-sns";
