/**
 * The optional identity pool (`identityPool`, SuiteIdentityPool): off by default; when on, authenticated
 * identities only, classic flow off, roles that trust only this identity pool and their kind of identity,
 * an authenticated role with no permission until granted, principal tags from ID token claims with
 * `sts:TagSession` for exactly those keys, guests only when asked with exactly the listed actions, and
 * the suite's policy checks passing. Construction and templates only (no bundling).
 */
import { type CfnElement, Stack, Validations } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import * as cognito from "aws-cdk-lib/aws-cognito";
import * as s3 from "aws-cdk-lib/aws-s3";
import type { IConstruct } from "constructs";
import { describe, expect, it } from "vitest";
import { CognitoTriggerSuite, type CognitoTriggerSuiteProps } from "../../infra/cognito-trigger-suite.ts";
import { type IdentityPoolOptions, SuiteIdentityPool } from "../../infra/identity-pool.ts";
import { POLICY_ACKNOWLEDGMENTS } from "../../infra/policy-acknowledgments.ts";
import { policyValidationPlugins } from "../../infra/policy-validation.ts";
import type { InvalidSettingsError } from "../../infra/settings.ts";
import { testApp } from "./synth.ts";
import { ofType, type Resources, referencesIn } from "./template-graph.ts";

const SETTINGS = { appName: "Acme Notes", allowedEmailDomains: ["example.com"] };
const COGNITO_IDENTITY = "cognito-identity.amazonaws.com";
const PLACE_INDEX = "arn:aws:geo:eu-west-1:111122223333:place-index/explore";
const GUEST_ACTION = "geo:SearchPlaceIndexForText";

type IdentityPoolProps = Omit<IdentityPoolOptions, "userPoolClients"> & {
  userPoolClients?: IdentityPoolOptions["userPoolClients"];
};

/**
 * The suite on a pool of the app with a web client (and a second one), and `identityPool` from
 * `identityPool` (undefined: the prop left out).
 */
function build(
  identityPool: IdentityPoolProps | undefined,
  props: Partial<CognitoTriggerSuiteProps> = {},
  stack = new Stack(testApp({ bundle: false }), "Test"),
) {
  const userPool = new cognito.UserPool(stack, "Pool", { featurePlan: cognito.FeaturePlan.ESSENTIALS });
  const web = userPool.addClient("Web");
  const mobile = userPool.addClient("Mobile");
  const suite = new CognitoTriggerSuite(stack, "Triggers", {
    userPool,
    settings: SETTINGS,
    ...props,
    ...(identityPool ? { identityPool: { userPoolClients: [web], ...identityPool } } : {}),
  });
  const template = () => Template.fromStack(stack);
  const logicalId = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  return { stack, suite, userPool, web, mobile, template, logicalId };
}

/** The construct's refusal (an InvalidSettingsError), or a failed test if it accepted. */
function refusal(make: () => unknown): InvalidSettingsError {
  try {
    make();
  } catch (error) {
    expect((error as Error).name).toBe("InvalidSettingsError");
    return error as InvalidSettingsError;
  }
  throw new Error("expected the construct to refuse these props");
}

/** The roles whose trust policy names the Cognito identity service, by logical id. */
function identityRoles(resources: Resources) {
  return ofType(resources, "AWS::IAM::Role").filter(([, role]) =>
    JSON.stringify(role.Properties?.AssumeRolePolicyDocument).includes(COGNITO_IDENTITY),
  );
}

/** The inline and managed policies attached to a role. */
function policiesOfRole(resources: Resources, roleId: string) {
  return [...ofType(resources, "AWS::IAM::Policy"), ...ofType(resources, "AWS::IAM::ManagedPolicy")].filter(
    ([, policy]) => referencesIn(policy.Properties?.Roles).has(roleId),
  );
}

/** The trust statement a default role gets from the L2: this identity pool, this kind of identity. */
const trustStatement = (identityPoolId: string, amr: "authenticated" | "unauthenticated") => ({
  Action: "sts:AssumeRoleWithWebIdentity",
  Effect: "Allow",
  Principal: { Federated: COGNITO_IDENTITY },
  Condition: {
    StringEquals: { [`${COGNITO_IDENTITY}:aud`]: { Ref: identityPoolId } },
    "ForAnyValue:StringLike": { [`${COGNITO_IDENTITY}:amr`]: amr },
  },
});

