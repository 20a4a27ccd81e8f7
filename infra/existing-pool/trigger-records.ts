/**
 * The record of the triggers the suite replaced on a pool, kept in the pool's own tags so that any later
 * request can read it: CloudFormation gives a Delete the resource's properties, never what its Create
 * found, and the Delete after a failed Create or a replacement may run in another deployment. The tags
 * are written in the same UpdateUserPool call as the LambdaConfig change, so the record and the change
 * never exist one without the other.
 *
 * One tag per replaced LambdaConfig key:
 * - `cognito-trigger-suite:replaced:<Key>` = the function's ARN (PreSignUp, CustomMessage, ...);
 * - `cognito-trigger-suite:replaced:<Key>` = `<LambdaVersion> <LambdaArn>` for the versioned keys
 *   (PreTokenGenerationConfig, InboundFederation, CustomEmailSender, CustomSMSSender);
 * - `cognito-trigger-suite:replaced:PreTokenGeneration` = the flat (V1) key's ARN, recorded on its own;
 * - `cognito-trigger-suite:replaced:KMSKeyID` = the custom senders' key ARN.
 */

export const RECORD_TAG_PREFIX = "cognito-trigger-suite:replaced:";

/** What a user pool tag value may hold (Cognito's pattern and limit). */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const MAX_TAG_VALUE_LENGTH = 256;
/** Tags a user pool can have; tags whose key starts with `aws:` do not count. */
export const MAX_USER_POOL_TAGS = 50;

/** The LambdaConfig keys whose value is `{ LambdaArn, LambdaVersion }` rather than an ARN. */
export const VERSIONED_KEYS: ReadonlySet<string> = new Set([
  "PreTokenGenerationConfig",
  "InboundFederation",
  "CustomEmailSender",
  "CustomSMSSender",
]);

export function recordTagKey(slot: string): string {
  return `${RECORD_TAG_PREFIX}${slot}`;
}

/** The tag value recording a LambdaConfig entry, or undefined when the entry has no function ARN. */
export function encodeRecord(slot: string, value: unknown): string | undefined {
  if (VERSIONED_KEYS.has(slot)) {
    const config = value as { LambdaArn?: unknown; LambdaVersion?: unknown } | undefined;
    if (typeof config?.LambdaArn !== "string") return undefined;
    return `${typeof config.LambdaVersion === "string" ? config.LambdaVersion : "V1_0"} ${config.LambdaArn}`;
  }
  return typeof value === "string" ? value : undefined;
}

/** The LambdaConfig entry a tag value records; undefined for a value this code did not write. */
export function decodeRecord(slot: string, tagValue: string | undefined): unknown {
  if (tagValue === undefined || tagValue === "") return undefined;
  if (VERSIONED_KEYS.has(slot)) {
    const match = /^(\S+) (\S+)$/.exec(tagValue);
    return match ? { LambdaVersion: match[1], LambdaArn: match[2] } : undefined;
  }
  return tagValue;
}

/** Why a value cannot be a user pool tag value, if it cannot. */
export function tagValueProblem(value: string): string | undefined {
  if (value.length > MAX_TAG_VALUE_LENGTH) return `it is ${value.length} characters long`;
  if (!TAG_VALUE.test(value)) {
    const bad = [...new Set([...value].filter((c) => !TAG_VALUE.test(c)))].join("");
    return `it contains ${JSON.stringify(bad)}`;
  }
  return undefined;
}

/** The tags that count towards the 50-tag limit. */
export function countedTags(tags: Record<string, string>): number {
  return Object.keys(tags).filter((key) => !key.startsWith("aws:")).length;
}
