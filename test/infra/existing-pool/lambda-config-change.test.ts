/**
 * The pure part of the existing-pool custom resource: which UpdateUserPool request each request type
 * makes, given what DescribeUserPool reported. Examples for every rule, then properties over random
 * pools: for any pool and any foreign triggers, attaching (replacing) and detaching gives the pool its
 * exact LambdaConfig and tags back; attaching without permission to replace refuses exactly when a
 * foreign trigger is in the way, and the rollback Delete after that refusal changes nothing.
 *
 * Two models of Cognito's write are used: cognito-local's (the pool reports what was written) and real
 * Cognito's, which also reports PreTokenGenerationConfig's ARN under the flat PreTokenGeneration key.
 *
 * The custom senders and KMSKeyID are one unit: examples for each rule, then properties over random
 * pools with and without senders of their own: attach (replacing) and detach give the pool back, every
 * update in between keeps it whole, and no state the suite writes has a sender without a key or the
 * suite's key without a sender.
 */

import type { LambdaConfigType, UserPoolType } from "@aws-sdk/client-cognito-identity-provider";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type LambdaConfig,
  lambdaConfigChange,
  TriggerChangeRefused,
  writeBack,
} from "../../../infra/existing-pool/lambda-config-change.ts";
import { decodeRecord, encodeRecord, tagValueProblem } from "../../../infra/existing-pool/trigger-records.ts";

const FN = "arn:aws:lambda:eu-west-1:111122223333:function:";
const OURS = {
  PreSignUp: `${FN}suite-pre-sign-up`,
  CustomMessage: `${FN}suite-custom-message`,
  UserMigration: `${FN}suite-user-migration`,
  PreTokenGenerationConfig: { LambdaArn: `${FN}suite-pre-token-generation`, LambdaVersion: "V2_0" },
} satisfies LambdaConfigType;
const THEIR_PRE_SIGN_UP = `${FN}their-pre-sign-up`;
const THEIR_TOKENS = `${FN}their-pre-token-generation`;
const THEIR_AUTH = `${FN}their-define-auth-challenge`;
const TAG = "cognito-trigger-suite:replaced:";

function pool(lambdaConfig: Record<string, unknown>, tags?: Record<string, string>): UserPoolType {
  return {
    Id: "eu-west-1_Abc123",
    Name: "theirs",
    Arn: "arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_Abc123",
    MfaConfiguration: "OPTIONAL",
    UserPoolTier: "ESSENTIALS",
    LambdaConfig: lambdaConfig as LambdaConfigType,
    ...(tags ? { UserPoolTags: tags } : {}),
  };
}

/** What the pool reports after UpdateUserPool; `mirror`: as real Cognito, the flat key mirrors the config. */
function written(before: UserPoolType, request: ReturnType<typeof writeBack>, mirror: boolean): UserPoolType {
  const config: Record<string, unknown> = { ...(request.LambdaConfig ?? {}) };
  const arn = (config.PreTokenGenerationConfig as { LambdaArn?: string } | undefined)?.LambdaArn;
  if (mirror && arn !== undefined) config.PreTokenGeneration = arn;
  return { ...before, LambdaConfig: config, UserPoolTags: request.UserPoolTags };
}

function refusalOf(action: () => unknown): TriggerChangeRefused {
  try {
    action();
  } catch (error) {
    if (error instanceof TriggerChangeRefused) return error;
    throw error;
  }
  throw new Error("not refused");
}