describe("identityPool", () => {
  it("is off by default: no identity pool, no role that trusts Cognito identities", () => {
    const { suite, template } = build(undefined);
    expect(suite.identityPool).toBeUndefined();
    const t = template();
    t.resourceCountIs("AWS::Cognito::IdentityPool", 0);
    t.resourceCountIs("AWS::Cognito::IdentityPoolRoleAttachment", 0);
    t.resourceCountIs("AWS::Cognito::IdentityPoolPrincipalTag", 0);
    expect(identityRoles(t.toJSON().Resources as Resources)).toEqual([]);
  });

  describe("enabled with its defaults", () => {
    const { suite, web, template, logicalId, stack } = build({});
    const t = template();
    const resources = t.toJSON().Resources as Resources;
    const identityPool = suite.identityPool as SuiteIdentityPool;
    const poolId = logicalId(identityPool.identityPool);

    it("accepts authenticated identities only, from the given client's ID tokens, classic flow off, server-side token check on", () => {
      t.resourceCountIs("AWS::Cognito::IdentityPool", 1);
      t.hasResourceProperties("AWS::Cognito::IdentityPool", {
        AllowUnauthenticatedIdentities: false,
        AllowClassicFlow: false,
        CognitoIdentityProviders: [
          {
            ClientId: { Ref: logicalId(web) },
            ProviderName: Match.anyValue(),
            ServerSideTokenCheck: true,
          },
        ],
      });
      expect(stack.resolve(identityPool.identityPoolId)).toEqual({ Ref: poolId });
    });

    it("names the user pool provider as the browser's logins key: cognito-idp.<region>.<suffix>/<pool id>", () => {
      const providers = resources[poolId]?.Properties?.CognitoIdentityProviders as {
        ProviderName: unknown;
      }[];
      expect(providers).toHaveLength(1); // the given client, not the pool's other one
      const provider = providers[0];
      expect(provider?.ProviderName).toEqual(stack.resolve(identityPool.providerName));
      expect(JSON.stringify(provider?.ProviderName)).toMatch(
        /cognito-idp\.".*AWS::Region.*AWS::URLSuffix.*"\/"/,
      );
    });

    it("has one role, the authenticated one, trusting this identity pool's authenticated identities and nothing else", () => {
      const roles = identityRoles(resources);
      expect(roles).toHaveLength(1);
      const [roleId, role] = roles[0] as [string, (typeof roles)[0][1]];
      expect(stack.resolve(identityPool.authenticatedRole.roleArn)).toEqual({
        "Fn::GetAtt": [roleId, "Arn"],
      });
      expect(role.Properties?.AssumeRolePolicyDocument).toEqual({
        Version: "2012-10-17",
        Statement: [trustStatement(poolId, "authenticated")],
      });
      expect(identityPool.unauthenticatedRole).toBeUndefined();
      t.hasResourceProperties("AWS::Cognito::IdentityPoolRoleAttachment", {
        IdentityPoolId: { Ref: poolId },
        Roles: { authenticated: { "Fn::GetAtt": [roleId, "Arn"] } },
      });
      const attachment = ofType(resources, "AWS::Cognito::IdentityPoolRoleAttachment")[0]?.[1];
      expect(Object.keys(attachment?.Properties?.Roles as object)).toEqual(["authenticated"]);
    });

    it("gives the authenticated role no permission: no policy, no managed policy", () => {
      const [[roleId, role]] = identityRoles(resources) as [[string, (typeof resources)[string]]];
      expect(policiesOfRole(resources, roleId)).toEqual([]);
      expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties?.Policies).toBeUndefined();
    });

    it("has no principal tags and so no sts:TagSession", () => {
      t.resourceCountIs("AWS::Cognito::IdentityPoolPrincipalTag", 0);
      expect(identityPool.principalTags).toBeUndefined();
      expect(JSON.stringify(resources)).not.toContain("sts:TagSession");
    });

    it("acknowledges nothing", () => {
      expect(suite.policyAcknowledgments.map((made) => made.id)).not.toContain("AwsSolutions-COG7");
    });
  });

  it("lets the consumer grant to the authenticated role, and holds only that", () => {
    const { stack, suite } = build({});
    const bucket = new s3.Bucket(stack, "Uploads");
    const role = suite.identityPool?.authenticatedRole;
    if (!role) throw new Error("no identity pool");
    bucket.grantRead(role);
    const resources = Template.fromStack(stack).toJSON().Resources as Resources;
    const [roleId] = identityRoles(resources)[0] ?? [];
    if (!roleId) throw new Error("no authenticated role");
    const policies = policiesOfRole(resources, roleId);
    expect(policies).toHaveLength(1);
    const actions = JSON.stringify(policies[0]?.[1].Properties?.PolicyDocument);
    expect(actions).toContain("s3:GetObject*");
    expect(actions).toContain(stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket));
  });

  it("trusts each client given, and turns the server-side token check off only when asked", () => {
    const stack = new Stack(testApp({ bundle: false }), "Test");
    const userPool = new cognito.UserPool(stack, "Pool", { featurePlan: cognito.FeaturePlan.ESSENTIALS });
    const web = userPool.addClient("Web");
    const mobile = userPool.addClient("Mobile");
    new CognitoTriggerSuite(stack, "Triggers", {
      userPool,
      settings: SETTINGS,
      identityPool: { userPoolClients: [web, mobile], serverSideTokenCheck: false },
    });
    const ref = (client: cognito.UserPoolClient) => ({
      Ref: stack.getLogicalId(client.node.defaultChild as cognito.CfnUserPoolClient),
    });
    Template.fromStack(stack).hasResourceProperties("AWS::Cognito::IdentityPool", {
      CognitoIdentityProviders: [
        { ClientId: ref(web), ProviderName: Match.anyValue(), ServerSideTokenCheck: false },
        { ClientId: ref(mobile), ProviderName: Match.anyValue(), ServerSideTokenCheck: false },
      ],
    });
  });

  it("takes a pool and client imported by id: the provider names the pool id", () => {
    const stack = new Stack(testApp({ bundle: false }), "Test");
    const userPool = cognito.UserPool.fromUserPoolId(stack, "Pool", "eu-west-1_Abc123");
    const client = cognito.UserPoolClient.fromUserPoolClientId(stack, "Web", "4tq2example0client0id0abc");
    const suite = new CognitoTriggerSuite(stack, "Triggers", {
      userPool,
      settings: SETTINGS,
      identityPool: { userPoolClients: [client] },
    });
    Template.fromStack(stack).hasResourceProperties("AWS::Cognito::IdentityPool", {
      CognitoIdentityProviders: [
        {
          ClientId: "4tq2example0client0id0abc",
          ProviderName: {
            "Fn::Join": [
              "",
              ["cognito-idp.", { Ref: "AWS::Region" }, ".", { Ref: "AWS::URLSuffix" }, "/eu-west-1_Abc123"],
            ],
          },
          ServerSideTokenCheck: true,
        },
      ],
    });
    expect(suite.identityPool?.unauthenticatedRole).toBeUndefined();
  });

  describe("principal tags", () => {
    const { suite, template, logicalId, stack } = build({
      principalTags: { tenant: "tenant_id", department: "custom:department" },
    });
    const resources = template().toJSON().Resources as Resources;
    const identityPool = suite.identityPool as SuiteIdentityPool;
    const poolId = logicalId(identityPool.identityPool);

    it("map ID token claims to session tags for the user pool provider, without Cognito's default tags", () => {
      const tags = ofType(resources, "AWS::Cognito::IdentityPoolPrincipalTag");
      expect(tags).toHaveLength(1);
      expect(tags[0]?.[1].Properties).toEqual({
        IdentityPoolId: { Ref: poolId },
        IdentityProviderName: stack.resolve(identityPool.providerName),
        PrincipalTags: { tenant: "tenant_id", department: "custom:department" },
        UseDefaults: false,
      });
    });

    it("let the authenticated role's sessions be tagged: sts:TagSession for this pool's authenticated identities and the mapped keys only", () => {
      const [[, role]] = identityRoles(resources) as [[string, (typeof resources)[string]]];
      expect(role.Properties?.AssumeRolePolicyDocument).toEqual({
        Version: "2012-10-17",
        Statement: [
          trustStatement(poolId, "authenticated"),
          {
            Action: "sts:TagSession",
            Effect: "Allow",
            Principal: { Federated: COGNITO_IDENTITY },
            Condition: {
              StringEquals: { [`${COGNITO_IDENTITY}:aud`]: { Ref: poolId } },
              "ForAnyValue:StringLike": { [`${COGNITO_IDENTITY}:amr`]: "authenticated" },
              "ForAllValues:StringEquals": { "aws:TagKeys": ["tenant", "department"] },
            },
          },
        ],
      });
    });
  });

  describe("unauthenticated identities, when asked for", () => {
    const { suite, template, logicalId } = build({
      unauthenticatedAccess: { actions: [GUEST_ACTION], resources: [PLACE_INDEX] },
      principalTags: { tenant: "tenant_id" },
    });
    const t = template();
    const resources = t.toJSON().Resources as Resources;
    const identityPool = suite.identityPool as SuiteIdentityPool;
    const poolId = logicalId(identityPool.identityPool);
    const roleIdOf = (amr: string) =>
      identityRoles(resources).find(([, role]) =>
        JSON.stringify(role.Properties?.AssumeRolePolicyDocument).includes(`"${amr}"`),
      )?.[0] as string;

    it("are allowed, through a role of their own that trusts this pool's unauthenticated identities only", () => {
      t.hasResourceProperties("AWS::Cognito::IdentityPool", { AllowUnauthenticatedIdentities: true });
      const guestId = roleIdOf("unauthenticated");
      expect(resources[guestId]?.Properties?.AssumeRolePolicyDocument).toEqual({
        Version: "2012-10-17",
        Statement: [trustStatement(poolId, "unauthenticated")],
      });
      t.hasResourceProperties("AWS::Cognito::IdentityPoolRoleAttachment", {
        Roles: {
          authenticated: { "Fn::GetAtt": [roleIdOf("authenticated"), "Arn"] },
          unauthenticated: { "Fn::GetAtt": [guestId, "Arn"] },
        },
      });
    });

    it("get exactly the listed actions on the listed resources, and no session tags", () => {
      const guestId = roleIdOf("unauthenticated");
      const policies = policiesOfRole(resources, guestId);
      expect(policies).toHaveLength(1);
      expect(policies[0]?.[1].Properties?.PolicyDocument).toEqual({
        Version: "2012-10-17",
        Statement: [{ Action: GUEST_ACTION, Effect: "Allow", Resource: PLACE_INDEX }],
      });
      expect(JSON.stringify(resources[guestId])).not.toContain("sts:TagSession");
      expect(policiesOfRole(resources, roleIdOf("authenticated"))).toEqual([]);
    });

    it("are acknowledged (AwsSolutions-COG7) on the identity pool, with the suite's reason, and listed", () => {
      const made = suite.policyAcknowledgments.filter((each) => each.id === "AwsSolutions-COG7");
      expect(made).toEqual([
        {
          path: identityPool.identityPool.node.path,
          id: POLICY_ACKNOWLEDGMENTS.unauthenticatedIdentities.id,
          reason: POLICY_ACKNOWLEDGMENTS.unauthenticatedIdentities.reason,
        },
      ]);
    });
  });

  describe("refuses at synth", () => {
    const refused = (identityPool: IdentityPoolProps) => refusal(() => build(identityPool)).message;

    it("wildcard actions for guests, each named", () => {
      const message = refused({
        unauthenticatedAccess: {
          actions: ["*", "s3:*", "s3:Get*", "s3:GetObject"],
          resources: [PLACE_INDEX],
        },
      });
      expect(message).toContain("Test/Triggers: invalid settings:");
      for (const action of ["*", "s3:*", "s3:Get*"]) {
        expect(message).toContain(`identityPool.unauthenticatedAccess.actions has the wildcard "${action}"`);
      }
      expect(message).not.toContain('"s3:GetObject"');
    });

    it("an empty list of actions or resources for guests, and what is not an action", () => {
      const message = refused({ unauthenticatedAccess: { actions: [], resources: [] } });
      expect(message).toContain("identityPool.unauthenticatedAccess.actions is empty");
      expect(message).toContain("identityPool.unauthenticatedAccess.resources is empty");
      expect(
        refused({ unauthenticatedAccess: { actions: ["GetObject"], resources: [PLACE_INDEX] } }),
      ).toContain('"GetObject", which is not an IAM action');
    });

    it("no app client", () => {
      expect(refused({ userPoolClients: [] })).toContain("identityPool.userPoolClients is empty");
    });

    it("principal tags IAM would not take, or none", () => {
      const message = refused({ principalTags: { "aws:tenant": "tenant_id", "bad#key": "x", empty: "" } });
      expect(message).toContain('principalTags key "aws:tenant" is not a tag key');
      expect(message).toContain('principalTags key "bad#key" is not a tag key');
      expect(message).toContain('principalTags["empty"] must name an ID token claim');
      expect(refused({ principalTags: {} })).toContain("identityPool.principalTags is empty");
    });

    it("also when SuiteIdentityPool is used on its own", () => {
      const stack = new Stack(testApp({ bundle: false }), "Test");
      const userPool = new cognito.UserPool(stack, "Pool");
      const message = refusal(
        () =>
          new SuiteIdentityPool(stack, "Identities", {
            userPool,
            userPoolClients: [userPool.addClient("Web")],
            unauthenticatedAccess: { actions: ["rekognition:*"], resources: ["*"] },
          }),
      ).message;
      expect(message).toContain("Test/Identities: invalid settings:");
      expect(message).toContain('"rekognition:*"');
    });
  });
});

