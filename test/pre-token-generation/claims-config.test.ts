import { afterEach, describe, expect, it } from "vitest";
import { GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import { parseClaimsConfig } from "../../triggers/pre-token-generation/claims-config.ts";
import { createHandler } from "../../triggers/pre-token-generation/trigger.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { tokenEvent } from "./events.ts";

const add = (token: "idToken" | "accessToken", claim: string, source: unknown = { value: "x" }) => ({
  [token]: { add: { [claim]: source } },
});
const suppress = (token: "idToken" | "accessToken", claim: string) => ({ [token]: { suppress: [claim] } });

describe("CLAIMS_CONFIG validation", () => {
  it.each(["sub", "cognito:username", "exp"])(
    "refuses a configuration that overrides %s, naming the claim",
    (claim) => {
      for (const token of ["idToken", "accessToken"] as const) {
        expect(() => parseClaimsConfig(add(token, claim))).toThrow(`${token}.add.${claim}`);
        expect(() => parseClaimsConfig(add(token, claim))).toThrow(`"${claim}"`);
        expect(() => parseClaimsConfig(suppress(token, claim))).toThrow(`"${claim}"`);
      }
    },
  );

  it.each([
    "iss",
    "iat",
    "token_use",
    "identities",
    "client_id",
    "username",
    "auth_time",
    "origin_jti",
    "event_id",
    "device_key",
    "version",
    "acr",
    "amr",
    "at_hash",
    "azp",
    "jti",
    "nbf",
    "nonce",
    "cognito:user_status",
    "cognito:anything",
  ])("refuses every other claim Cognito reserves: %s", (claim) => {
    expect(() => parseClaimsConfig(add("idToken", claim))).toThrow(`"${claim}"`);
    expect(() => parseClaimsConfig(add("accessToken", claim))).toThrow(`"${claim}"`);
  });

  it("refuses aud in the ID token, and in the access token unless it is the client id", () => {
    expect(() => parseClaimsConfig(add("idToken", "aud"))).toThrow(`"aud" in the ID token`);
    expect(() => parseClaimsConfig(add("idToken", "aud", { fromClientId: true }))).toThrow("ID token");
    expect(() => parseClaimsConfig(add("accessToken", "aud", { value: "my-api" }))).toThrow(
      'use {"fromClientId": true}',
    );
    expect(() => parseClaimsConfig(suppress("accessToken", "aud"))).toThrow('"aud"');
    expect(parseClaimsConfig(add("accessToken", "aud", { fromClientId: true })).accessToken.add).toEqual([
      ["aud", { kind: "clientId" }],
    ]);
  });

  it("lets the group claims be suppressed but not added, and dev: attributes only be suppressed", () => {
    expect(() => parseClaimsConfig(add("idToken", "cognito:groups"))).toThrow("keepGroups");
    expect(parseClaimsConfig(suppress("idToken", "cognito:groups")).idToken.suppress).toEqual([
      "cognito:groups",
    ]);
    expect(() => parseClaimsConfig(add("idToken", "dev:tier"))).toThrow("only be suppressed");
    expect(parseClaimsConfig(suppress("idToken", "dev:tier")).idToken.suppress).toEqual(["dev:tier"]);
    expect(() => parseClaimsConfig(add("accessToken", "scope"))).toThrow("groupScopes");
  });

  it.each([
    ["COGNITO:GROUPS", "cognito:groups"],
    [" cognito:groups ", "cognito:groups"],
    ["Sub", "sub"],
    ["AUD", "aud"],
    ["Cognito:Username", "cognito:username"],
    ["\u017Fub", "sub"],
    ["sub\u200B", "sub"],
    ["Dev:custom:tier", "dev:custom:tier"],
    ["SCOPE", "scope"],
  ])("refuses %j, which case-insensitive consumers read as %s, wherever it is put", (claim, cognitos) => {
    for (const token of ["idToken", "accessToken"] as const) {
      for (const config of [
        add(token, claim),
        add(token, claim, { fromClientId: true }),
        suppress(token, claim),
      ]) {
        expect(() => parseClaimsConfig(config)).toThrow(
          `"${claim}" is Cognito's "${cognitos}" written differently`,
        );
      }
    }
    expect(() => parseClaimsConfig(add("idToken", claim))).toThrow(`idToken.add.${claim}:`);
    expect(() => parseClaimsConfig(suppress("accessToken", claim))).toThrow("accessToken.suppress:");
  });

  it("keeps Cognito's own spellings to Cognito's rules, and other names in any case", () => {
    expect(parseClaimsConfig(suppress("idToken", "cognito:groups")).idToken.suppress).toEqual([
      "cognito:groups",
    ]);
    expect(parseClaimsConfig(add("accessToken", "aud", { fromClientId: true })).accessToken.add).toHaveLength(
      1,
    );
    expect(parseClaimsConfig(suppress("idToken", "dev:custom:vipTier")).idToken.suppress).toEqual([
      "dev:custom:vipTier",
    ]);
    expect(parseClaimsConfig(add("idToken", "Tenant_ID")).idToken.add).toEqual([
      ["Tenant_ID", { kind: "value", value: "x" }],
    ]);
  });

  it("refuses padded, invisible and case-twin claim names that are not Cognito's", () => {
    expect(() => parseClaimsConfig(add("idToken", " tenant"))).toThrow(
      'idToken.add. tenant: " tenant": a claim name cannot start or end with spaces',
    );
    expect(() => parseClaimsConfig(add("idToken", "ten\u200Bant"))).toThrow(
      "control or invisible characters",
    );
    expect(() =>
      parseClaimsConfig({ accessToken: { add: { tenant: { value: "a" }, TENANT: { value: "b" } } } }),
    ).toThrow('accessToken.add.TENANT: "TENANT" and "tenant" differ only in case');
    expect(() => parseClaimsConfig({ idToken: { add: { app: { value: "a" } }, suppress: ["App"] } })).toThrow(
      'idToken: "app" is added and "App" suppressed, which differ only in case',
    );
  });

  it("refuses scopes with spaces, and other characters a scope cannot hold", () => {
    expect(() => parseClaimsConfig({ groupScopes: { editors: ["notes/write notes/read"] } })).toThrow(
      'groupScopes.editors: scope "notes/write notes/read" contains a space',
    );
    expect(() => parseClaimsConfig({ groupScopes: { editors: ['notes/"write"'] } })).toThrow(
      "not a valid scope",
    );
    expect(() => parseClaimsConfig({ groupScopes: { editors: "notes/write" } })).toThrow("list of strings");
  });

  it("requires string ID-token values (V1 takes nothing else) unless idToken.jsonValues is set", () => {
    expect(() => parseClaimsConfig(add("idToken", "tenants", { value: ["a", "b"] }))).toThrow(
      "idToken.add.tenants: ID-token values must be strings",
    );
    expect(() => parseClaimsConfig(add("idToken", "level", { value: 3 }))).toThrow("must be strings");
    const json = parseClaimsConfig({
      idToken: { jsonValues: true, add: { tenants: { value: ["a", "b"] } } },
    });
    expect(json.idToken.add).toEqual([["tenants", { kind: "value", value: ["a", "b"] }]]);
    expect(() =>
      parseClaimsConfig({ idToken: { jsonValues: true, add: { address: { value: { country: "JP" } } } } }),
    ).toThrow('complex value for "address"');
    // The access token exists only in V2/V3 events, so JSON values are always allowed there.
    expect(
      parseClaimsConfig(add("accessToken", "features", { value: ["notes"] })).accessToken.add,
    ).toHaveLength(1);
  });

  it("refuses unknown keys, bad sources, null values and a claim both added and suppressed", () => {
    expect(() => parseClaimsConfig({ idToken: { supress: ["email"] } })).toThrow(
      'idToken: unknown key "supress"',
    );
    expect(() => parseClaimsConfig({ claims: {} })).toThrow('unknown key "claims"');
    expect(() => parseClaimsConfig(add("idToken", "app", "acme"))).toThrow(
      "idToken.add.app must be a JSON object",
    );
    expect(() => parseClaimsConfig(add("idToken", "app", { value: "a", fromAttribute: "b" }))).toThrow(
      "exactly one",
    );
    expect(() => parseClaimsConfig(add("idToken", "app", { fromEnv: "X" }))).toThrow(
      'unknown value source "fromEnv"',
    );
    expect(() => parseClaimsConfig(add("idToken", "app", { value: null }))).toThrow(
      "null is not a claim value",
    );
    expect(() => parseClaimsConfig({ idToken: { add: { app: { value: "a" } }, suppress: ["app"] } })).toThrow(
      '"app" is both added and suppressed',
    );
    expect(() => parseClaimsConfig({ keepGroups: "yes" })).toThrow("keepGroups must be true or false");
    expect(() => parseClaimsConfig([])).toThrow("must be a JSON object");
  });

  it("defaults to keeping groups and changing nothing else", () => {
    expect(parseClaimsConfig({})).toEqual({
      keepGroups: true,
      idTokenJsonValues: false,
      idToken: { add: [], suppress: [] },
      accessToken: { add: [], suppress: [] },
      groupScopes: new Map(),
    });
  });
});

describe("the handler with an invalid CLAIMS_CONFIG", () => {
  let logs: ReturnType<typeof captureLogs>;
  afterEach(() => logs.restore());

  it("logs one line naming the key and the claim at cold start, then refuses every token", async () => {
    logs = captureLogs();
    const handler = createHandler({
      CLAIMS_CONFIG: JSON.stringify({ idToken: { add: { sub: { value: "x" } } } }),
    });
    expect(logs.parsed()).toMatchObject([
      {
        level: "ERROR",
        key: "CLAIMS_CONFIG",
        reason: expect.stringContaining("idToken.add.sub: Cognito does not let"),
      },
    ]);
    await expect(handler(tokenEvent("2"))).rejects.toThrow(GENERIC_USER_MESSAGE);
  });

  it("fails closed the same way for a reserved name in another case, naming the key and the claim", async () => {
    logs = captureLogs();
    const handler = createHandler({
      CLAIMS_CONFIG: JSON.stringify({ accessToken: { suppress: ["COGNITO:GROUPS"] } }),
    });
    expect(logs.parsed()).toMatchObject([
      {
        level: "ERROR",
        key: "CLAIMS_CONFIG",
        reason: expect.stringContaining(
          'accessToken.suppress: "COGNITO:GROUPS" is Cognito\'s "cognito:groups"',
        ),
      },
    ]);
    await expect(handler(tokenEvent("2"))).rejects.toThrow(GENERIC_USER_MESSAGE);
  });

  it("is required: a forgotten setting fails closed instead of issuing unexpected tokens", async () => {
    logs = captureLogs();
    const handler = createHandler({});
    expect(logs.parsed()).toMatchObject([{ key: "CLAIMS_CONFIG", reason: "is required (JSON)" }]);
    await expect(handler(tokenEvent("1"))).rejects.toThrow(GENERIC_USER_MESSAGE);
  });
});
