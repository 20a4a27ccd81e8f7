/**
 * Cognito waits 5 s for a trigger and may retry. Every AWS operation (with its retry) gets at most
 * this long, so that a handler always answers within about 3 s. Kept apart from aws-clients.ts so
 * that code which only needs the number does not load the AWS SDK.
 */
export const AWS_CALL_BUDGET_MS = 2_500;
