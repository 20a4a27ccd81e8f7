/**
 * CLAIMS_CONFIG: what the tokens carry beyond Cognito's defaults. Validated completely when the handler
 * starts, so that a configuration Cognito would reject (a reserved claim, a scope with a space, a JSON
 * value where V1 takes only strings) fails at deploy time with a message naming the claim, instead of
 * failing every sign-in. The format is documented in docs/tokens-and-migration.md.
 *
 *   {
 *     "keepGroups": true,
 *     "idToken":     { "add": { "<claim>": <source> }, "suppress": ["<claim>"], "jsonValues": false },
 *     "accessToken": { "add": { "<claim>": <source> }, "suppress": ["<claim>"] },
 *     "groupScopes": { "<group>": ["<scope>"] }
 *   }
 *   <source> = { "value": <JSON> } | { "fromAttribute": "<user attribute>" } | { "fromClientId": true }
 */
import { claimProblem, foldClaimName, type TokenKind } from "./reserved-claims.ts";

export type JsonValue = string | number | boolean | JsonValue[] | { [key: string]: JsonValue };

export type ClaimSource =
  | { kind: "value"; value: JsonValue }
  | { kind: "attribute"; name: string }
  | { kind: "clientId" };

export interface TokenClaims {
  add: ReadonlyArray<readonly [claim: string, source: ClaimSource]>;
  suppress: readonly string[];
}

export interface ClaimsConfig {
  /** Copy request.groupConfiguration into the response (true), or drop the groups from the tokens. */
  keepGroups: boolean;
  /** ID-token values may be JSON (V2_0/V3_0 pools); otherwise they must be strings, as V1 requires. */
  idTokenJsonValues: boolean;
  idToken: TokenClaims;
  accessToken: TokenClaims;
  groupScopes: ReadonlyMap<string, readonly string[]>;
}

/** The ID-token claims that must stay simple values even in V2/V3 responses (Developer Guide, PTG). */
const ID_TOKEN_SIMPLE_ONLY = new Set(["email_verified", "phone_number_verified", "updated_at", "address"]);

