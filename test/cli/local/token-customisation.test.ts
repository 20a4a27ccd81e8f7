import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { JwtRsaVerifier } from "aws-jwt-verify";
import { JwtInvalidSignatureError } from "aws-jwt-verify/error";
import type { Jwks } from "aws-jwt-verify/jwk";
import { beforeAll, describe, expect, it } from "vitest";
import { cognitoLocalSigner, decodeJwt, type JwtSigner } from "../../../cli/local/jwt.ts";
import {
  customiseTokens,
  preTokenGenerationEvent,
  type Tokens,
  tokenScopes,
} from "../../../cli/local/token-customisation.ts";
import { isRecord } from "../../../triggers/lib/events.ts";
import { createHandler } from "../../../triggers/pre-token-generation/trigger.ts";

const POOL_ID = "local_5Hp3kQ9x";
const CLIENT_ID = "3f8s0localclient0000001";
const ISSUER = `http://localhost:9229/${POOL_ID}`;
const ADMIN_SCOPE = "aws.cognito.signin.user.admin";
const ROLE = "arn:aws:iam::123456789012:role/editors";
const ATTRIBUTES = {
  sub: "4f1c2d3e-8011-70a9-b2c4-6e7f8091a2b3",
  email: "sakura@example.com",
  email_verified: "true",
  "custom:tenant_id": "acme-jp",
};

/** cognito-local's own token generator, built in-process with its triggers off: its tokens exactly. */
interface CognitoLocalTokenGenerator {
  generate(
    ctx: unknown,
    user: { Username: string; Attributes: { Name: string; Value: string }[] },
    groups: readonly string[],
    client: { ClientId: string; UserPoolId: string },
    clientMetadata: undefined,
    source: "Authentication",
  ): Promise<{ IdToken: string; AccessToken: string }>;
}
const require = createRequire(import.meta.url);
const { JwtTokenGenerator } = require("cognito-local/lib/services/tokenGenerator.js") as {
  JwtTokenGenerator: new (
    clock: { get(): Date },
    triggers: { enabled(): boolean },
    config: { IssuerDomain: string },
  ) => CognitoLocalTokenGenerator;
};
const { jwk: publicJwk } = require("cognito-local/lib/keys/cognitoLocal.public.json") as {
  jwk: Jwks["keys"][number];
};

async function mint(groups: readonly string[] = ["editors"]): Promise<Tokens> {
  const generator = new JwtTokenGenerator(
    { get: () => new Date() },
    { enabled: () => false },
    { IssuerDomain: "http://localhost:9229" },
  );
  const user = {
    Username: "sakura",
    Attributes: Object.entries(ATTRIBUTES).map(([Name, Value]) => ({ Name, Value })),
  };
  const tokens = await generator.generate(
    { logger: {} },
    user,
    groups,
    { ClientId: CLIENT_ID, UserPoolId: POOL_ID },
    undefined,
    "Authentication",
  );
  return { idToken: tokens.IdToken, accessToken: tokens.AccessToken };
}

const claims = (token: string) => decodeJwt(token).payload;
const headerOf = (token: string) => token.split(".")[0];
const without = (payload: Record<string, unknown>, ...names: string[]) =>
  Object.fromEntries(Object.entries(payload).filter(([name]) => !names.includes(name)));

// Verified with cognito-local's public JWK, as an API would against its JWKS: no server needed.
const verifier = JwtRsaVerifier.create({
  issuer: ISSUER,
  audience: null,
  jwksUri: `${ISSUER}/.well-known/jwks.json`,
});
verifier.cacheJwks({ keys: [publicJwk] });
const verifyId = (token: string) =>
  verifier.verifySync(token, {
    audience: CLIENT_ID,
    customJwtCheck: ({ payload }) => expect(payload.token_use).toBe("id"),
  });
const verifyAccess = (token: string) =>
  verifier.verifySync(token, {
    audience: null,
    customJwtCheck: ({ payload }) => {
      expect(payload.token_use).toBe("access");
      expect(payload.client_id).toBe(CLIENT_ID);
    },
  });

/** A response carrying only `details`, as the trigger returns it inside the event. */
const v2 = (details: object | null) => ({ claimsAndScopeOverrideDetails: details });

