/**
 * `replay --live` runs the handlers with their real AWS clients. Before any sample runs, the region and
 * the credentials are resolved the way those clients resolve them (the SDK's default chains: AWS_REGION,
 * AWS_PROFILE, ~/.aws, SSO, container and instance roles), so that a missing one is one line and exit
 * 2, never a run of samples that each fail or, worse, pass without AWS having been called.
 *
 * What the handlers really wrote or sent is not read back: with --live, a sample's `effects` are not
 * checked (EFFECTS_NOT_CHECKED), and samples that expect effects are reported as unchecked.
 *
 * A custom sender's sample whose code was encrypted under the local KMS stand-in's key is not run at
 * all (notReplayableLive): no real KMS key can decrypt it, so a live run could only record a failed
 * send, and the unchanged event it returns would read as a pass.
 */
import { isRecord } from "../../triggers/lib/events.ts";
import { STAND_IN_KEY_ARN } from "../kms-stand-in.ts";
import { UsageError } from "../usage-error.ts";
import type { Sample } from "./samples.ts";

export const EFFECTS_NOT_CHECKED =
  "effects are not checked with --live: results are compared, what the handlers wrote to DynamoDB or sent with SES is not";

/** Throws a UsageError (one line, exit 2) when the SDK finds no region or no credentials. */
export async function assertLiveAwsAccess(): Promise<void> {
  // Loaded here, so that an offline replay never loads the SDK for this check.
  const { DynamoDBClient } = await import("@aws-sdk/client-dynamodb");
  const client = new DynamoDBClient({});
  try {
    try {
      const region = await client.config.region();
      if (!region) throw new Error("Region is missing");
    } catch {
      throw new UsageError(
        "replay --live needs an AWS region: set AWS_REGION, or AWS_PROFILE to a profile with a region",
      );
    }
    try {
      await client.config.credentials();
    } catch {
      throw new UsageError(
        "replay --live found no AWS credentials: set AWS_PROFILE, run `aws sso login`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
      );
    }
  } finally {
    client.destroy();
  }
}

/** Why `sample` is not replayed with --live, or undefined when it is. */
export function notReplayableLive(sample: Sample): string | undefined {
  if (sample.trigger !== "custom-email-sender" && sample.trigger !== "custom-sms-sender") return undefined;
  const code = isRecord(sample.event.request) ? sample.event.request.code : undefined;
  if (typeof code !== "string") return undefined;
  // An Encryption SDK message names, in its header, the key ARN that wrapped its data key.
  if (!Buffer.from(code, "base64").includes(STAND_IN_KEY_ARN)) return undefined;
  return `not replayed with --live: its code is encrypted under the local KMS stand-in's key (${STAND_IN_KEY_ARN}), which no real KMS key can decrypt; replay it without --live, or replay with --live an event your own pool's sender received`;
}
