/**
 * The custom resource's request handling with a stand-in client that records every Cognito call: which
 * requests reach Cognito at all, the physical id each request type answers with, the deploy-time checks'
 * messages, and the UntagResource fallback for a Cognito that would keep tags UpdateUserPool left out
 * (cognito-local replaces them, as the API reference's "overwriting" UserPoolTags suggests; the fallback
 * covers the case where real Cognito does not). custom-resource.cognito-local.test.ts runs the same
 * handler against cognito-local.
 */
import type {
  CognitoIdentityProviderClient,
  UpdateUserPoolCommandInput,
  UserPoolType,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CustomResourceEvent } from "../../../infra/existing-pool/cloudformation-response.ts";
import { attach } from "../../../infra/existing-pool/handler.ts";
import { missingAttributesProblem, regionProblem } from "../../../infra/existing-pool/preconditions.ts";

const FN = "arn:aws:lambda:eu-west-1:111122223333:function:";
const OURS = { PreSignUp: `${FN}suite-pre-sign-up`, UserMigration: `${FN}suite-user-migration` };
const POOL = "eu-west-1_Abc123";
const TAG = "cognito-trigger-suite:replaced:";

/** A Cognito with one pool; `keepsTags`: UpdateUserPool merges UserPoolTags instead of replacing them. */
function fakeCognito(pool: UserPoolType | undefined, options: { keepsTags?: boolean } = {}) {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  let state = pool && structuredClone(pool);
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name.replace(/Command$/, "");
      calls.push({ name, input: structuredClone(command.input) });
      if (!state) {
        const { ResourceNotFoundException } = await import("@aws-sdk/client-cognito-identity-provider");
        throw new ResourceNotFoundException({ message: "User pool does not exist.", $metadata: {} });
      }
      if (name === "DescribeUserPool") return { UserPool: structuredClone(state) };
      if (name === "UpdateUserPool") {
        const input = command.input as unknown as UpdateUserPoolCommandInput;
        state = {
          ...state,
          LambdaConfig: input.LambdaConfig,
          UserPoolTags: options.keepsTags
            ? { ...state.UserPoolTags, ...input.UserPoolTags }
            : input.UserPoolTags,
        };
      }
      if (name === "UntagResource") {
        const tags = { ...state.UserPoolTags };
        for (const key of command.input.TagKeys as string[]) delete tags[key];
        state = { ...state, UserPoolTags: tags };
      }
      return {};
    },
  };
  return {
    client: client as unknown as CognitoIdentityProviderClient,
    calls,
    names: () => calls.map((call) => call.name),
    state: () => state,
  };
}

function event(
  type: CustomResourceEvent["RequestType"],
  props: Record<string, unknown>,
  extra: Partial<CustomResourceEvent> = {},
): CustomResourceEvent {
  return {
    RequestType: type,
    ResponseURL: "https://example.invalid/answer",
    StackId: "arn:aws:cloudformation:eu-west-1:111122223333:stack/test/1",
    RequestId: "1",
    LogicalResourceId: "Attachment",
    ResourceProperties: { ServiceToken: "arn", ...props },
    ...extra,
  };
}

const theirPool: UserPoolType = {
  Id: POOL,
  Name: "theirs",
  Arn: `arn:aws:cognito-idp:eu-west-1:111122223333:userpool/${POOL}`,
  LambdaConfig: { PreSignUp: `${FN}their-pre-sign-up` },
  SchemaAttributes: [{ Name: "email" }, { Name: "custom:legacy_id" }],
  UserPoolTags: { team: "identity" },
};

