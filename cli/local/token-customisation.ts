/**
 * Pre token generation V2_0 / V3_0 for the local pool. cognito-local 5.3.0 only knows V1: it applies
 * `claimsOverrideDetails` to the ID token and never lets a trigger touch the access token or its scopes.
 * This module builds the V2 event Cognito would send for the tokens cognito-local issued, applies the
 * trigger's answer the way Cognito does, and signs the changed tokens again with cognito-local's key,
 * so they still verify against its JWKS.
 *
 * The rules are those of the Developer Guide, "Pre token generation Lambda trigger" (GUIDE below):
 * its "Claims and scopes reference" table and footnotes, and its response parameters table. The Guide
 * does not say what Cognito does with a response that changes a claim the table marks as not
 * changeable; like the suite's trigger contract (triggers/pre-token-generation/reserved-claims.ts), this
 * refuses the whole response, so that a trigger that would misbehave in AWS fails here, loudly.
 */

import { isRecord, type TriggerEvent } from "../../triggers/lib/events.ts";
import { GROUP_CLAIMS, NEVER_MODIFIABLE } from "../../triggers/pre-token-generation/reserved-claims.ts";
import {
  cognitoLocalSigner,
  type DecodedJwt,
  decodeJwt,
  type JwtPayload,
  type JwtSigner,
  resignJwt,
} from "./jwt.ts";

export const GUIDE =
  "https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html";

/** The sources of a user's tokens (GUIDE, "Pre token generation Lambda trigger sources"). */
export type UserTokenSource =
  | "TokenGeneration_HostedAuth"
  | "TokenGeneration_Authentication"
  | "TokenGeneration_NewPasswordChallenge"
  | "TokenGeneration_AuthenticateDevice"
  | "TokenGeneration_RefreshTokens";

export interface PreTokenGenerationInput {
  /** "3" differs from "2" only for machine (client credentials) tokens, which cognito-local does not issue. */
  version: "2" | "3";
  triggerSource: UserTokenSource;
  region: string;
  userPoolId: string;
  clientId: string;
  userName: string;
  userAttributes: Record<string, string>;
  groups: readonly string[];
  /** The access token's scopes (its `scope` claim, split: see tokenScopes). */
  scopes: readonly string[];
  clientMetadata?: Record<string, string>;
}

export interface Tokens {
  idToken: string;
  accessToken: string;
}

/** Cognito's error for a trigger response it cannot apply. The message is ours: the Guide gives none. */
export class InvalidLambdaResponseError extends Error {
  override readonly name = "InvalidLambdaResponseException";
  constructor(reason: string) {
    super(`Invalid lambda response: ${reason}`);
  }
}

/** The V2_0 / V3_0 request Cognito sends (GUIDE, "Pre token generation Lambda trigger parameters"). */
export function preTokenGenerationEvent(input: PreTokenGenerationInput): TriggerEvent {
  return {
    version: input.version,
    triggerSource: input.triggerSource,
    region: input.region,
    userPoolId: input.userPoolId,
    userName: input.userName,
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: input.clientId },
    request: {
      userAttributes: { ...input.userAttributes },
      // cognito-local puts no IAM roles in its tokens, so there are none to offer the trigger.
      groupConfiguration: {
        groupsToOverride: [...input.groups],
        iamRolesToOverride: [],
        preferredRole: null,
      },
      scopes: [...input.scopes],
      ...(input.clientMetadata === undefined ? {} : { clientMetadata: { ...input.clientMetadata } }),
    },
    response: { claimsAndScopeOverrideDetails: null },
  };
}

/** The scopes of an access token: its `scope` claim is one space-separated string. */
export function tokenScopes(accessToken: string): string[] {
  const scope = decodeJwt(accessToken).payload.scope;
  return typeof scope === "string" ? scope.split(" ").filter((s) => s !== "") : [];
}

/**
 * The tokens with the trigger's response applied: `claimsAndScopeOverrideDetails` (V2/V3), or else a
 * V1 `claimsOverrideDetails`, which changes the ID token only (its groups reach both tokens). A token
 * that does not change is returned as it came, not signed again. Throws InvalidLambdaResponseError
 * where Cognito does not let a trigger make the change.
 */
export function customiseTokens(
  tokens: Tokens,
  response: unknown,
  signer: JwtSigner = cognitoLocalSigner,
): Tokens {
  const changes = requestedChanges(response);
  if (changes === undefined) return tokens;
  const id = decodeJwt(tokens.idToken);
  const access = decodeJwt(tokens.accessToken);
  // Footnote 4: an `aud` a trigger sets must be "the app client ID of the current session".
  const clientId = access.payload.client_id;
  const idClaims = customised(id.payload, "id", changes.idToken, changes.groups, clientId);
  const accessClaims = customised(access.payload, "access", changes.accessToken, changes.groups, clientId);
  return {
    idToken: signIfChanged(tokens.idToken, id, idClaims, signer),
    accessToken: signIfChanged(tokens.accessToken, access, accessClaims, signer),
  };
}

