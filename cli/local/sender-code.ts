/**
 * A custom sender's code as Cognito hands it over: an AWS Encryption SDK message whose data key is
 * wrapped once, by the pool's KMS key. cognito-local's keyring wraps it twice (under its alias as the
 * generator, then under its key id), and the suite's senders refuse a message with more than one
 * wrapped key (each would cost a KMS call, which a forged event could multiply). So the local pool
 * opens cognito-local's message through the local KMS and seals the code again as Cognito seals it.
 *
 * The code is in memory only while it is sealed again; it is never logged, and its buffer is zeroed.
 */
import { buildClient, CommitmentPolicy, KmsKeyringNode } from "@aws-crypto/client-node";
import { KMS } from "@aws-sdk/client-kms";
import { encryptAsCognito } from "../kms-stand-in.ts";

/** The pool's KMS key (LambdaConfig.KMSKeyID) and the KMS endpoint that holds it. */
export interface PoolKmsKey {
  endpoint: string;
  keyArn: string;
}

const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);

/** `ciphertext` (base64, any number of wrapped keys, one of them the pool key's) sealed as Cognito does. */
export async function sealAsCognito(ciphertext: string, key: PoolKmsKey): Promise<string> {
  const client = new KMS({
    region: key.keyArn.split(":")[3] || "us-east-1",
    endpoint: key.endpoint,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  try {
    const keyring = new KmsKeyringNode({ generatorKeyId: key.keyArn, clientProvider: () => client });
    const { plaintext } = await decrypt(keyring, Buffer.from(ciphertext, "base64"));
    try {
      return await encryptAsCognito(plaintext.toString("utf8"), key);
    } finally {
      plaintext.fill(0);
    }
  } finally {
    client.destroy();
  }
}