describe("foreign triggers on create", () => {
  it("refuses by default, naming each key, the function found there and the setting", () => {
    const theirs = pool({
      PreSignUp: THEIR_PRE_SIGN_UP,
      DefineAuthChallenge: THEIR_AUTH,
      // As Cognito reports a V1 pre token generation trigger: the config and its flat mirror.
      PreTokenGenerationConfig: { LambdaArn: THEIR_TOKENS, LambdaVersion: "V1_0" },
      PreTokenGeneration: THEIR_TOKENS,
    });
    const refused = refusalOf(() => lambdaConfigChange(theirs, OURS));
    expect(refused.message).toContain(`PreSignUp is ${THEIR_PRE_SIGN_UP}`);
    expect(refused.message).toContain(`PreTokenGenerationConfig is ${THEIR_TOKENS}`);
    // The mirror is the same trigger: named once.
    expect(refused.message).not.toContain("PreTokenGeneration is");
    expect(refused.message).toContain("set replaceExistingTriggers to true");
    expect(refused.message).toContain('ReplaceExistingTriggers: "true"');
    expect(refused.message).toContain("eu-west-1_Abc123");
    // Their trigger under a key the suite does not use is no concern.
    expect(refused.message).not.toContain(THEIR_AUTH);
  });

  it("counts a flat (V1) PreTokenGeneration as the pre token generation trigger", () => {
    const refused = refusalOf(() => lambdaConfigChange(pool({ PreTokenGeneration: THEIR_TOKENS }), OURS));
    expect(refused.message).toContain(`PreTokenGeneration is ${THEIR_TOKENS}`);
  });

  it("does not count the suite's own functions (an earlier attachment) as foreign", () => {
    const again = pool({
      PreSignUp: OURS.PreSignUp,
      PreTokenGenerationConfig: OURS.PreTokenGenerationConfig,
      PreTokenGeneration: OURS.PreTokenGenerationConfig.LambdaArn,
    });
    const change = lambdaConfigChange(again, OURS);
    expect(change.replaced).toEqual([]);
    expect(change.request.LambdaConfig).toEqual(OURS);
    expect(change.request.UserPoolTags).toBeUndefined();
  });

  it("replaces when allowed and records each replaced function in a tag of the same request", () => {
    const theirs = pool(
      {
        PreSignUp: THEIR_PRE_SIGN_UP,
        DefineAuthChallenge: THEIR_AUTH,
        PreTokenGenerationConfig: { LambdaArn: THEIR_TOKENS, LambdaVersion: "V1_0" },
        PreTokenGeneration: THEIR_TOKENS,
      },
      { team: "identity" },
    );
    const change = lambdaConfigChange(theirs, OURS, {}, { replaceExisting: true });
    expect(change.changed).toBe(true);
    expect(change.replaced.sort()).toEqual(["PreSignUp", "PreTokenGeneration", "PreTokenGenerationConfig"]);
    expect(change.request.LambdaConfig).toEqual({ DefineAuthChallenge: THEIR_AUTH, ...OURS });
    expect(change.request.UserPoolTags).toEqual({
      team: "identity",
      [`${TAG}PreSignUp`]: THEIR_PRE_SIGN_UP,
      [`${TAG}PreTokenGenerationConfig`]: `V1_0 ${THEIR_TOKENS}`,
      [`${TAG}PreTokenGeneration`]: THEIR_TOKENS,
    });
    // Everything else is written back as it was.
    expect(change.request).toMatchObject({ UserPoolId: "eu-west-1_Abc123", MfaConfiguration: "OPTIONAL" });
  });

  it("refuses a function it cannot record in a tag value, and a pool with no room for the tags", () => {
    const latest = `${FN}their-pre-sign-up:$LATEST`;
    const dollar = refusalOf(() =>
      lambdaConfigChange(pool({ PreSignUp: latest }), OURS, {}, { replaceExisting: true }),
    );
    expect(dollar.message).toMatch(/PreSignUp trigger .*\$LATEST, cannot be recorded in a user pool tag/);
    expect(dollar.message).toContain('it contains "$"');

    const long = `${FN}${"x".repeat(64)}:${"a".repeat(200)}`;
    expect(
      refusalOf(() => lambdaConfigChange(pool({ PreSignUp: long }), OURS, {}, { replaceExisting: true }))
        .message,
    ).toMatch(/it is \d{3} characters long/);

    const tags = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`tag${i}`, "x"]));
    const full = refusalOf(() =>
      lambdaConfigChange(
        pool({ PreSignUp: THEIR_PRE_SIGN_UP, UserMigration: `${FN}their-migration` }, tags),
        OURS,
        {},
        { replaceExisting: true },
      ),
    );
    expect(full.message).toMatch(/has 49 tags; .* needs 2 more and a user pool takes at most 50/);
    // aws: tags do not count towards the limit.
    const withAws: Record<string, string> = { ...tags, "aws:cloudformation:stack-name": "theirs" };
    delete withAws.tag0;
    expect(() =>
      lambdaConfigChange(
        pool({ PreSignUp: THEIR_PRE_SIGN_UP }, withAws),
        OURS,
        {},
        { replaceExisting: true },
      ),
    ).not.toThrow();
  });

  it("drops a stale record of a key that holds nothing the suite replaced", () => {
    const stale = pool({}, { [`${TAG}PreSignUp`]: THEIR_PRE_SIGN_UP, team: "identity" });
    const change = lambdaConfigChange(stale, OURS);
    expect(change.request.UserPoolTags).toEqual({ team: "identity" });
    expect(change.droppedRecords).toEqual([`${TAG}PreSignUp`]);
  });
});

