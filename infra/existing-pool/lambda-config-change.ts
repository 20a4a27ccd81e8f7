/**
 * The UpdateUserPool request that changes only a pool's triggers (and the tags that record what the
 * suite replaced). UpdateUserPool resets every setting it is not given to its default, so the request
 * repeats everything DescribeUserPool reports that the API can update, and changes LambdaConfig and
 * UserPoolTags alone:
 * - the suite's triggers are set. A key that holds a function that is not the suite's (neither what the
 *   suite sets now nor what it set before) is refused, unless replacing is allowed: then the function
 *   found there is recorded in a pool tag (trigger-records.ts) by the same request;
 * - triggers the suite set before and no longer wants are removed, but only while they still point at
 *   the suite's function (a trigger someone changed since then is theirs); what the suite had replaced
 *   there is put back from its record. Either way the record is dropped;
 * - every other trigger of the pool is kept as it is.
 *
 * Pre token generation lives in two keys: PreTokenGenerationConfig and the flat (V1) PreTokenGeneration,
 * which Cognito reports beside it with the same ARN. Both count as the one trigger: each is checked,
 * recorded and removed with it, so that no flat key is left pointing at a function the suite deleted.
 *
 * The custom senders (CustomEmailSender, CustomSMSSender) share the pool's one KMSKeyID, the key their
 * codes are encrypted with: a sender works only with the key its function may decrypt with. So the
 * three are one unit, and a pool never keeps a sender without a key, or the suite's key without a
 * sender:
 * - the suite sets its senders only together with its key (a request with one and not the other is
 *   refused);
 * - while the suite has senders on the pool, every custom sender and key of the pool that is not the
 *   suite's is in the way, also a sender under a key the suite does not set (its codes would then be
 *   encrypted with the suite's key, which it cannot decrypt): refused, or with replacing allowed,
 *   recorded and replaced or removed; those records stay while the suite has any sender there;
 * - when the suite's last sender goes, the unit is put back from the records; a sender someone set
 *   since keeps the key it was set with.
 */

import { isDeepStrictEqual } from "node:util";
import type {
  LambdaConfigType,
  UpdateUserPoolCommandInput,
  UserPoolType,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  countedTags,
  decodeRecord,
  encodeRecord,
  MAX_USER_POOL_TAGS,
  RECORD_TAG_PREFIX,
  recordTagKey,
  tagValueProblem,
  VERSIONED_KEYS,
} from "./trigger-records.ts";

/** What DescribeUserPool returns and UpdateUserPool takes back (PoolName is `Name` in the description). */
const UPDATABLE = [
  "Policies",
  "DeletionProtection",
  "AutoVerifiedAttributes",
  "SmsVerificationMessage",
  "EmailVerificationMessage",
  "EmailVerificationSubject",
  "VerificationMessageTemplate",
  "SmsAuthenticationMessage",
  "UserAttributeUpdateSettings",
  "MfaConfiguration",
  "DeviceConfiguration",
  "EmailConfiguration",
  "SmsConfiguration",
  "UserPoolTags",
  "AdminCreateUserConfig",
  "UserPoolAddOns",
  "AccountRecoverySetting",
  "UserPoolTier",
  "KeyConfiguration",
  "IssuerConfiguration",
  "AcrConfiguration",
] as const satisfies readonly (keyof UserPoolType & keyof UpdateUserPoolCommandInput)[];

export type LambdaConfig = LambdaConfigType;

const CONFIG = "PreTokenGenerationConfig";
const FLAT = "PreTokenGeneration";
const SENDERS = ["CustomEmailSender", "CustomSMSSender"] as const;
const SENDER_KEY = "KMSKeyID";
/** The custom senders and their key: one unit (see the file comment). */
const SENDER_UNIT: readonly string[] = [...SENDERS, SENDER_KEY];

export interface TriggerChangeOptions {
  /** Replace (and record) functions that are not the suite's under the keys it sets. @default false */
  readonly replaceExisting?: boolean;
}

