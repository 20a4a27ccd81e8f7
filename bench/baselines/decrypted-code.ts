/**
 * The code Cognito encrypted, decrypted as the least a custom sender must do it: the AWS Encryption SDK
 * with a KMS keyring on the pool's key (CUSTOM_SENDER_KMS_KEY_ARN), whose own KMS client of default
 * settings makes the one Decrypt. Nothing of the suite.
 */
// The decrypt-side packages the senders import (encryption-sdk-decrypter.ts), so that both carry the same SDK.
import { buildDecrypt } from "@aws-crypto/decrypt-node";
import { KmsKeyringNode } from "@aws-crypto/kms-keyring-node";
import { CommitmentPolicy } from "@aws-crypto/material-management-node";

// Cognito's messages are not key-committing: they can only be read with this policy.
const { decrypt } = buildDecrypt(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);

/** What of a custom sender's event the baselines read. */
export interface SenderEvent {
  request: { code: string; userAttributes: Record<string, string> };
}

export async function decryptedCode(event: SenderEvent): Promise<string> {
  const keyring = new KmsKeyringNode({ keyIds: [process.env.CUSTOM_SENDER_KMS_KEY_ARN ?? ""] });
  const { plaintext } = await decrypt(keyring, Buffer.from(event.request.code, "base64"));
  return plaintext.toString("utf8");
}