describe("updates on the same pool", () => {
  const attached = pool(
    { ...OURS, PreTokenGeneration: OURS.PreTokenGenerationConfig.LambdaArn, DefineAuthChallenge: THEIR_AUTH },
    { [`${TAG}UserMigration`]: `${FN}their-migration`, [`${TAG}PreSignUp`]: THEIR_PRE_SIGN_UP },
  );

  it("moves a key to a renamed function of the suite without calling the old one foreign", () => {
    const renamed = { ...OURS, PreSignUp: `${FN}suite-v2-pre-sign-up` };
    const change = lambdaConfigChange(attached, renamed, OURS);
    expect(change.request.LambdaConfig?.PreSignUp).toBe(renamed.PreSignUp);
    // The record of what the suite replaced there stays: it is still the suite's key.
    expect(change.request.UserPoolTags).toEqual(attached.UserPoolTags);
    expect(change.droppedRecords).toEqual([]);
    expect(change.changed).toBe(true);
  });

  it("refuses a key the suite did not own before if a foreign function is there", () => {
    const before = pool({ ...OURS, PostConfirmation: `${FN}their-post-confirmation` });
    const more = { ...OURS, PostConfirmation: `${FN}suite-post-confirmation` };
    expect(refusalOf(() => lambdaConfigChange(before, more, OURS)).message).toContain(
      `PostConfirmation is ${FN}their-post-confirmation`,
    );
  });

  it("refuses too when someone has repointed a key the suite owned: that function is theirs now", () => {
    const repointed = pool({ ...OURS, PreSignUp: `${FN}someone-elses` });
    expect(refusalOf(() => lambdaConfigChange(repointed, OURS, OURS)).message).toContain(
      `PreSignUp is ${FN}someone-elses`,
    );
  });

  it("puts back what it had replaced under a key it no longer sets, and drops the record", () => {
    const { UserMigration: _dropped, ...fewer } = OURS;
    const change = lambdaConfigChange(attached, fewer, OURS);
    expect(change.request.LambdaConfig?.UserMigration).toBe(`${FN}their-migration`);
    expect(change.restored).toEqual(["UserMigration"]);
    expect(change.request.UserPoolTags).toEqual({ [`${TAG}PreSignUp`]: THEIR_PRE_SIGN_UP });
    expect(change.droppedRecords).toEqual([`${TAG}UserMigration`]);
  });
});

describe("delete", () => {
  it("removes the suite's keys, puts back what it replaced, and removes the records", () => {
    const attached = pool(
      {
        ...OURS,
        PreTokenGeneration: OURS.PreTokenGenerationConfig.LambdaArn,
        DefineAuthChallenge: THEIR_AUTH,
      },
      {
        team: "identity",
        [`${TAG}PreSignUp`]: THEIR_PRE_SIGN_UP,
        [`${TAG}PreTokenGenerationConfig`]: `V1_0 ${THEIR_TOKENS}`,
        [`${TAG}PreTokenGeneration`]: THEIR_TOKENS,
      },
    );
    const change = lambdaConfigChange(attached, {}, OURS);
    expect(change.request.LambdaConfig).toEqual({
      DefineAuthChallenge: THEIR_AUTH,
      PreSignUp: THEIR_PRE_SIGN_UP,
      PreTokenGenerationConfig: { LambdaArn: THEIR_TOKENS, LambdaVersion: "V1_0" },
      PreTokenGeneration: THEIR_TOKENS,
    });
    expect(change.request.UserPoolTags).toEqual({ team: "identity" });
    expect(change.restored.sort()).toEqual(["PreSignUp", "PreTokenGeneration", "PreTokenGenerationConfig"]);
  });

  it("removes the flat PreTokenGeneration Cognito reports beside the config when it is the suite's", () => {
    const attached = pool({
      DefineAuthChallenge: THEIR_AUTH,
      // Another version than the one the suite set: still the suite's function.
      PreTokenGenerationConfig: { LambdaArn: OURS.PreTokenGenerationConfig.LambdaArn, LambdaVersion: "V1_0" },
      PreTokenGeneration: OURS.PreTokenGenerationConfig.LambdaArn,
    });
    expect(lambdaConfigChange(attached, {}, OURS).request.LambdaConfig).toEqual({
      DefineAuthChallenge: THEIR_AUTH,
    });
  });

  it("leaves a key someone has changed since (theirs) and still drops its record", () => {
    const changed = pool(
      { ...OURS, PreSignUp: `${FN}someone-elses` },
      { [`${TAG}PreSignUp`]: THEIR_PRE_SIGN_UP },
    );
    const change = lambdaConfigChange(changed, {}, OURS);
    expect(change.request.LambdaConfig).toEqual({ PreSignUp: `${FN}someone-elses` });
    expect(change.restored).toEqual([]);
    expect(change.request.UserPoolTags).toEqual({});
  });

  it("changes nothing on a pool without the suite's triggers (e.g. the rollback of a refused create)", () => {
    const theirs = pool({ PreSignUp: THEIR_PRE_SIGN_UP, PreTokenGeneration: THEIR_TOKENS }, { team: "x" });
    const change = lambdaConfigChange(theirs, {}, OURS);
    expect(change.changed).toBe(false);
    expect(change.request.LambdaConfig).toEqual(theirs.LambdaConfig);
  });
});

