/**
 * The KMS client of the custom senders' code decryption, created once per cold start on first use and
 * bounded like every AWS client of the suite (bounded-client-config.ts). A KMS key answers only in its
 * own region, so the client is made for the region of the key ARN, whatever AWS_REGION says; the
 * endpoint still comes from the SDK's standard variables (AWS_ENDPOINT_URL_KMS, ...).
 */
import { KMSClient } from "@aws-sdk/client-kms";
import { boundedClientConfig } from "../bounded-client-config.ts";
import { clientsPerRegion } from "../clients-per-region.ts";

/** A KMS client with the bounded settings, for `region`. */
export function createKmsClient(region: string): KMSClient {
  return new KMSClient({ ...boundedClientConfig(), region });
}

/** One per region: a function has one key, so in practice one client per execution environment. */
const kmsClientIn = clientsPerRegion(createKmsClient);

/** The client for the key `keyArn` (arn:aws:kms:<region>:<account>:key/<id>). */
export function kmsClientFor(keyArn: string): KMSClient {
  return kmsClientIn(keyArn.split(":")[3] ?? "");
}