/**
 * Synthesizes the suite on a pool and client imported by id (the pool's own findings are its owner's),
 * with the suite's policy checks; the report, "" when the synth passed.
 */
function checkedReport(identityPool: IdentityPoolProps, props: Partial<CognitoTriggerSuiteProps> = {}) {
  const app = testApp({ bundle: false });
  const stack = new Stack(app, "Consumer");
  const suite = new CognitoTriggerSuite(stack, "Triggers", {
    userPool: cognito.UserPool.fromUserPoolId(stack, "Pool", "eu-west-1_Abc123"),
    settings: SETTINGS,
    identityPool: {
      userPoolClients: [
        cognito.UserPoolClient.fromUserPoolClientId(stack, "Web", "4tq2example0client0id0abc"),
      ],
      ...identityPool,
    },
    ...props,
  });
  Validations.of(app).addPlugins(...policyValidationPlugins(app));
  try {
    app.synth();
  } catch (error) {
    return { suite, report: (error as Error).message };
  }
  return { suite, report: "" };
}

describe("the suite's policy checks (cdk-nag, Control Tower) with an identity pool", () => {
  const everything: IdentityPoolProps = {
    principalTags: { tenant: "tenant_id" },
    unauthenticatedAccess: { actions: [GUEST_ACTION], resources: [PLACE_INDEX] },
  };

  it("pass with guests and principal tags, and with the defaults", () => {
    expect(checkedReport(everything).report).toBe("");
    expect(checkedReport({}).report).toBe("");
  }, 120_000);

  it("report the guests (AwsSolutions-COG7) and nothing else of the identity pool when the construct acknowledges nothing", () => {
    const { report } = checkedReport(everything, { acknowledgePolicyFindings: false });
    expect(report).toContain("AwsSolutions-COG7");
    expect(report).toContain("Consumer/Triggers/IdentityPool/Pool");
    expect(report).not.toMatch(/IdentityPool\/(AuthenticatedRole|UnauthenticatedRole|PrincipalTags)/);
  }, 120_000);

  it("report a guest grant on every resource (AwsSolutions-IAM5): the construct leaves that one to you", () => {
    const { report } = checkedReport({
      unauthenticatedAccess: { actions: ["rekognition:StartFaceLivenessSession"], resources: ["*"] },
    });
    expect(report).toContain("AwsSolutions-IAM5");
    expect(report).toContain("Consumer/Triggers/IdentityPool/Pool/UnauthenticatedRole/DefaultPolicy");
    expect(report).not.toContain("AwsSolutions-COG7");
  }, 120_000);
});