const KEY = "arn:aws:kms:eu-west-1:111122223333:key/suite-0000";
const THEIR_KEY = "arn:aws:kms:eu-west-1:111122223333:key/their-1111";
const sender = (arn: string) => ({ LambdaArn: arn, LambdaVersion: "V1_0" as const });
const OUR_EMAIL = sender(`${FN}suite-custom-email-sender`);
const OUR_SMS = sender(`${FN}suite-custom-sms-sender`);
const OUR_FEDERATION = sender(`${FN}suite-inbound-federation`);
const THEIR_SMS = sender(`${FN}their-sms-sender`);
const THEIR_EMAIL = sender(`${FN}their-email-sender`);
const WITH_SENDERS = { ...OURS, CustomEmailSender: OUR_EMAIL, CustomSMSSender: OUR_SMS, KMSKeyID: KEY };

describe("the optional triggers' keys", () => {
  it("sets inbound federation and the senders as versioned entries, with the key, beside the pool's other triggers", () => {
    const wanted = { ...WITH_SENDERS, InboundFederation: OUR_FEDERATION };
    const change = lambdaConfigChange(pool({ DefineAuthChallenge: THEIR_AUTH }), wanted);
    expect(change.request.LambdaConfig).toEqual({ DefineAuthChallenge: THEIR_AUTH, ...wanted });
    expect(change.replaced).toEqual([]);
  });

  it("refuses a pool whose inbound federation trigger is not the suite's, and records it when allowed", () => {
    const theirs = pool({ InboundFederation: sender(`${FN}their-federation`) });
    const wanted = { ...OURS, InboundFederation: OUR_FEDERATION };
    expect(refusalOf(() => lambdaConfigChange(theirs, wanted)).message).toContain(
      `InboundFederation is ${FN}their-federation`,
    );
    const change = lambdaConfigChange(theirs, wanted, {}, { replaceExisting: true });
    expect(change.request.UserPoolTags).toEqual({
      [`${TAG}InboundFederation`]: `V1_0 ${FN}their-federation`,
    });
    const detached = lambdaConfigChange(written(theirs, change.request, false), {}, wanted);
    expect(detached.request.LambdaConfig).toEqual(theirs.LambdaConfig);
  });

  it("refuses a sender without the key, or the key without a sender, in what the suite asks for", () => {
    expect(
      refusalOf(() => lambdaConfigChange(pool({}), { ...OURS, CustomEmailSender: OUR_EMAIL })).message,
    ).toContain("sets CustomEmailSender without KMSKeyID");
    expect(refusalOf(() => lambdaConfigChange(pool({}), { ...OURS, KMSKeyID: KEY })).message).toContain(
      "sets KMSKeyID without a custom sender",
    );
  });

  it("refuses a pool with a sender or key of its own, naming both and why they go together", () => {
    const theirs = pool({ CustomSMSSender: THEIR_SMS, KMSKeyID: THEIR_KEY });
    const message = refusalOf(() =>
      lambdaConfigChange(theirs, { ...OURS, CustomEmailSender: OUR_EMAIL, KMSKeyID: KEY }),
    ).message;
    // Their SMS sender too, though the suite sets no SMS sender: it would get codes it cannot decrypt.
    expect(message).toContain(`CustomSMSSender is ${THEIR_SMS.LambdaArn}`);
    expect(message).toContain(`KMSKeyID is ${THEIR_KEY}`);
    expect(message).toContain("share the pool's one KMSKeyID");
  });

  it("replaces the pool's senders and key as one unit, and puts the unit back whole on delete", () => {
    const theirs = pool({ CustomSMSSender: THEIR_SMS, KMSKeyID: THEIR_KEY, PreSignUp: THEIR_PRE_SIGN_UP });
    const wanted = { ...OURS, CustomEmailSender: OUR_EMAIL, KMSKeyID: KEY };
    const create = lambdaConfigChange(theirs, wanted, {}, { replaceExisting: true });
    expect(create.request.LambdaConfig).toEqual(wanted);
    expect(create.replaced.sort()).toEqual(["CustomSMSSender", "KMSKeyID", "PreSignUp"]);
    expect(create.request.UserPoolTags).toEqual({
      [`${TAG}PreSignUp`]: THEIR_PRE_SIGN_UP,
      [`${TAG}CustomSMSSender`]: `V1_0 ${THEIR_SMS.LambdaArn}`,
      [`${TAG}KMSKeyID`]: THEIR_KEY,
    });
    const attached = written(theirs, create.request, false);
    const remove = lambdaConfigChange(attached, {}, wanted);
    expect(remove.request.LambdaConfig).toEqual(theirs.LambdaConfig);
    expect(remove.restored.sort()).toEqual(["CustomSMSSender", "KMSKeyID", "PreSignUp"]);
    expect(remove.request.UserPoolTags).toEqual({});
  });

  it("keeps the unit's records while the suite has a sender there, and removes its own sender without putting theirs back", () => {
    const theirs = pool({ CustomSMSSender: THEIR_SMS, CustomEmailSender: THEIR_EMAIL, KMSKeyID: THEIR_KEY });
    const both = { ...OURS, CustomEmailSender: OUR_EMAIL, CustomSMSSender: OUR_SMS, KMSKeyID: KEY };
    const emailOnly = { ...OURS, CustomEmailSender: OUR_EMAIL, KMSKeyID: KEY };
    let state = written(
      theirs,
      lambdaConfigChange(theirs, both, {}, { replaceExisting: true }).request,
      false,
    );
    const records = state.UserPoolTags;
    // Down to the email sender: the suite's SMS sender goes; theirs cannot come back beside the suite's key.
    const fewer = lambdaConfigChange(state, emailOnly, both);
    expect(fewer.request.LambdaConfig).toEqual(emailOnly);
    expect(fewer.restored).toEqual([]);
    expect(fewer.droppedRecords).toEqual([]);
    state = written(state, fewer.request, false);
    expect(state.UserPoolTags).toEqual(records);
    // Both again: nothing of theirs is in the way, and the records are still there.
    const again = lambdaConfigChange(state, both, emailOnly);
    expect(again.request.LambdaConfig).toEqual(both);
    state = written(state, again.request, false);
    expect(state.UserPoolTags).toEqual(records);
    // Delete: their three entries are back.
    state = written(state, lambdaConfigChange(state, {}, both).request, false);
    expect(state.LambdaConfig).toEqual(theirs.LambdaConfig);
    expect(state.UserPoolTags).toEqual({});
  });

  it("on delete, leaves a sender someone set since with the key it was set with", () => {
    const wanted = { ...OURS, CustomEmailSender: OUR_EMAIL, KMSKeyID: KEY };
    const attached = pool({ ...wanted, CustomEmailSender: THEIR_EMAIL });
    const change = lambdaConfigChange(attached, {}, wanted);
    expect(change.request.LambdaConfig).toEqual({ CustomEmailSender: THEIR_EMAIL, KMSKeyID: KEY });
  });

  it("on delete, takes the suite's key away with its last sender even when someone removed that sender", () => {
    const wanted = { ...OURS, CustomEmailSender: OUR_EMAIL, KMSKeyID: KEY };
    const { CustomEmailSender: _gone, ...withoutSender } = wanted;
    expect(lambdaConfigChange(pool(withoutSender), {}, wanted).request.LambdaConfig).toEqual({});
  });

  it("refuses to put a sender back without a key (someone removed the key's record tag)", () => {
    const wanted = { ...OURS, CustomEmailSender: OUR_EMAIL, KMSKeyID: KEY };
    const attached = pool(wanted, { [`${TAG}CustomSMSSender`]: `V1_0 ${THEIR_SMS.LambdaArn}` });
    expect(refusalOf(() => lambdaConfigChange(attached, {}, wanted)).message).toContain(
      "would be left with a custom sender but no KMSKeyID",
    );
  });
});