export interface TriggerChange {
  /** The whole-pool write-back; it equals the pool's state when `changed` is false. */
  readonly request: UpdateUserPoolCommandInput;
  /** Whether the request changes LambdaConfig or the tags (nothing to send otherwise). */
  readonly changed: boolean;
  /** LambdaConfig keys whose function (not the suite's) is replaced and recorded. */
  readonly replaced: string[];
  /** LambdaConfig keys put back from their record. */
  readonly restored: string[];
  /** Record tags the request removes. */
  readonly droppedRecords: string[];
}

/** The suite would replace triggers it may not, or cannot record them: nothing may be written. */
export class TriggerChangeRefused extends Error {
  override readonly name = "TriggerChangeRefused";
  constructor(readonly problems: string[]) {
    super(problems.join(" "));
  }
}

export function lambdaConfigChange(
  pool: UserPoolType,
  wanted: LambdaConfig,
  previouslySet: LambdaConfig = {},
  options: TriggerChangeOptions = {},
): TriggerChange {
  const before: Record<string, unknown> = { ...(pool.LambdaConfig ?? {}) };
  const config: Record<string, unknown> = { ...before };
  const tagsBefore: Record<string, string> = { ...(pool.UserPoolTags ?? {}) };
  const tags: Record<string, string> = { ...tagsBefore };
  const wantedConfig = wanted as Record<string, unknown>;
  const previousConfig = previouslySet as Record<string, unknown>;
  const replaced: string[] = [];
  const restored: string[] = [];
  const foreign: { slot: string; arn: string }[] = [];
  const newRecords: string[] = [];
  const unitProblem = Object.keys(wantedConfig).length > 0 ? senderUnitProblem(wantedConfig) : undefined;
  if (unitProblem) throw new TriggerChangeRefused([unitProblem]);
  const wantsSenders = SENDER_UNIT.some((slot) => slot in wantedConfig);
  const hadSenders = SENDER_UNIT.some((slot) => slot in previousConfig);

  // The suite's functions for a key: what it sets now and what it set before (e.g. under another name).
  const oursFor = (key: string) =>
    new Set([arnAt(wantedConfig, key), arnAt(previousConfig, key)].filter((arn) => arn !== undefined));
  const isOurs = (ours: Set<string>, slot: string) => {
    const arn = arnAt(before, slot);
    return arn !== undefined && ours.has(arn);
  };

  /** Puts back what the record of a slot says was there, or empties the slot without a record. */
  const putBack = (slot: string) => {
    const record = decodeRecord(slot, tagsBefore[recordTagKey(slot)]);
    if (record === undefined) delete config[slot];
    else {
      config[slot] = record;
      restored.push(slot);
    }
  };
  /** Records the function (or key) found in a slot, which the request then replaces or removes. */
  const recordForeign = (slot: string, arn: string) => {
    foreign.push({ slot, arn });
    tags[recordTagKey(slot)] = encodeRecord(slot, before[slot]) as string;
    newRecords.push(slot);
    replaced.push(slot);
  };

  for (const key of Object.keys(previousConfig)) {
    if (key in wantedConfig || SENDER_UNIT.includes(key)) continue;
    const ours = oursFor(key);
    const held = isOurs(ours, key);
    for (const slot of slotsOf(key)) {
      // A slot the pool does not report (the flat key where Cognito does not mirror) follows its key.
      if (isOurs(ours, slot) || (before[slot] === undefined && held)) putBack(slot);
      delete tags[recordTagKey(slot)];
    }
  }

  if (hadSenders && !wantsSenders) {
    // The suite's last sender goes: the unit is put back as the records say, except that a sender
    // someone set since keeps the key it was set with.
    const setSince = SENDERS.some((slot) => {
      const arn = arnAt(before, slot);
      return arn !== undefined && !oursFor(slot).has(arn);
    });
    for (const slot of SENDER_UNIT) {
      const arn = arnAt(before, slot);
      const keep = arn !== undefined && (!oursFor(slot).has(arn) || (slot === SENDER_KEY && setSince));
      if (!keep) putBack(slot);
      delete tags[recordTagKey(slot)];
    }
  }

  for (const [key, value] of Object.entries(wantedConfig)) {
    const ours = oursFor(key);
    const held = isOurs(ours, key);
    for (const slot of slotsOf(key)) {
      const arn = arnAt(before, slot);
      if (arn !== undefined && !ours.has(arn)) recordForeign(slot, arn);
      else if (!held && !(hadSenders && SENDER_UNIT.includes(slot))) {
        // Nothing of the suite's was there: an older record describes nothing the suite replaced (but
        // the unit's records stay while the suite has senders on the pool).
        delete tags[recordTagKey(slot)];
      }
    }
    config[key] = value;
    // A flat PreTokenGeneration beside PreTokenGenerationConfig can keep the pool on V1_0.
    if (key === CONFIG) delete config[FLAT];
  }

  if (wantsSenders) {
    // A sender the suite does not set cannot stay beside the suite's key; one the suite set before is
    // removed, its record (if any) kept for when the suite's last sender goes.
    for (const slot of SENDERS) {
      if (slot in wantedConfig) continue;
      const arn = arnAt(before, slot);
      if (arn !== undefined && !oursFor(slot).has(arn)) recordForeign(slot, arn);
      else if (arn === undefined && !hadSenders) delete tags[recordTagKey(slot)];
      delete config[slot];
    }
  }
  // For a pool someone changed meanwhile: the suite never leaves its key without a sender.
  if (!SENDERS.some((slot) => config[slot] !== undefined)) {
    const key = arnAt(config, SENDER_KEY);
    if (key !== undefined && oursFor(SENDER_KEY).has(key)) delete config[SENDER_KEY];
  }

  if (foreign.length > 0 && !options.replaceExisting) {
    throw new TriggerChangeRefused([refusal(pool.Id, foreign)]);
  }
  const senderWithoutKey = (entries: Record<string, unknown>) =>
    SENDERS.some((slot) => entries[slot] !== undefined) && entries[SENDER_KEY] === undefined;
  if (senderWithoutKey(config) && !senderWithoutKey(before)) {
    throw new TriggerChangeRefused([
      `User pool ${pool.Id} would be left with a custom sender but no ${SENDER_KEY} to encrypt its codes with; set the pool's ${SENDER_KEY} or remove its custom senders first.`,
    ]);
  }
  const tagProblems = newRecords.flatMap((slot) => {
    const value = tags[recordTagKey(slot)] as string;
    const problem = tagValueProblem(value);
    return problem
      ? [
          `The ${slot} trigger of user pool ${pool.Id}, ${arnAt(before, slot)}, cannot be recorded in a user pool tag (${problem}; a tag value takes at most 256 letters, digits, spaces and _.:/=+-@): change or remove it on the pool first.`,
        ]
      : [];
  });
  if (countedTags(tags) > MAX_USER_POOL_TAGS && countedTags(tags) > countedTags(tagsBefore)) {
    tagProblems.push(
      `User pool ${pool.Id} has ${countedTags(tagsBefore)} tags; recording the ${newRecords.length} triggers the suite replaces needs ${countedTags(tags) - countedTags(tagsBefore)} more and a user pool takes at most ${MAX_USER_POOL_TAGS}: remove some of its tags first.`,
    );
  }
  if (tagProblems.length > 0) throw new TriggerChangeRefused(tagProblems);

  const tagsChanged = !isDeepStrictEqual(tags, tagsBefore);
  const request = writeBack(pool, {
    LambdaConfig: config,
    ...(tagsChanged ? { UserPoolTags: tags } : {}),
  });
  return {
    request,
    changed: tagsChanged || !isDeepStrictEqual(config, before),
    replaced,
    restored,
    droppedRecords: Object.keys(tagsBefore).filter(
      (key) => key.startsWith(RECORD_TAG_PREFIX) && !(key in tags),
    ),
  };
}

