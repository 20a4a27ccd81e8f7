/**
 * The custom email sender's default UserDirectory: Cognito AdminGetUser on the pool the event came
 * from. Only an account-takeover notification whose event carries no address needs it, so trigger.ts
 * imports this module on first use, and the Cognito client lands in a chunk of its own that the code
 * messages never load.
 *
 * One client per region, created on first use and bounded like every AWS client of the suite
 * (bounded-client-config.ts). A pool answers only in its own region, which its id begins with
 * (<region>_<id>), so the client is made for that region, whatever AWS_REGION says; the endpoint still
 * comes from the SDK's standard variables (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER).
 *
 * Of the answer only `email` and `email_verified` are read. The address is returned to the caller and
 * never logged or kept.
 */
import {
  AdminGetUserCommand,
  type AttributeType,
  CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { boundedClientConfig } from "../lib/bounded-client-config.ts";
import { clientsPerRegion } from "../lib/clients-per-region.ts";
import type { UserDirectory } from "../lib/services.ts";

/** Cognito's own pattern for a pool id, with the region written out; 55 characters at most. */
const USER_POOL_ID = /^([a-z]{2,}(?:-[a-z0-9]+)*)_[0-9A-Za-z]+$/;
const MAX_USER_POOL_ID = 55;

/** A Cognito client with the bounded settings, for `region`. */
export function createCognitoClient(region: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ ...boundedClientConfig(), region });
}

/** The client for the pool's region: a function serves one pool, so in practice one client. */
const cognitoClientFor = clientsPerRegion(createCognitoClient);

export class CognitoUserDirectory implements UserDirectory {
  /** Without a client, the bounded client for the pool's region. */
  constructor(private readonly client?: CognitoIdentityProviderClient) {}

  async verifiedEmail(
    userPoolId: string,
    username: string,
    signal: AbortSignal,
  ): Promise<string | undefined> {
    const region = userPoolId.length <= MAX_USER_POOL_ID ? USER_POOL_ID.exec(userPoolId)?.[1] : undefined;
    // Checked here, not left to Cognito: the region names the host the request goes to.
    if (region === undefined)
      throw new InvalidUserPoolIdError("the event's userPoolId is not a user pool id");
    let attributes: AttributeType[];
    try {
      const user = await (this.client ?? cognitoClientFor(region)).send(
        new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }),
        { abortSignal: signal },
      );
      attributes = user.UserAttributes ?? [];
    } catch (error) {
      if ((error as { name?: unknown }).name === "UserNotFoundException") return undefined;
      throw error;
    }
    const value = (name: string) => attributes.find((attribute) => attribute.Name === name)?.Value;
    const email = value("email")?.trim();
    return value("email_verified") === "true" && email ? email : undefined;
  }
}

/** An event that names no pool a request could be sent for; another attempt would fail the same way. */
export class InvalidUserPoolIdError extends Error {
  override readonly name = "InvalidUserPoolIdError";
}
