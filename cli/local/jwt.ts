/**
 * Just enough JWT for the local pool to change the claims of a token cognito-local issued and sign it
 * again with cognito-local's own key, so that whatever verifies against cognito-local's JWKS (its
 * /.well-known/jwks.json) still accepts it. Nothing here verifies a signature: the tokens are our own.
 */
import { createPrivateKey, type KeyObject, sign } from "node:crypto";
import { createRequire } from "node:module";
import { isRecord } from "../../triggers/lib/events.ts";

export type JwtPayload = Record<string, unknown>;

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: JwtPayload;
  /** The header exactly as encoded, so a re-signed token keeps it byte for byte. */
  encodedHeader: string;
}

/** Signs with RS256 under one key id: what cognito-local signs with (kid "CognitoLocal"). */
export interface JwtSigner {
  readonly kid: string;
  /** The base64url RS256 signature of `signingInput` ("<header>.<payload>"). */
  sign(signingInput: string): string;
}

/** Decodes without verifying. Errors never quote the token: it is a credential. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split(".");
  const [encodedHeader, encodedPayload] = parts;
  if (parts.length !== 3 || encodedHeader === undefined || encodedPayload === undefined) {
    throw new Error("not a JWT: expected three dot-separated parts");
  }
  return {
    header: decodePart(encodedHeader, "header"),
    payload: decodePart(encodedPayload, "payload"),
    encodedHeader,
  };
}

/**
 * The token with `payload` instead of its own, signed by `signer`. Refused unless the token is RS256
 * under the signer's key id: a token signed by another key would end up with a header that names a key
 * that did not sign it, and fail verification only later, far from the cause.
 */
export function resignJwt(decoded: DecodedJwt, payload: JwtPayload, signer: JwtSigner): string {
  if (decoded.header.alg !== "RS256" || decoded.header.kid !== signer.kid) {
    throw new Error(`cannot re-sign a token that is not RS256 under key "${signer.kid}"`);
  }
  const signingInput = `${decoded.encodedHeader}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}`;
  return `${signingInput}.${signer.sign(signingInput)}`;
}

let cognitoLocalKey: { kid: string; key: KeyObject } | undefined;

/** Loaded on first use: most local runs never customise a token, and need not read the key. */
function loadCognitoLocalKey(): { kid: string; key: KeyObject } {
  if (cognitoLocalKey === undefined) {
    const require = createRequire(import.meta.url);
    const { jwk } = require("cognito-local/lib/keys/cognitoLocal.private.json") as {
      jwk: { kid: string } & Record<string, unknown>;
    };
    cognitoLocalKey = { kid: jwk.kid, key: createPrivateKey({ key: jwk, format: "jwk" }) };
  }
  return cognitoLocalKey;
}

/** Signs with the private key cognito-local signs its tokens with (its public half is in its JWKS). */
export const cognitoLocalSigner: JwtSigner = {
  get kid() {
    return loadCognitoLocalKey().kid;
  },
  sign: (signingInput) =>
    sign("RSA-SHA256", Buffer.from(signingInput), loadCognitoLocalKey().key).toString("base64url"),
};

function decodePart(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    throw new Error(`not a JWT: the ${what} is not base64url JSON`);
  }
  if (!isRecord(value)) throw new Error(`not a JWT: the ${what} is not a JSON object`);
  return value;
}