/**
 * The UpdateUserPool request that writes the pool back as DescribeUserPool reported it, with only the
 * given LambdaConfig (and tags, when given) changed.
 */
export function writeBack(
  pool: UserPoolType,
  changes: { LambdaConfig: LambdaConfig | Record<string, unknown>; UserPoolTags?: Record<string, string> },
): UpdateUserPoolCommandInput {
  const request: Record<string, unknown> = { UserPoolId: pool.Id, PoolName: pool.Name };
  for (const key of UPDATABLE) if (pool[key] !== undefined) request[key] = structuredClone(pool[key]);
  request.LambdaConfig = structuredClone(changes.LambdaConfig);
  if (changes.UserPoolTags) request.UserPoolTags = { ...changes.UserPoolTags };

  // DescribeUserPool reports the deprecated UnusedAccountValidityDays beside its replacement, and
  // UpdateUserPool refuses the two together.
  const adminCreateUser = request.AdminCreateUserConfig as Record<string, unknown> | undefined;
  if (adminCreateUser && pool.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays !== undefined) {
    delete adminCreateUser.UnusedAccountValidityDays;
  }
  return request as unknown as UpdateUserPoolCommandInput;
}

/** Pre token generation V2_0/V3_0 needs the ESSENTIALS or PLUS plan; the reason it cannot attach, if any. */
export function featurePlanProblem(pool: UserPoolType, wanted: LambdaConfig): string | undefined {
  const version = wanted.PreTokenGenerationConfig?.LambdaVersion;
  if (version === undefined || version === "V1_0") return undefined;
  const tier = pool.UserPoolTier;
  if (tier === "ESSENTIALS" || tier === "PLUS") return undefined;
  return `pre token generation ${version} needs the ESSENTIALS or PLUS feature plan, but user pool ${pool.Id} is on ${tier ?? "an unknown plan"}`;
}