describe("preTokenGenerationEvent", () => {
  it("builds the V2 event Cognito sends, as in the suite's sample", () => {
    const sample = JSON.parse(
      readFileSync(
        new URL("../../../events/pre-token-generation/authentication-v2.json", import.meta.url),
        "utf8",
      ),
    );
    const event = preTokenGenerationEvent({
      version: "2",
      triggerSource: "TokenGeneration_Authentication",
      region: sample.region,
      userPoolId: sample.userPoolId,
      clientId: sample.callerContext.clientId,
      userName: sample.userName,
      userAttributes: sample.request.userAttributes,
      groups: sample.request.groupConfiguration.groupsToOverride,
      scopes: sample.request.scopes,
    });
    expect(event).toEqual(sample);
  });

  it("passes client metadata and V3_0's version through", () => {
    const event = preTokenGenerationEvent({
      version: "3",
      triggerSource: "TokenGeneration_RefreshTokens",
      region: "eu-west-1",
      userPoolId: POOL_ID,
      clientId: CLIENT_ID,
      userName: "sakura",
      userAttributes: ATTRIBUTES,
      groups: [],
      scopes: [ADMIN_SCOPE],
      clientMetadata: { app: "notes" },
    });
    expect(event.version).toBe("3");
    expect(event.request.clientMetadata).toEqual({ app: "notes" });
    expect(event.request.groupConfiguration).toEqual({
      groupsToOverride: [],
      iamRolesToOverride: [],
      preferredRole: null,
    });
  });
});

describe("customiseTokens with the suite's pre token generation trigger", () => {
  const config = {
    keepGroups: true,
    idToken: {
      add: { tenant_id: { fromAttribute: "custom:tenant_id" }, app: { value: "acme-notes" } },
      suppress: ["email"],
    },
    accessToken: {
      add: { tenant_id: { fromAttribute: "custom:tenant_id" }, aud: { fromClientId: true } },
      suppress: ["cognito:groups"],
    },
    groupScopes: { editors: ["notes/write"] },
  };
  let minted: Tokens;
  let customised: Tokens;

  beforeAll(async () => {
    minted = await mint(["editors"]);
    const handler = createHandler({ CLAIMS_CONFIG: JSON.stringify(config) });
    for (const version of ["2", "3"] as const) {
      const event = preTokenGenerationEvent({
        version,
        triggerSource: "TokenGeneration_Authentication",
        region: "eu-west-1",
        userPoolId: POOL_ID,
        clientId: CLIENT_ID,
        userName: "sakura",
        userAttributes: ATTRIBUTES,
        groups: claims(minted.idToken)["cognito:groups"] as string[],
        scopes: tokenScopes(minted.accessToken),
      });
      const answered = await handler(event);
      if (!isRecord(answered)) throw new Error("the trigger returned no event");
      const tokens = customiseTokens(minted, answered.response);
      if (version === "3")
        expect(tokens.accessToken.split(".")[1]).toBe(customised.accessToken.split(".")[1]);
      customised = tokens;
    }
  });

  it("adds and suppresses the configured ID-token claims, and changes nothing else", () => {
    expect(claims(customised.idToken)).toEqual({
      ...without(claims(minted.idToken), "email"),
      tenant_id: "acme-jp",
      app: "acme-notes",
    });
  });

  it("adds the access-token claims and the group's scope, suppresses its groups, and changes nothing else", () => {
    const access = claims(customised.accessToken);
    expect(access).toEqual({
      ...without(claims(minted.accessToken), "cognito:groups", "scope"),
      tenant_id: "acme-jp",
      aud: CLIENT_ID,
      scope: `${ADMIN_SCOPE} notes/write`,
    });
    expect(tokenScopes(customised.accessToken)).toEqual([ADMIN_SCOPE, "notes/write"]);
  });

  it("keeps Cognito's reserved claims as cognito-local issued them", () => {
    const reserved = ["sub", "iss", "exp", "iat", "auth_time", "jti", "token_use", "event_id"];
    for (const [before, after, own] of [
      [minted.idToken, customised.idToken, ["cognito:username", "aud"]],
      [minted.accessToken, customised.accessToken, ["username", "client_id"]],
    ] as const) {
      for (const claim of [...reserved, ...own]) expect(claims(after)[claim]).toEqual(claims(before)[claim]);
      expect(headerOf(after)).toBe(headerOf(before));
    }
  });

  it("signs both tokens again with cognito-local's key: they verify against its public JWK", () => {
    expect(verifyId(customised.idToken)).toMatchObject({ tenant_id: "acme-jp", aud: CLIENT_ID });
    expect(verifyAccess(customised.accessToken)).toMatchObject({ scope: `${ADMIN_SCOPE} notes/write` });
    expect(verifier.verifySync(customised.accessToken, { audience: CLIENT_ID })).toMatchObject({
      tenant_id: "acme-jp",
    });
  });

  it("would not verify with the payload changed but not signed again", () => {
    for (const [before, after] of [
      [minted.idToken, customised.idToken],
      [minted.accessToken, customised.accessToken],
    ] as const) {
      const [header, , originalSignature] = before.split(".");
      const unsigned = `${header}.${after.split(".")[1]}.${originalSignature}`;
      expect(() => verifier.verifySync(unsigned)).toThrow(JwtInvalidSignatureError);
    }
    const [header, payload, signature] = customised.idToken.split(".");
    const tampered = { ...decodeJwt(customised.idToken).payload, tenant_id: "globex" };
    expect(payload).not.toBe(Buffer.from(JSON.stringify(tampered)).toString("base64url"));
    const forged = `${header}.${Buffer.from(JSON.stringify(tampered)).toString("base64url")}.${signature}`;
    expect(() => verifyId(forged)).toThrow(JwtInvalidSignatureError);
  });
});

