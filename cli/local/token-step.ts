/**
 * The local pool's Pre token generation step: the event of the pool's configured version for the
 * tokens cognito-local issued, the trigger's answer applied to them and the tokens signed again with
 * cognito-local's key (token-customisation.ts), so that they still verify against its JWKS.
 */
import {
  customiseTokens,
  InvalidLambdaResponseError,
  preTokenGenerationEvent,
  type Tokens,
  tokenScopes,
  type UserTokenSource,
} from "./token-customisation.ts";

/** The pool's LambdaVersion for pre token generation (the CDK app deploys V2_0). */
export type PreTokenGenerationVersion = "V1_0" | "V2_0" | "V3_0";

export interface IssuedTokensInput {
  version: PreTokenGenerationVersion;
  triggerSource: string;
  region: string;
  userPoolId: string;
  clientId: string;
  userName: string;
  userAttributes: Record<string, string>;
  groups: readonly string[];
  clientMetadata: Record<string, string>;
  idToken: string;
  accessToken: string;
  /** Runs the trigger; throws as the call should fail. */
  invoke(event: Record<string, unknown>): Promise<Record<string, unknown>>;
}

export async function customiseIssuedTokens(input: IssuedTokensInput): Promise<Tokens> {
  const tokens = { idToken: input.idToken, accessToken: input.accessToken };
  const event = preTokenGenerationEvent({
    // A V1_0 pool gets the V2 shape's subset it reads (V1 handlers ignore scopes and answer claimsOverrideDetails).
    version: input.version === "V3_0" ? "3" : "2",
    triggerSource: input.triggerSource as UserTokenSource,
    region: input.region,
    userPoolId: input.userPoolId,
    clientId: input.clientId,
    userName: input.userName,
    userAttributes: input.userAttributes,
    groups: input.groups,
    scopes: tokenScopes(input.accessToken),
    clientMetadata: input.clientMetadata,
  }) as unknown as Record<string, unknown>;
  if (input.version === "V1_0") {
    event.version = "1";
    delete (event.request as Record<string, unknown>).scopes;
    event.response = { claimsOverrideDetails: null };
  }
  const result = await input.invoke(event);
  // Throws InvalidLambdaResponseError for a change Cognito does not allow: the call then fails.
  return customiseTokens(tokens, result.response);
}

export { InvalidLambdaResponseError };
