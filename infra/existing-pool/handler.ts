/**
 * The custom resource that attaches the suite's triggers to a user pool. Each request reads the pool
 * first and writes it back whole with only LambdaConfig (and the record tags) changed
 * (lambda-config-change.ts).
 *
 * Properties:
 * - UserPoolId; LambdaConfig: the suite's part of the pool's LambdaConfig.
 * - Mode: "attach" (default), for a pool this stack does not own: Create and Update set the triggers,
 *   Delete removes them. "detach-on-delete", for a pool the stack owns (CloudFormation's pool resource
 *   sets the triggers): Create and Update do nothing, Delete removes the triggers, so that a pool left
 *   behind by `cdk destroy` (deletion protection, retained) does not call deleted functions.
 * - ReplaceExistingTriggers: "true" to replace functions that are not the suite's under the keys it
 *   sets (recorded in pool tags and put back when the suite's triggers are removed); otherwise refused.
 * - RequiredAttributes: attributes the pool must have, e.g. ["custom:legacy_id"] for user migration.
 *
 * Checked at deploy time, because an imported pool cannot be read at synth time: the pool's region, its
 * attributes, its feature plan (pre token generation V2_0/V3_0), and foreign triggers.
 *
 * Physical id `<pool id>/cognito-trigger-suite`. An Update to another pool returns the new pool's id,
 * which CloudFormation takes for a replacement: it attaches to the new pool like a Create and leaves the
 * old one alone; CloudFormation then sends Delete for the old id, with the old properties, which
 * detaches the old pool (and puts back what the suite replaced there), after the deployment succeeded,
 * or for the new id when it rolls back. A Delete always acts on the pool of its own properties.
 */

import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  ResourceNotFoundException,
  UntagResourceCommand,
  UpdateUserPoolCommand,
  type UserPoolType,
} from "@aws-sdk/client-cognito-identity-provider";
import { type AttachmentMode, MODES } from "./attachment-mode.ts";
import { answer, type CustomResourceEvent } from "./cloudformation-response.ts";
import {
  featurePlanProblem,
  type LambdaConfig,
  lambdaConfigChange,
  type TriggerChange,
  TriggerChangeRefused,
} from "./lambda-config-change.ts";
import { missingAttributesProblem, regionProblem } from "./preconditions.ts";

let cognito: CognitoIdentityProviderClient | undefined;

export async function handler(event: CustomResourceEvent): Promise<void> {
  const userPoolId = String(event.ResourceProperties.UserPoolId);
  try {
    cognito ??= new CognitoIdentityProviderClient({});
    const physicalResourceId = await attach(cognito, event);
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
      // A failed Update keeps its id: a new one would read as a replacement.
      PhysicalResourceId: event.PhysicalResourceId ?? physicalIdOf(userPoolId),
    });
  }
}

export function physicalIdOf(userPoolId: string): string {
  return `${userPoolId}/cognito-trigger-suite`;
}

/**
 * Carries out one request and returns the physical id to answer with.
 * @param functionRegion where the suite's functions are (Lambda sets AWS_REGION)
 */
export async function attach(
  client: CognitoIdentityProviderClient,
  event: CustomResourceEvent,
  functionRegion: string | undefined = process.env.AWS_REGION,
): Promise<string> {
  const properties = event.ResourceProperties;
  const userPoolId = String(properties.UserPoolId);
  const own = lambdaConfigOf(properties);
  const log = (fields: Record<string, unknown>) =>
    console.log(
      JSON.stringify({ msg: "trigger attachment", requestType: event.RequestType, userPoolId, ...fields }),
    );

  if (event.RequestType === "Delete") {
    const physicalResourceId = event.PhysicalResourceId ?? physicalIdOf(userPoolId);
    // Create and Update refuse a pool of another region, so nothing was attached there; nor is there
    // anything left to undo on a pool that is gone.
    const pool = regionProblem(userPoolId, functionRegion)
      ? undefined
      : await describe(client, userPoolId, true);
    if (!pool) return physicalResourceId;
    const change = lambdaConfigChange(pool, {}, own);
    await write(client, pool, change);
    log({ physicalResourceId, ...summary(change) });
    return physicalResourceId;
  }

  const mode = modeOf(properties);
  const old = event.RequestType === "Update" ? event.OldResourceProperties : undefined;
  const samePool = old !== undefined && String(old.UserPoolId) === userPoolId;
  const physicalResourceId = samePool
    ? (event.PhysicalResourceId ?? physicalIdOf(userPoolId))
    : physicalIdOf(userPoolId);
  if (mode === "detach-on-delete") return physicalResourceId;

  const wrongRegion = regionProblem(userPoolId, functionRegion);
  if (wrongRegion) throw new Error(wrongRegion);
  const pool = await describe(client, userPoolId, false);
  if (!pool) throw new Error(`user pool ${userPoolId} not found`);
  // Another pool is attached to as a Create would: what the suite set on the old one is not here.
  const previouslySet = samePool && old ? lambdaConfigOf(old) : {};
  const problems = [
    missingAttributesProblem(pool, requiredAttributesOf(properties)),
    featurePlanProblem(pool, own),
  ].filter((problem) => problem !== undefined);
  let change: TriggerChange | undefined;
  try {
    change = lambdaConfigChange(pool, own, previouslySet, {
      replaceExisting:
        properties.ReplaceExistingTriggers === "true" || properties.ReplaceExistingTriggers === true,
    });
  } catch (error) {
    if (!(error instanceof TriggerChangeRefused)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0 || !change) {
    throw new Error(problems.map((problem) => (problem.endsWith(".") ? problem : `${problem}.`)).join(" "));
  }
  await write(client, pool, change);
  log({ physicalResourceId, ...summary(change) });
  return physicalResourceId;
}

async function write(client: CognitoIdentityProviderClient, pool: UserPoolType, change: TriggerChange) {
  // Nothing to change (e.g. a Delete of triggers someone has replaced since): leave the pool untouched.
  if (!change.changed) return;
  await client.send(new UpdateUserPoolCommand(change.request));
  if (change.droppedRecords.length === 0) return;
  // UpdateUserPool's UserPoolTags replaces the pool's tags; should a pool keep a dropped record anyway
  // (e.g. an empty UserPoolTags taken as "no change"), UntagResource removes it, so that no record
  // outlives the trigger it describes.
  const after = await describe(client, String(pool.Id), true);
  const left = change.droppedRecords.filter((key) => after?.UserPoolTags?.[key] !== undefined);
  if (left.length > 0 && pool.Arn) {
    await client.send(new UntagResourceCommand({ ResourceArn: pool.Arn, TagKeys: left }));
  }
}

/** What the change did, for the log: LambdaConfig keys only, never the pool's settings. */
function summary(change: TriggerChange) {
  return { changed: change.changed, replaced: change.replaced, restored: change.restored };
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

function modeOf(properties: Record<string, unknown>): AttachmentMode {
  const mode = properties.Mode ?? "attach";
  if ((MODES as readonly unknown[]).includes(mode)) return mode as AttachmentMode;
  throw new Error(`Mode must be one of ${MODES.join(", ")}, not ${JSON.stringify(mode)}`);
}

function requiredAttributesOf(properties: Record<string, unknown>): string[] {
  const required = properties.RequiredAttributes;
  return Array.isArray(required) ? required.map(String) : [];
}