describe("the record tags", () => {
  it("encode the versioned keys as version and ARN, and the senders' key as its ARN", () => {
    for (const slot of ["InboundFederation", "CustomEmailSender", "CustomSMSSender"]) {
      const value = encodeRecord(slot, THEIR_SMS) as string;
      expect(value, slot).toBe(`V1_0 ${THEIR_SMS.LambdaArn}`);
      expect(decodeRecord(slot, value), slot).toEqual(THEIR_SMS);
    }
    expect(encodeRecord("KMSKeyID", THEIR_KEY)).toBe(THEIR_KEY);
    expect(decodeRecord("KMSKeyID", THEIR_KEY)).toBe(THEIR_KEY);
    expect(tagValueProblem(THEIR_KEY)).toBeUndefined();
  });

  it("encode a pre token generation config as version and ARN, and read back what they wrote", () => {
    const config = { LambdaArn: THEIR_TOKENS, LambdaVersion: "V3_0" };
    const value = encodeRecord("PreTokenGenerationConfig", config) as string;
    expect(value).toBe(`V3_0 ${THEIR_TOKENS}`);
    expect(decodeRecord("PreTokenGenerationConfig", value)).toEqual(config);
    expect(decodeRecord("PreTokenGenerationConfig", "garbled")).toBeUndefined();
    expect(decodeRecord("PreSignUp", THEIR_PRE_SIGN_UP)).toBe(THEIR_PRE_SIGN_UP);
    expect(tagValueProblem(value)).toBeUndefined();
    expect(tagValueProblem(`${FN}x:$LATEST`)).toBe('it contains "$"');
  });
});