/** The LambdaConfig entries one key of the suite stands for. */
function slotsOf(key: string): string[] {
  return key === CONFIG ? [CONFIG, FLAT] : [key];
}

/**
 * The function an entry points at (the ARN of a versioned entry; the flat key is compared with
 * PreTokenGenerationConfig's ARN), or the key KMSKeyID names.
 */
function arnAt(config: Record<string, unknown>, slot: string): string | undefined {
  const value = config[slot];
  if (VERSIONED_KEYS.has(slot)) {
    const arn = (value as { LambdaArn?: unknown } | undefined)?.LambdaArn;
    return typeof arn === "string" ? arn : undefined;
  }
  return typeof value === "string" ? value : undefined;
}

/** The suite sets its custom senders only with its key, and its key only with a sender. */
function senderUnitProblem(wanted: Record<string, unknown>): string | undefined {
  const senders = SENDERS.filter((slot) => slot in wanted);
  if (senders.length > 0 && !(SENDER_KEY in wanted)) {
    return `The suite's LambdaConfig sets ${senders.join(" and ")} without ${SENDER_KEY}: Cognito encrypts a custom sender's codes with the pool's ${SENDER_KEY}, so the two go together.`;
  }
  if (senders.length === 0 && SENDER_KEY in wanted) {
    return `The suite's LambdaConfig sets ${SENDER_KEY} without a custom sender: the key is only for the custom senders' codes.`;
  }
  return undefined;
}

function refusal(userPoolId: string | undefined, foreign: { slot: string; arn: string }[]): string {
  const configArn = foreign.find((f) => f.slot === CONFIG)?.arn;
  // The flat key Cognito mirrors from PreTokenGenerationConfig is the same trigger: name it once.
  const named = foreign.filter((f) => !(f.slot === FLAT && f.arn === configArn));
  const list = named.map((f) => `${f.slot} is ${f.arn}`).join(", ");
  const senders = named.some((f) => SENDER_UNIT.includes(f.slot))
    ? `The custom senders share the pool's one ${SENDER_KEY}, and the suite's need its own key: the pool's custom senders and key are replaced together, and a sender the suite does not set is removed (its codes would be encrypted with a key it cannot decrypt). `
    : "";
  return (
    `Refusing to replace triggers of user pool ${userPoolId} that are not the suite's functions: ${list}. ` +
    senders +
    `To replace them, set replaceExistingTriggers to true (custom resource property ReplaceExistingTriggers: "true"): ` +
    `the suite then records each replaced trigger in a user pool tag ${RECORD_TAG_PREFIX}<key> and puts it back when its triggers are removed. ` +
    "Or remove those triggers from the pool first."
  );
}
