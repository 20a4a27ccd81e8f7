/**
 * What the construct reads back from a user pool defined in the same CDK app: its feature plan and how
 * it sends email. Both are read from the synthesized CloudFormation properties, so they reflect escape
 * hatches and defaults applied after the pool was constructed.
 */
import { Stack } from "aws-cdk-lib";
import type * as cognito from "aws-cdk-lib/aws-cognito";
import type { CfnUserPool } from "aws-cdk-lib/aws-cognito";

function cfnPool(userPool: cognito.UserPool): CfnUserPool {
  return userPool.node.defaultChild as CfnUserPool;
}

/** The pool's UserPoolTier (LITE, ESSENTIALS, PLUS) as written in the template, or undefined when unset. */
export function userPoolTier(userPool: cognito.UserPool): string | undefined {
  return Stack.of(userPool).resolve(cfnPool(userPool).userPoolTier) as string | undefined;
}

/** Whether the pool sends its email through SES (EmailSendingAccount DEVELOPER). */
export function sendsEmailThroughSes(userPool: cognito.UserPool): boolean {
  const email = Stack.of(userPool).resolve(cfnPool(userPool).emailConfiguration) as
    | { EmailSendingAccount?: string; emailSendingAccount?: string }
    | undefined;
  return (email?.EmailSendingAccount ?? email?.emailSendingAccount) === "DEVELOPER";
}

/** The pool's alias attributes (email, phone_number, preferred_username), empty when it has none. */
export function aliasAttributes(userPool: cognito.UserPool): string[] {
  const aliases = Stack.of(userPool).resolve(cfnPool(userPool).aliasAttributes) as string[] | undefined;
  return aliases ?? [];
}