// Random pools. ARNs as Lambda makes them (function names of letters, digits, - and _; an alias).
const functionArn = fc
  .tuple(
    fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
    fc.option(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,10}$/)),
  )
  .map(([name, alias]) => `${FN}their-${name}${alias ? `:${alias}` : ""}`);
const version = fc.constantFrom("V1_0", "V2_0", "V3_0");
const SUITE_KEYS = [
  "PreSignUp",
  "CustomMessage",
  "PreAuthentication",
  "PostAuthentication",
  "PostConfirmation",
  "UserMigration",
] as const;
const OTHER_KEYS = ["DefineAuthChallenge", "CreateAuthChallenge", "VerifyAuthChallengeResponse"] as const;

/** A pool's LambdaConfig as Cognito reports it (mirror: the flat key beside the config). */
const poolConfig = (mirror: boolean) =>
  fc
    .record({
      plain: fc.dictionary(fc.constantFrom(...SUITE_KEYS, ...OTHER_KEYS), functionArn, { maxKeys: 9 }),
      tokens: fc.oneof(
        fc.constant(undefined),
        fc.record({ arn: functionArn, version, flatOnly: mirror ? fc.constant(false) : fc.boolean() }),
      ),
      kms: fc.option(fc.constant("arn:aws:kms:eu-west-1:111122223333:key/1234")),
    })
    .map(({ plain, tokens, kms }) => {
      const config: Record<string, unknown> = { ...plain };
      if (kms) config.KMSKeyID = kms;
      if (tokens) {
        if (!tokens.flatOnly)
          config.PreTokenGenerationConfig = { LambdaArn: tokens.arn, LambdaVersion: tokens.version };
        if (mirror || tokens.flatOnly) config.PreTokenGeneration = tokens.arn;
      }
      return config;
    });
const poolTags = fc.dictionary(
  fc.stringMatching(/^[a-z][a-z0-9:_-]{0,20}$/).filter((key) => !key.startsWith("cognito-trigger-suite")),
  fc.stringMatching(/^[a-z0-9 ]{0,20}$/),
  { maxKeys: 10 },
);
/** The suite's part: any non-empty set of its keys, with its own ARNs (`name` tells two configurations apart). */
const suiteConfig = (name: string) =>
  fc
    .record({
      keys: fc.subarray([...SUITE_KEYS, "PreTokenGenerationConfig" as const], { minLength: 1 }),
      version,
    })
    .map(({ keys, version }) => {
      const config: Record<string, unknown> = {};
      for (const key of keys) {
        config[key] =
          key === "PreTokenGenerationConfig"
            ? { LambdaArn: `${FN}${name}-pre-token-generation`, LambdaVersion: version }
            : `${FN}${name}-${key}`;
      }
      return config as LambdaConfig;
    });

