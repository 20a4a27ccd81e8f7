/**
 * What the construct reads back from a user pool defined in the same CDK app: whether it is one (rather
 * than a pool imported by id), its feature plan and how it sends email. The facts are read from the
 * synthesized CloudFormation properties, so they reflect escape hatches and defaults applied after the
 * pool was constructed.
 *
 * Nothing here asks `instanceof cognito.UserPool`: a consumer's app may use another copy of aws-cdk-lib
 * than the one the suite imports (another version installed beside it), and its pools are then no
 * instances of this copy's class. Such a pool would pass for an imported one: attached a second time by
 * the custom resource, its feature plan never checked. CDK's own checks (`Resource.isOwnedResource`,
 * `CfnResource.isCfnResource`) work across copies, and so does calling what the pool has.
 */
import { CfnResource, Resource, Stack } from "aws-cdk-lib";
import type * as cognito from "aws-cdk-lib/aws-cognito";
import type { CfnUserPool } from "aws-cdk-lib/aws-cognito";
import type * as lambda from "aws-cdk-lib/aws-lambda";

/** The CloudFormation type of a user pool; the default child of every UserPool of an app. */
const USER_POOL_TYPE = "AWS::Cognito::UserPool";

/** A user pool of this app, as much of it as the construct uses; from any copy of aws-cdk-lib. */
export interface OwnedUserPool extends cognito.IUserPool {
  addTrigger(
    operation: cognito.UserPoolOperation,
    fn: lambda.IFunction,
    lambdaVersion?: cognito.LambdaVersion,
  ): void;
}

/**
 * The pool, when it is a pool of this app: a resource with its own AWS::Cognito::UserPool beneath it
 * (not imported by id) that can take triggers. Undefined for an imported pool.
 */
export function ownedUserPool(userPool: cognito.IUserPool): OwnedUserPool | undefined {
  if (!Resource.isOwnedResource(userPool)) return undefined;
  const resource = userPool.node.defaultChild;
  if (!CfnResource.isCfnResource(resource) || resource.cfnResourceType !== USER_POOL_TYPE) return undefined;
  return typeof (userPool as Partial<OwnedUserPool>).addTrigger === "function"
    ? (userPool as OwnedUserPool)
    : undefined;
}

/** The pool's CloudFormation resource (ownedUserPool made sure there is one). */
export function cfnUserPool(userPool: OwnedUserPool): CfnUserPool {
  return userPool.node.defaultChild as CfnUserPool;
}

/** The pool's UserPoolTier (LITE, ESSENTIALS, PLUS) as written in the template, or undefined when unset. */
export function userPoolTier(userPool: OwnedUserPool): string | undefined {
  return Stack.of(userPool).resolve(cfnUserPool(userPool).userPoolTier) as string | undefined;
}

/** Whether the pool sends its email through SES (EmailSendingAccount DEVELOPER). */
export function sendsEmailThroughSes(userPool: OwnedUserPool): boolean {
  const email = Stack.of(userPool).resolve(cfnUserPool(userPool).emailConfiguration) as
    | { EmailSendingAccount?: string; emailSendingAccount?: string }
    | undefined;
  return (email?.EmailSendingAccount ?? email?.emailSendingAccount) === "DEVELOPER";
}

/** The pool's alias attributes (email, phone_number, preferred_username), empty when it has none. */
export function aliasAttributes(userPool: OwnedUserPool): string[] {
  const aliases = Stack.of(userPool).resolve(cfnUserPool(userPool).aliasAttributes) as string[] | undefined;
  return aliases ?? [];
}
