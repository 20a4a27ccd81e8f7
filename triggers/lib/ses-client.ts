/**
 * The SES (v1 API) client of the handlers, bounded like every AWS client of the suite. Only the two
 * triggers that send email (post confirmation, the custom email sender) import this module, so no other
 * handler loads the SES SDK.
 */
import { SESClient } from "@aws-sdk/client-ses";
import { boundedClientConfig } from "./bounded-client-config.ts";

/** An SES client with the bounded settings, for the current environment (AWS_ENDPOINT_URL_SES, ...). */
export function createSesClient(): SESClient {
  return new SESClient(boundedClientConfig());
}

let ses: SESClient | undefined;

/** The one SES client of this execution environment (created on first use, reused while warm). */
export function sesClient(): SESClient {
  ses ??= createSesClient();
  return ses;
}