/** A pool's own custom senders and key, as Cognito keeps them: none, a key alone, or senders with a key. */
const poolSenders = fc
  .record(
    {
      CustomEmailSender: functionArn.map(sender),
      CustomSMSSender: functionArn.map(sender),
      KMSKeyID: fc.constantFrom(THEIR_KEY, "arn:aws:kms:eu-west-1:111122223333:key/their-2222"),
    },
    { requiredKeys: [] },
  )
  .map((unit): Record<string, unknown> => (unit.KMSKeyID === undefined ? {} : unit));
/** The suite's part with senders: one or both, always with its key (`name` tells two apart). */
const suiteWithSenders = (name: string) =>
  fc
    .tuple(
      suiteConfig(name),
      fc.subarray(["CustomEmailSender", "CustomSMSSender"] as const, { minLength: 1 }),
    )
    .map(([config, senders]) => {
      const out: Record<string, unknown> = {
        ...config,
        KMSKeyID: `arn:aws:kms:eu-west-1:111122223333:key/${name}`,
      };
      for (const slot of senders) out[slot] = sender(`${FN}${name}-${slot}`);
      return out as LambdaConfig;
    });
const SENDER_SLOTS = ["CustomEmailSender", "CustomSMSSender"];
/** A sender without a key, or the given key without a sender. */
const brokenUnit = (config: Record<string, unknown>, key: unknown) =>
  (SENDER_SLOTS.some((slot) => config[slot] !== undefined) && config.KMSKeyID === undefined) ||
  (key !== undefined && config.KMSKeyID === key && !SENDER_SLOTS.some((slot) => config[slot] !== undefined));

describe("for any pool and any senders of the suite", () => {
  it("create (replacing), updates between sender sets, then delete: the pool is back, and whole at every step", () => {
    fc.assert(
      fc.property(
        poolConfig(false),
        poolSenders,
        poolTags,
        fc.array(fc.oneof(suiteWithSenders("suite"), suiteConfig("suite"), suiteWithSenders("suite-v2")), {
          minLength: 1,
          maxLength: 4,
        }),
        (config, senders, tags, steps) => {
          const { KMSKeyID: _unitKey, ...rest } = config;
          const original = pool({ ...rest, ...senders }, tags);
          const allow = { replaceExisting: true };
          let state = original;
          let previous: LambdaConfig = {};
          for (const wanted of steps) {
            state = written(state, lambdaConfigChange(state, wanted, previous, allow).request, false);
            const now = state.LambdaConfig as Record<string, unknown>;
            expect(now).toMatchObject(wanted);
            // The suite's key only with a sender; a sender of the suite's only with the suite's key.
            expect(brokenUnit(now, (wanted as Record<string, unknown>).KMSKeyID)).toBe(false);
            const unit = wanted as Record<string, unknown>;
            if (unit.KMSKeyID !== undefined) {
              // Beside the suite's key, only the suite's senders.
              for (const slot of SENDER_SLOTS) expect(now[slot], slot).toEqual(unit[slot]);
            }
            previous = wanted;
          }
          state = written(state, lambdaConfigChange(state, {}, previous).request, false);
          expect(state.LambdaConfig).toEqual(original.LambdaConfig);
          expect(tagsOf(state)).toEqual(tagsOf(original));
        },
      ),
    );
  });

  it("create refuses exactly when the pool has a sender or key of its own, and its rollback changes nothing", () => {
    fc.assert(
      fc.property(poolSenders, suiteWithSenders("suite"), (senders, ours) => {
        const original = pool({ ...senders });
        const inTheWay = Object.keys(senders).length > 0;
        if (inTheWay) {
          expect(() => lambdaConfigChange(original, ours)).toThrow(TriggerChangeRefused);
          expect(lambdaConfigChange(original, {}, ours).changed).toBe(false);
        } else {
          const attached = written(original, lambdaConfigChange(original, ours).request, false);
          expect(lambdaConfigChange(attached, {}, ours).request.LambdaConfig).toEqual({});
        }
      }),
    );
  });
});

const tagsOf = (p: UserPoolType) => p.UserPoolTags ?? {};
const hasForeign = (before: Record<string, unknown>, config: LambdaConfig) =>
  Object.keys(config).some((key) =>
    key === "PreTokenGenerationConfig"
      ? before.PreTokenGenerationConfig !== undefined || before.PreTokenGeneration !== undefined
      : before[key] !== undefined,
  );

