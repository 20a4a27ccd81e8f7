/**
 * The custom resource that attaches the suite's triggers to a user pool this stack does not own
 * (imported by id). Create and Update set the triggers, Delete removes them; each reads the pool first
 * and writes it back whole with only LambdaConfig changed (lambda-config-change.ts). The pool's feature
 * plan is checked here, at deploy time, because an imported pool's plan is unknown at synth time.
 *
 * Properties: UserPoolId, LambdaConfig (the suite's part of it).
 */

import { isDeepStrictEqual } from "node:util";
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  ResourceNotFoundException,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { answer, type CustomResourceEvent } from "./cloudformation-response.ts";
import { featurePlanProblem, type LambdaConfig, lambdaConfigChange } from "./lambda-config-change.ts";

let cognito: CognitoIdentityProviderClient | undefined;

export async function handler(event: CustomResourceEvent): Promise<void> {
  const userPoolId = String(event.ResourceProperties.UserPoolId);
  const physicalResourceId = event.PhysicalResourceId ?? `${userPoolId}/cognito-trigger-suite`;
  try {
    cognito ??= new CognitoIdentityProviderClient({});
    await attach(cognito, event);
    await answer(event, { Status: "SUCCESS", PhysicalResourceId: physicalResourceId });
  } catch (error) {
    console.error(
      JSON.stringify({
        msg: "trigger attachment failed",
        requestType: event.RequestType,
        userPoolId,
        error: String(error),
      }),
    );
    await answer(event, {
      Status: "FAILED",
      Reason: (error as Error).message,
      PhysicalResourceId: physicalResourceId,
    });
  }
}

export async function attach(
  client: CognitoIdentityProviderClient,
  event: CustomResourceEvent,
): Promise<void> {
  const userPoolId = String(event.ResourceProperties.UserPoolId);
  const own = lambdaConfigOf(event.ResourceProperties);
  // A Delete after a failed Create, or of a pool that is gone, has nothing left to undo.
  const pool = await describe(client, userPoolId, event.RequestType === "Delete");
  if (!pool) return;

  let wanted: LambdaConfig = own;
  let previouslySet: LambdaConfig = {};
  if (event.RequestType === "Delete") {
    wanted = {};
    previouslySet = own;
  } else if (event.RequestType === "Update" && event.OldResourceProperties?.UserPoolId === userPoolId) {
    previouslySet = lambdaConfigOf(event.OldResourceProperties);
  }
  const problem = featurePlanProblem(pool, wanted);
  if (problem) throw new Error(problem);
  const update = lambdaConfigChange(pool, wanted, previouslySet);
  // Nothing to change (e.g. a Delete of triggers someone has replaced since): leave the pool untouched.
  if (isDeepStrictEqual(update.LambdaConfig, pool.LambdaConfig ?? {})) return;
  await client.send(new UpdateUserPoolCommand(update));
}

async function describe(client: CognitoIdentityProviderClient, userPoolId: string, missingIsFine: boolean) {
  try {
    const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
    return UserPool;
  } catch (error) {
    if (missingIsFine && error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

function lambdaConfigOf(properties: Record<string, unknown>): LambdaConfig {
  const config = properties.LambdaConfig;
  return typeof config === "object" && config !== null ? (config as LambdaConfig) : {};
}