beforeEach(() => {
  vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("physical ids", () => {
  it("Create answers <pool id>/cognito-trigger-suite; an Update to the same pool keeps its id", async () => {
    const cognito = fakeCognito({ ...theirPool, LambdaConfig: {} });
    expect(
      await attach(cognito.client, event("Create", { UserPoolId: POOL, LambdaConfig: OURS }), "eu-west-1"),
    ).toBe(`${POOL}/cognito-trigger-suite`);
    const update = event(
      "Update",
      { UserPoolId: POOL, LambdaConfig: OURS },
      { PhysicalResourceId: "an-older-id", OldResourceProperties: { UserPoolId: POOL, LambdaConfig: OURS } },
    );
    expect(await attach(cognito.client, update, "eu-west-1")).toBe("an-older-id");
  });

  it("an Update to another pool answers that pool's id (a replacement) and never touches the old pool", async () => {
    const cognito = fakeCognito({ ...theirPool, Id: "eu-west-1_New", LambdaConfig: {} });
    const update = event(
      "Update",
      { UserPoolId: "eu-west-1_New", LambdaConfig: OURS },
      {
        PhysicalResourceId: `${POOL}/cognito-trigger-suite`,
        OldResourceProperties: { UserPoolId: POOL, LambdaConfig: OURS },
      },
    );
    expect(await attach(cognito.client, update, "eu-west-1")).toBe("eu-west-1_New/cognito-trigger-suite");
    expect(cognito.calls.map((call) => call.input.UserPoolId)).toEqual(["eu-west-1_New", "eu-west-1_New"]);
  });
});

describe("detach-on-delete", () => {
  it("makes no Cognito call on Create and Update, and answers a new id when the pool changes", async () => {
    const cognito = fakeCognito(theirPool);
    const props = { UserPoolId: POOL, LambdaConfig: OURS, Mode: "detach-on-delete" };
    expect(await attach(cognito.client, event("Create", props), "eu-west-1")).toBe(
      `${POOL}/cognito-trigger-suite`,
    );
    const replaced = event(
      "Update",
      { ...props, UserPoolId: "eu-west-1_New" },
      { PhysicalResourceId: `${POOL}/cognito-trigger-suite`, OldResourceProperties: props },
    );
    expect(await attach(cognito.client, replaced, "eu-west-1")).toBe("eu-west-1_New/cognito-trigger-suite");
    expect(cognito.calls).toEqual([]);
  });

  it("refuses an unknown mode", async () => {
    await expect(
      attach(
        fakeCognito(theirPool).client,
        event("Create", { UserPoolId: POOL, Mode: "sometimes" }),
        "eu-west-1",
      ),
    ).rejects.toThrow('Mode must be one of attach, detach-on-delete, not "sometimes"');
  });
});

describe("deploy-time checks", () => {
  it("fails a pool of another region before any call, and its Delete makes none either", async () => {
    const cognito = fakeCognito(theirPool);
    await expect(
      attach(cognito.client, event("Create", { UserPoolId: POOL, LambdaConfig: OURS }), "us-east-1"),
    ).rejects.toThrow(
      `User pool ${POOL} is in region eu-west-1, but the suite's functions are in us-east-1: the suite attaches only to a pool of its own region`,
    );
    const physicalId = `${POOL}/cognito-trigger-suite`;
    await attach(
      cognito.client,
      event("Delete", { UserPoolId: POOL, LambdaConfig: OURS }, { PhysicalResourceId: physicalId }),
      "us-east-1",
    );
    expect(cognito.calls).toEqual([]);
    expect(regionProblem("local_abc", "local")).toBeUndefined();
    expect(regionProblem("no-separator", "eu-west-1")).toBeUndefined();
  });

  it("names a missing required attribute, why the suite needs it and how to add it", () => {
    const problem = missingAttributesProblem({ ...theirPool, SchemaAttributes: [{ Name: "email" }] }, [
      "custom:legacy_id",
    ]);
    expect(problem).toContain(
      `User pool ${POOL} has no attribute custom:legacy_id: user migration writes it`,
    );
    expect(problem).toContain(
      `aws cognito-idp add-custom-attributes --user-pool-id ${POOL} --custom-attributes Name=legacy_id,AttributeDataType=String`,
    );
    expect(missingAttributesProblem(theirPool, ["custom:legacy_id"])).toBeUndefined();
  });

  it("reports every problem at once, and writes nothing", async () => {
    const cognito = fakeCognito({ ...theirPool, SchemaAttributes: [], UserPoolTier: "LITE" });
    const props = {
      UserPoolId: POOL,
      LambdaConfig: {
        ...OURS,
        PreTokenGenerationConfig: { LambdaArn: `${FN}suite-ptg`, LambdaVersion: "V2_0" },
      },
      RequiredAttributes: ["custom:legacy_id"],
    };
    const failure = attach(cognito.client, event("Create", props), "eu-west-1");
    await expect(failure).rejects.toThrow(/no attribute custom:legacy_id.*ESSENTIALS or PLUS.*PreSignUp is/);
    expect(cognito.names()).toEqual(["DescribeUserPool"]);
  });
});

describe("the record tags", () => {
  it("are removed with UntagResource when UpdateUserPool keeps them", async () => {
    const cognito = fakeCognito(theirPool, { keepsTags: true });
    const props = { UserPoolId: POOL, LambdaConfig: OURS, ReplaceExistingTriggers: "true" };
    await attach(cognito.client, event("Create", props), "eu-west-1");
    expect(cognito.state()?.UserPoolTags).toEqual({
      team: "identity",
      [`${TAG}PreSignUp`]: `${FN}their-pre-sign-up`,
    });
    cognito.calls.length = 0;

    await attach(cognito.client, event("Delete", props, { PhysicalResourceId: "x" }), "eu-west-1");
    expect(cognito.names()).toEqual([
      "DescribeUserPool",
      "UpdateUserPool",
      "DescribeUserPool",
      "UntagResource",
    ]);
    expect(cognito.calls[3]?.input).toEqual({ ResourceArn: theirPool.Arn, TagKeys: [`${TAG}PreSignUp`] });
    expect(cognito.state()?.LambdaConfig).toEqual(theirPool.LambdaConfig);
    expect(cognito.state()?.UserPoolTags).toEqual(theirPool.UserPoolTags);
  });

  it("need no UntagResource when UpdateUserPool replaces the tags", async () => {
    const cognito = fakeCognito(theirPool);
    const props = { UserPoolId: POOL, LambdaConfig: OURS, ReplaceExistingTriggers: "true" };
    await attach(cognito.client, event("Create", props), "eu-west-1");
    cognito.calls.length = 0;
    await attach(cognito.client, event("Delete", props, { PhysicalResourceId: "x" }), "eu-west-1");
    expect(cognito.names()).toEqual(["DescribeUserPool", "UpdateUserPool", "DescribeUserPool"]);
    expect(cognito.state()).toEqual(theirPool);
  });

  it("a Delete of a pool that is gone answers without error", async () => {
    const cognito = fakeCognito(undefined);
    expect(
      await attach(
        cognito.client,
        event("Delete", { UserPoolId: POOL, LambdaConfig: OURS }, { PhysicalResourceId: "gone" }),
        "eu-west-1",
      ),
    ).toBe("gone");
  });
});