for (const mirror of [false, true]) {
  describe(`for any pool (${mirror ? "real Cognito: flat key mirrored" : "cognito-local: as written"})`, () => {
    it("create (replacing) then delete gives back the exact LambdaConfig and tags", () => {
      fc.assert(
        fc.property(poolConfig(mirror), poolTags, suiteConfig("suite"), (config, tags, ours) => {
          const original = pool(config, tags);
          const create = lambdaConfigChange(original, ours, {}, { replaceExisting: true });
          const attached = written(original, create.request, mirror);
          expect(attached.LambdaConfig).toMatchObject(ours);
          const remove = lambdaConfigChange(attached, {}, ours);
          const detached = written(attached, remove.request, mirror);
          expect(detached.LambdaConfig).toEqual(original.LambdaConfig);
          expect(tagsOf(detached)).toEqual(tagsOf(original));
        }),
      );
    });

    it("create refuses exactly when a foreign trigger is in the way, and then its rollback changes nothing", () => {
      fc.assert(
        fc.property(poolConfig(mirror), poolTags, suiteConfig("suite"), (config, tags, ours) => {
          const original = pool(config, tags);
          let create: ReturnType<typeof lambdaConfigChange> | undefined;
          try {
            create = lambdaConfigChange(original, ours);
          } catch (error) {
            expect(error).toBeInstanceOf(TriggerChangeRefused);
          }
          expect(create === undefined).toBe(hasForeign(config, ours));
          if (create) {
            // Nothing was in the way: no record, and delete simply removes the suite's keys.
            expect(create.replaced).toEqual([]);
            const attached = written(original, create.request, mirror);
            const detached = written(attached, lambdaConfigChange(attached, {}, ours).request, mirror);
            expect(detached.LambdaConfig).toEqual(original.LambdaConfig);
          } else {
            expect(lambdaConfigChange(original, {}, ours).changed).toBe(false);
          }
        }),
      );
    });

    it("create, update to another configuration, delete: the pool is back as it was", () => {
      fc.assert(
        fc.property(
          poolConfig(mirror),
          poolTags,
          suiteConfig("suite"),
          suiteConfig("suite-v2"),
          (config, tags, first, second) => {
            const original = pool(config, tags);
            const allow = { replaceExisting: true };
            let state = written(original, lambdaConfigChange(original, first, {}, allow).request, mirror);
            state = written(state, lambdaConfigChange(state, second, first, allow).request, mirror);
            expect(state.LambdaConfig).toMatchObject(second);
            state = written(state, lambdaConfigChange(state, {}, second).request, mirror);
            expect(state.LambdaConfig).toEqual(original.LambdaConfig);
            expect(tagsOf(state)).toEqual(tagsOf(original));
          },
        ),
      );
    });

    it("delete leaves every key someone repointed after the create, and no record behind", () => {
      fc.assert(
        fc.property(
          poolConfig(mirror),
          poolTags,
          suiteConfig("suite"),
          fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
          functionArn,
          (config, tags, ours, repoint, someoneElses) => {
            const original = pool(config, tags);
            const attached = written(
              original,
              lambdaConfigChange(original, ours, {}, { replaceExisting: true }).request,
              mirror,
            );
            // Someone repoints some of the suite's keys (writing the pool back, as the console does).
            const repointed = Object.keys(ours).filter((_, i) => repoint[i]);
            const theirs: Record<string, unknown> = { ...attached.LambdaConfig };
            for (const key of repointed) {
              if (key === "PreTokenGenerationConfig") {
                theirs[key] = { LambdaArn: someoneElses, LambdaVersion: "V2_0" };
                delete theirs.PreTokenGeneration;
              } else theirs[key] = someoneElses;
            }
            const changed = written(attached, writeBack(attached, { LambdaConfig: theirs }), mirror);
            const detached = written(changed, lambdaConfigChange(changed, {}, ours).request, mirror);

            const slots = (key: string) =>
              key === "PreTokenGenerationConfig" ? [key, "PreTokenGeneration"] : [key];
            const after = detached.LambdaConfig as Record<string, unknown>;
            const before = original.LambdaConfig as Record<string, unknown>;
            const kept = changed.LambdaConfig as Record<string, unknown>;
            for (const key of Object.keys(ours)) {
              for (const slot of slots(key)) {
                expect(after[slot], slot).toEqual(repointed.includes(key) ? kept[slot] : before[slot]);
              }
            }
            const suiteSlots = Object.keys(ours).flatMap(slots);
            for (const key of Object.keys(before)) {
              if (!suiteSlots.includes(key)) expect(after[key], key).toEqual(before[key]);
            }
            expect(Object.keys(tagsOf(detached)).filter((key) => key.startsWith(TAG))).toEqual([]);
          },
        ),
      );
    });
  });
}