/** RFC 6749 scope-token: printable ASCII without space, '"' or '\'. Cognito refuses scopes with spaces. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function parseClaimsConfig(raw: unknown): ClaimsConfig {
  const top = object(raw, "the configuration");
  onlyKeys(top, ["keepGroups", "idToken", "accessToken", "groupScopes"], "the configuration");
  const keepGroups = optionalBoolean(top.keepGroups, "keepGroups") ?? true;

  const idSection = top.idToken === undefined ? {} : object(top.idToken, "idToken");
  onlyKeys(idSection, ["add", "suppress", "jsonValues"], "idToken");
  const idTokenJsonValues = optionalBoolean(idSection.jsonValues, "idToken.jsonValues") ?? false;

  return {
    keepGroups,
    idTokenJsonValues,
    idToken: tokenClaims(idSection, "idToken", idTokenJsonValues),
    accessToken: tokenClaims(
      top.accessToken === undefined ? {} : object(top.accessToken, "accessToken"),
      "accessToken",
      true,
    ),
    groupScopes: groupScopes(top.groupScopes),
  };
}

function tokenClaims(section: Record<string, unknown>, token: TokenKind, jsonValues: boolean): TokenClaims {
  if (token === "accessToken") onlyKeys(section, ["add", "suppress"], token);
  const addSpec = section.add === undefined ? {} : object(section.add, `${token}.add`);
  // Claims by the name case-insensitive consumers read: two that differ only in case are one to them.
  const added = new Map<string, string>();
  const add = Object.entries(addSpec).map(([claim, spec]) => {
    const where = `${token}.add.${claim}`;
    const problem = claimProblem(claim, token, "add");
    if (problem) throw new Error(`${where}: ${problem}`);
    const twin = added.get(foldClaimName(claim));
    if (twin !== undefined) {
      throw new Error(
        `${where}: "${claim}" and "${twin}" differ only in case, and many consumers read them as one`,
      );
    }
    added.set(foldClaimName(claim), claim);
    const source = claimSource(spec, where);
    if (claim === "aud" && source.kind !== "clientId") {
      throw new Error(
        `${where}: Cognito accepts "aud" in the access token only when it equals the app client id: use {"fromClientId": true}`,
      );
    }
    if (source.kind === "value") checkValue(source.value, claim, token, jsonValues, where);
    return [claim, source] as const;
  });

  const suppress = stringList(section.suppress ?? [], `${token}.suppress`);
  for (const claim of suppress) {
    const problem = claimProblem(claim, token, "suppress");
    if (problem) throw new Error(`${token}.suppress: ${problem}`);
    // Cognito would suppress it anyway (or, spelt in another case, keep both); either way a mistake.
    const twin = added.get(foldClaimName(claim));
    if (twin !== undefined) {
      throw new Error(
        twin === claim
          ? `${token}: "${claim}" is both added and suppressed`
          : `${token}: "${twin}" is added and "${claim}" suppressed, which differ only in case`,
      );
    }
  }
  return { add, suppress: [...new Set(suppress)] };
}

function claimSource(spec: unknown, where: string): ClaimSource {
  const source = object(spec, where);
  const keys = Object.keys(source);
  if (keys.length !== 1) {
    throw new Error(`${where}: give exactly one of "value", "fromAttribute" or "fromClientId"`);
  }
  if (Object.hasOwn(source, "value")) {
    if (source.value === null) throw new Error(`${where}: null is not a claim value (use "suppress")`);
    return { kind: "value", value: source.value as JsonValue };
  }
  if (Object.hasOwn(source, "fromAttribute")) {
    if (typeof source.fromAttribute !== "string" || source.fromAttribute.trim() === "") {
      throw new Error(`${where}: "fromAttribute" must name a user attribute`);
    }
    return { kind: "attribute", name: source.fromAttribute };
  }
  if (Object.hasOwn(source, "fromClientId")) {
    if (source.fromClientId !== true) throw new Error(`${where}: "fromClientId" must be true`);
    return { kind: "clientId" };
  }
  throw new Error(`${where}: unknown value source "${keys[0]}"`);
}

function checkValue(
  value: JsonValue,
  claim: string,
  token: TokenKind,
  jsonValues: boolean,
  where: string,
): void {
  if (token !== "idToken" || typeof value === "string") return;
  if (!jsonValues) {
    throw new Error(
      `${where}: ID-token values must be strings, because V1 events accept only strings (set "idToken.jsonValues": true for a V2_0/V3_0 pool)`,
    );
  }
  if (ID_TOKEN_SIMPLE_ONLY.has(claim) && typeof value === "object") {
    throw new Error(`${where}: Cognito does not accept a complex value for "${claim}" in the ID token`);
  }
}

function groupScopes(raw: unknown): ReadonlyMap<string, readonly string[]> {
  const spec = raw === undefined ? {} : object(raw, "groupScopes");
  const map = new Map<string, readonly string[]>();
  for (const [group, scopes] of Object.entries(spec)) {
    const where = `groupScopes.${group}`;
    const list = stringList(scopes, where);
    for (const scope of list) {
      if (/\s/.test(scope)) throw new Error(`${where}: scope "${scope}" contains a space`);
      if (!SCOPE_TOKEN.test(scope)) throw new Error(`${where}: scope "${scope}" is not a valid scope`);
    }
    map.set(group, [...new Set(list)]);
  }
  return map;
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${where} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** Unknown keys are refused: a misspelt "supress" would otherwise silently leave a claim in the token. */
function onlyKeys(value: Record<string, unknown>, allowed: string[], where: string): void {
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown !== undefined) {
    throw new Error(`${where}: unknown key "${unknown}" (expected ${allowed.join(", ")})`);
  }
}

function optionalBoolean(value: unknown, where: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") throw new Error(`${where} must be true or false`);
  return value;
}

function stringList(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw new Error(`${where} must be a list of strings`);
  }
  return value as string[];
}
