/**
 * The KMS key a user pool encrypts the codes and temporary passwords it hands its custom senders with
 * (LambdaConfig.KMSKeyID). What the Cognito Developer Guide requires of it ("Activating the custom
 * SMS sender Lambda trigger" and the custom email sender's page):
 * - a symmetric encryption key;
 * - a key policy statement that lets the Cognito service principal `cognito-idp.amazonaws.com` create a
 *   grant on it (`kms:CreateGrant`, the one action the guide lists), under the conditions
 *   `aws:SourceAccount` (StringEquals) and `aws:SourceArn` (ArnLike, the pool's ARN), so that Cognito
 *   uses it for this pool only, on this account's behalf;
 * - `kms:Decrypt` for the senders' roles (granted by the construct, on this key only). The guide
 *   documents no encryption context, so the decrypt grant has no condition on one.
 *
 * For a pool of the same app the key policy cannot name the pool's own ARN: the pool names the key
 * (KMSKeyID), so the key naming the pool would close a dependency cycle that CloudFormation refuses. It
 * names the pools of this account and region instead (`userpool/*`); only a principal of the account
 * that may configure a pool's KMSKeyID could point another pool at the key, and that pool could then
 * only encrypt with it: decrypting stays with the senders' roles. A pool imported by id is named exactly.
 *
 * The new key rotates, and is retained by default like the rest of the suite's state; codes are
 * short-lived, so DESTROY costs nothing but the key (a message in flight then fails to decrypt).
 */
import { RemovalPolicy, Stack } from "aws-cdk-lib";
import type * as cognito from "aws-cdk-lib/aws-cognito";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";
import { denyGrantsExceptForAwsServices } from "./kms-grant-guard.ts";

export interface CustomSenderKeyProps {
  /**
   * What happens to the key when it leaves the stack (DESTROY schedules its deletion, after KMS's
   * waiting period).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class CustomSenderKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: CustomSenderKeyProps = {}) {
    super(scope, id);
    this.key = new kms.Key(this, "Key", {
      description: "Encrypts the codes the Cognito user pool hands the trigger suite's custom senders",
      keySpec: kms.KeySpec.SYMMETRIC_DEFAULT,
      keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    denyGrantsExceptForAwsServices(this.key);
  }
}

/**
 * The key policy statement of the file comment.
 * @param poolOfThisApp the pool is defined in the same app (its ARN cannot be named: see above)
 */
export function cognitoEncryptsCodesStatement(
  scope: Construct,
  userPool: cognito.IUserPool,
  poolOfThisApp: boolean,
): iam.PolicyStatement {
  const stack = Stack.of(scope);
  return new iam.PolicyStatement({
    sid: "CognitoEncryptsCodesOfTheUserPool",
    principals: [new iam.ServicePrincipal("cognito-idp.amazonaws.com")],
    actions: ["kms:CreateGrant"],
    resources: ["*"],
    conditions: {
      StringEquals: { "aws:SourceAccount": stack.account },
      ArnLike: {
        "aws:SourceArn": poolOfThisApp
          ? stack.formatArn({ service: "cognito-idp", resource: "userpool", resourceName: "*" })
          : userPool.userPoolArn,
      },
    },
  });
}