describe("customiseTokens: Cognito's rules", () => {
  let tokens: Tokens;
  beforeAll(async () => {
    tokens = await mint(["editors"]);
  });

  it.each([null, undefined, []])("leaves both tokens as they are, unsigned again, for %j", (details) => {
    expect(customiseTokens(tokens, v2(details as null))).toEqual(tokens);
    expect(customiseTokens(tokens, {})).toEqual(tokens);
    expect(customiseTokens(tokens, v2({}))).toEqual(tokens);
  });

  it.each([
    ["idTokenGeneration", "claimsToAddOrOverride", "sub"],
    ["idTokenGeneration", "claimsToAddOrOverride", "cognito:username"],
    ["idTokenGeneration", "claimsToAddOrOverride", "cognito:user_status"],
    ["idTokenGeneration", "claimsToAddOrOverride", "cognito:groups"],
    ["idTokenGeneration", "claimsToAddOrOverride", "dev:origin"],
    ["idTokenGeneration", "claimsToSuppress", "iss"],
    ["idTokenGeneration", "claimsToSuppress", "aud"],
    ["accessTokenGeneration", "claimsToAddOrOverride", "username"],
    ["accessTokenGeneration", "claimsToAddOrOverride", "client_id"],
    ["accessTokenGeneration", "claimsToAddOrOverride", "scope"],
    ["accessTokenGeneration", "claimsToSuppress", "exp"],
    ["accessTokenGeneration", "claimsToSuppress", "event_id"],
  ])("refuses the whole response when %s.%s touches %s", (token, change, claim) => {
    const section =
      change === "claimsToSuppress"
        ? { claimsToSuppress: [claim] }
        : { claimsToAddOrOverride: { [claim]: "x" } };
    // Alongside a change Cognito allows: the whole response is refused, not just the reserved claim.
    const allowed = { claimsToAddOrOverride: { plan: "pro" } };
    const other = token === "idTokenGeneration" ? "accessTokenGeneration" : "idTokenGeneration";
    const call = () => customiseTokens(tokens, v2({ [other]: allowed, [token]: section }));
    expect(call).toThrow(expect.objectContaining({ name: "InvalidLambdaResponseException" }));
    expect(call).toThrow(`"${claim}"`);
    expect(call).toThrow(`${token}.${change}`);
  });

  it("accepts aud only as the session's app client id", () => {
    const access = (aud: string) => v2({ accessTokenGeneration: { claimsToAddOrOverride: { aud } } });
    expect(claims(customiseTokens(tokens, access(CLIENT_ID)).accessToken).aud).toBe(CLIENT_ID);
    expect(() => customiseTokens(tokens, access("my-api"))).toThrow("app client id");
    // The Guide's own V2 example returns the same aud for the ID token: nothing changes there.
    const id = customiseTokens(
      tokens,
      v2({ idTokenGeneration: { claimsToAddOrOverride: { aud: CLIENT_ID } } }),
    );
    expect(id.idToken).toBe(tokens.idToken);
  });

  it("suppresses a claim that is also added, and lets dev: attributes be suppressed", () => {
    const result = customiseTokens(
      tokens,
      v2({
        idTokenGeneration: {
          claimsToAddOrOverride: { email: "other@example.com", plan: "pro" },
          claimsToSuppress: ["email", "dev:origin"],
        },
      }),
    );
    expect(claims(result.idToken)).toEqual({ ...without(claims(tokens.idToken), "email"), plan: "pro" });
    expect(result.accessToken).toBe(tokens.accessToken);
  });

  it("takes JSON values, except complex ones for email_verified & co in the ID token", () => {
    const features = ["notes", { sharing: true }];
    const result = customiseTokens(
      tokens,
      v2({
        idTokenGeneration: { claimsToAddOrOverride: { features, email_verified: true } },
        accessTokenGeneration: { claimsToAddOrOverride: { features, address: { country: "JP" } } },
      }),
    );
    expect(claims(result.idToken)).toMatchObject({ features, email_verified: true });
    expect(claims(result.accessToken)).toMatchObject({ features, address: { country: "JP" } });
    const complex = v2({ idTokenGeneration: { claimsToAddOrOverride: { address: { country: "JP" } } } });
    expect(() => customiseTokens(tokens, complex)).toThrow(
      '"address" takes no complex value in the ID token',
    );
  });

  it("replaces the groups in both tokens with groupOverrideDetails, roles in the ID token only", () => {
    const result = customiseTokens(
      tokens,
      v2({
        groupOverrideDetails: {
          groupsToOverride: ["admins"],
          iamRolesToOverride: [ROLE],
          preferredRole: ROLE,
        },
      }),
    );
    expect(claims(result.idToken)).toEqual({
      ...claims(tokens.idToken),
      "cognito:groups": ["admins"],
      "cognito:roles": [ROLE],
      "cognito:preferred_role": ROLE,
    });
    expect(claims(result.accessToken)).toEqual({
      ...claims(tokens.accessToken),
      "cognito:groups": ["admins"],
    });
    expect(verifyId(result.idToken)["cognito:groups"]).toEqual(["admins"]);
    expect(verifyAccess(result.accessToken)["cognito:groups"]).toEqual(["admins"]);
  });

  it.each([null, {}, { groupsToOverride: [] }])("removes the groups from both tokens for %j", (override) => {
    const result = customiseTokens(tokens, v2({ groupOverrideDetails: override }));
    expect(claims(result.idToken)).toEqual(without(claims(tokens.idToken), "cognito:groups"));
    expect(claims(result.accessToken)).toEqual(without(claims(tokens.accessToken), "cognito:groups"));
  });

  it("removes the role claims with cognito:groups when the ID token suppresses it", () => {
    const result = customiseTokens(
      tokens,
      v2({
        idTokenGeneration: { claimsToSuppress: ["cognito:groups"] },
        groupOverrideDetails: {
          groupsToOverride: ["admins"],
          iamRolesToOverride: [ROLE],
          preferredRole: ROLE,
        },
      }),
    );
    expect(claims(result.idToken)).toEqual(without(claims(tokens.idToken), "cognito:groups"));
    expect(claims(result.accessToken)["cognito:groups"]).toEqual(["admins"]);
  });

  it("adds and suppresses scopes in the access token's scope claim", () => {
    const scopes = (accessTokenGeneration: object) =>
      tokenScopes(customiseTokens(tokens, v2({ accessTokenGeneration })).accessToken);
    expect(scopes({ scopesToAdd: ["notes/read", ADMIN_SCOPE, "notes/read"] })).toEqual([
      ADMIN_SCOPE,
      "notes/read",
    ]);
    expect(scopes({ scopesToAdd: ["notes/read"], scopesToSuppress: [ADMIN_SCOPE] })).toEqual(["notes/read"]);
    expect(scopes({ scopesToAdd: ["notes/read"], scopesToSuppress: ["notes/read"] })).toEqual([ADMIN_SCOPE]);
    const none = customiseTokens(tokens, v2({ accessTokenGeneration: { scopesToSuppress: [ADMIN_SCOPE] } }));
    expect(claims(none.accessToken)).toEqual(without(claims(tokens.accessToken), "scope"));
    expect(none.idToken).toBe(tokens.idToken);
    expect(verifyAccess(none.accessToken).scope).toBeUndefined();
  });

  it("refuses a scope with a blank space in it", () => {
    const response = v2({ accessTokenGeneration: { scopesToAdd: ["notes/read notes/write"] } });
    expect(() => customiseTokens(tokens, response)).toThrow("accessTokenGeneration.scopesToAdd");
  });

  it("applies a V1 claimsOverrideDetails to the ID token, and only its groups to the access token", () => {
    const claimsOnly = customiseTokens(tokens, {
      claimsOverrideDetails: { claimsToAddOrOverride: { tenant_id: "acme-jp" }, claimsToSuppress: ["email"] },
    });
    expect(claims(claimsOnly.idToken)).toEqual({
      ...without(claims(tokens.idToken), "email"),
      tenant_id: "acme-jp",
    });
    expect(claimsOnly.accessToken).toBe(tokens.accessToken);
    const groups = customiseTokens(tokens, {
      claimsOverrideDetails: { groupOverrideDetails: { groupsToOverride: ["admins"] } },
    });
    expect(claims(groups.accessToken)["cognito:groups"]).toEqual(["admins"]);
  });

  it("refuses to sign a token again under a key that did not sign it", () => {
    const otherKey: JwtSigner = { kid: "SomeOtherKey", sign: () => "" };
    const response = v2({ idTokenGeneration: { claimsToAddOrOverride: { plan: "pro" } } });
    expect(() => customiseTokens(tokens, response, otherKey)).toThrow('"SomeOtherKey"');
    expect(cognitoLocalSigner.kid).toBe("CognitoLocal");
  });
});