type TokenKind = "id" | "access";

interface TokenChanges {
  /** Where in the response the changes came from, for error messages. */
  where: string;
  add: [claim: string, value: unknown][];
  suppress: string[];
  scopesToAdd: string[];
  scopesToSuppress: string[];
}

interface GroupOverride {
  groups: string[];
  roles: string[];
  preferredRole: string | undefined;
}

interface Changes {
  idToken: TokenChanges;
  accessToken: TokenChanges;
  /** undefined: the response has no groupOverrideDetails, and the groups stay as they are. */
  groups: GroupOverride | undefined;
}

/**
 * GUIDE, table "Claims and scopes reference": no trigger may add, modify or suppress these, in either
 * token; group claims change only through groupOverrideDetails. The pre token generation trigger
 * refuses the same claims in its configuration (reserved-claims.ts), so the list is kept there, once.
 */
const COGNITO_OWNED = NEVER_MODIFIABLE;

/** GUIDE, "Event versions", note: these ID-token claims take no complex objects. */
const SIMPLE_IN_ID_TOKEN = new Set(["phone_number_verified", "email_verified", "updated_at", "address"]);

const NO_CHANGES: TokenChanges = { where: "", add: [], suppress: [], scopesToAdd: [], scopesToSuppress: [] };

function requestedChanges(response: unknown): Changes | undefined {
  if (!isRecord(response)) return undefined;
  if (!isAbsent(response.claimsAndScopeOverrideDetails)) {
    const details = record(response.claimsAndScopeOverrideDetails, "claimsAndScopeOverrideDetails");
    return {
      idToken: tokenChanges(details.idTokenGeneration, "idTokenGeneration", "id"),
      accessToken: tokenChanges(details.accessTokenGeneration, "accessTokenGeneration", "access"),
      groups: groupOverride(details),
    };
  }
  if (!isAbsent(response.claimsOverrideDetails)) {
    const details = record(response.claimsOverrideDetails, "claimsOverrideDetails");
    // "Group overrides are the only changes to the access token that version 1 events can make."
    return {
      idToken: tokenChanges(details, "claimsOverrideDetails", "id"),
      accessToken: NO_CHANGES,
      groups: groupOverride(details),
    };
  }
  return undefined;
}

/** Cognito pre-fills the response with null; the Guide's own test events show an empty array. */
function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}

function tokenChanges(value: unknown, where: string, token: TokenKind): TokenChanges {
  if (isAbsent(value)) return NO_CHANGES;
  const section = record(value, where);
  const add = isAbsent(section.claimsToAddOrOverride)
    ? {}
    : record(section.claimsToAddOrOverride, `${where}.claimsToAddOrOverride`);
  const scopes = (key: string) => (token === "access" ? strings(section[key], `${where}.${key}`) : []);
  return {
    where,
    add: Object.entries(add),
    suppress: strings(section.claimsToSuppress, `${where}.claimsToSuppress`),
    scopesToAdd: scopes("scopesToAdd"),
    scopesToSuppress: scopes("scopesToSuppress"),
  };
}

/**
 * "Your function replaces the groupOverrideDetails object with the object that you provide. If you
 * provide an empty or null object in the response, then Amazon Cognito suppresses the groups."
 */
function groupOverride(details: Record<string, unknown>): GroupOverride | undefined {
  const value = details.groupOverrideDetails;
  if (value === undefined) return undefined;
  if (value === null) return { groups: [], roles: [], preferredRole: undefined };
  const override = record(value, "groupOverrideDetails");
  const preferred = override.preferredRole;
  if (preferred !== undefined && preferred !== null && typeof preferred !== "string") {
    throw new InvalidLambdaResponseError("groupOverrideDetails.preferredRole must be a string");
  }
  return {
    groups: strings(override.groupsToOverride, "groupOverrideDetails.groupsToOverride"),
    roles: strings(override.iamRolesToOverride, "groupOverrideDetails.iamRolesToOverride"),
    preferredRole: preferred ?? undefined,
  };
}

function customised(
  payload: JwtPayload,
  token: TokenKind,
  changes: TokenChanges,
  groups: GroupOverride | undefined,
  clientId: unknown,
): JwtPayload {
  // A Map, not the object: a claim named "__proto__" must stay a claim, not become a prototype.
  const claims = new Map(Object.entries(payload));
  if (groups !== undefined) {
    // "Your groupOverrideDetails object replaces the cognito:groups claim in access tokens and ID
    // tokens"; cognito:roles and cognito:preferred_role are ID-token claims (table, "Default token type").
    setOrDelete(claims, "cognito:groups", groups.groups.length > 0 ? groups.groups : undefined);
    if (token === "id") {
      setOrDelete(claims, "cognito:roles", groups.roles.length > 0 ? groups.roles : undefined);
      setOrDelete(claims, "cognito:preferred_role", groups.preferredRole);
    }
  }
  for (const [claim, value] of changes.add) {
    const problem = addProblem(claim, value, token, clientId);
    if (problem) throw new InvalidLambdaResponseError(`${changes.where}.claimsToAddOrOverride: ${problem}`);
    claims.set(claim, value);
  }
  // After the additions: "If your function both suppresses and replaces a claim value, then Amazon
  // Cognito suppresses the claim."
  for (const claim of changes.suppress) {
    const problem = suppressProblem(claim, token);
    if (problem) throw new InvalidLambdaResponseError(`${changes.where}.claimsToSuppress: ${problem}`);
    claims.delete(claim);
    // Footnote 3: suppressing cognito:groups is how cognito:roles and cognito:preferred_role are suppressed.
    if (claim === "cognito:groups") for (const groupClaim of GROUP_CLAIMS) claims.delete(groupClaim);
  }
  if (token === "access") applyScopes(claims, changes);
  return Object.fromEntries(claims);
}

/** Why `claim` cannot be added or overridden in this token, or undefined when it can. */
function addProblem(claim: string, value: unknown, token: TokenKind, clientId: unknown): string | undefined {
  if (GROUP_CLAIMS.has(claim)) return `"${claim}" changes through groupOverrideDetails`;
  if (claim === "aud") {
    // Footnote 4 allows it in the access token as the client id. The Guide's own V2 example also returns
    // that aud for the ID token, whose aud already is the client id: accepted there as the no-op it is.
    return value === clientId ? undefined : `"aud" can only be the app client id of the session`;
  }
  if (claim === "scope" && token === "access") return `"scope" changes through scopesToAdd`;
  if (claim.startsWith("dev:")) return `"${claim}": dev: attributes can only be suppressed`;
  if (COGNITO_OWNED.has(claim) || claim.startsWith("cognito:")) {
    return `Cognito does not let a trigger add or override "${claim}"`;
  }
  if (token === "id" && SIMPLE_IN_ID_TOKEN.has(claim) && typeof value === "object" && value !== null) {
    return `"${claim}" takes no complex value in the ID token`;
  }
  return undefined;
}

/** Why `claim` cannot be suppressed in this token, or undefined when it can. */
function suppressProblem(claim: string, token: TokenKind): string | undefined {
  if (GROUP_CLAIMS.has(claim) || claim.startsWith("dev:")) return undefined;
  if (claim === "scope" && token === "access") return `"scope" changes through scopesToSuppress`;
  if (claim === "aud" || COGNITO_OWNED.has(claim) || claim.startsWith("cognito:")) {
    return `Cognito does not let a trigger suppress "${claim}"`;
  }
  return undefined;
}

/**
 * scopesToAdd: "scopes that you want to add to the scope claim ... You can't add scope values that
 * contain one or more blank-space characters"; scopesToSuppress: "scopes that you want to remove".
 * The Guide does not say which wins when a scope is in both: as with claims, suppression does.
 */
function applyScopes(claims: Map<string, unknown>, changes: TokenChanges): void {
  if (changes.scopesToAdd.length === 0 && changes.scopesToSuppress.length === 0) return;
  for (const scope of changes.scopesToAdd) {
    if (scope === "" || /\s/.test(scope)) {
      throw new InvalidLambdaResponseError(
        `${changes.where}.scopesToAdd: "${scope}" is empty or contains a blank space`,
      );
    }
  }
  const current = claims.get("scope");
  const suppressed = new Set(changes.scopesToSuppress);
  const scopes = [
    ...new Set([...(typeof current === "string" ? current.split(" ") : []), ...changes.scopesToAdd]),
  ].filter((scope) => scope !== "" && !suppressed.has(scope));
  setOrDelete(claims, "scope", scopes.length > 0 ? scopes.join(" ") : undefined);
}

function setOrDelete(claims: Map<string, unknown>, claim: string, value: unknown): void {
  if (value === undefined) claims.delete(claim);
  else claims.set(claim, value);
}

function signIfChanged(token: string, decoded: DecodedJwt, claims: JwtPayload, signer: JwtSigner): string {
  return JSON.stringify(claims) === JSON.stringify(decoded.payload)
    ? token
    : resignJwt(decoded, claims, signer);
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (!isRecord(value)) throw new InvalidLambdaResponseError(`${where} must be an object`);
  return value;
}

function strings(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw new InvalidLambdaResponseError(`${where} must be a list of strings`);
  }
  return value as string[];
}
