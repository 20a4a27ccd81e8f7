/**
 * The custom senders' default CodeDecrypter: the code Cognito hands a sender is an AWS Encryption SDK
 * message (base64) whose data key is wrapped by the pool's KMS key, so it is opened with the
 * Encryption SDK and a KMS keyring, as Cognito's developer guide shows, with these bounds:
 * - the keyring names exactly the configured key ARN and does no discovery: a message whose data key
 *   is wrapped by any other key is refused without a KMS call, so a forged event cannot make this
 *   function decrypt with whatever keys its role happens to reach;
 * - REQUIRE_ENCRYPT_ALLOW_DECRYPT, the policy Cognito's own example uses: it decrypts messages with and
 *   without key commitment, whichever algorithm suite Cognito encrypts with;
 * - at most MAX_ENCRYPTED_DATA_KEYS encrypted data keys: Cognito wraps the data key once, with the
 *   pool's key. A message listing more is refused while its header is read, before any KMS call: each
 *   key listed under our ARN would otherwise cost a KMS Decrypt (time and money), which lets one
 *   crafted event buy many;
 * - the ciphertext is refused above MAX_CIPHERTEXT_CHARS (a code's message is about 1 KB) and the
 *   body above MAX_BODY_BYTES, before anything is parsed;
 * - every KMS call carries the caller's AbortSignal, so the whole decryption stops when the sender's
 *   time budget runs out, and goes through the bounded client (kms-client.ts).
 * The plaintext buffer is zeroed once the code has been read from it; the code itself is returned to
 * the caller and kept nowhere here.
 *
 * The Encryption SDK collects a keyring's KMS errors into one message of its own, so the KMS answers
 * are watched here, to tell a code that cannot be decrypted (permanent) from KMS being unavailable
 * (worth a retry) and from KMS refusing (a deployment error).
 */
// The Encryption SDK's decrypt-side packages, not @aws-crypto/client-node: that one re-exports the
// encrypt side, the caching materials manager and the hierarchical keyring's branch keystore (with it the
// whole DynamoDB client), none of which a sender uses and none of which esbuild can shake out of its
// CommonJS build; importing these three instead loads about a quarter less at every cold start.
import { buildDecrypt } from "@aws-crypto/decrypt-node";
import { KmsKeyringNode } from "@aws-crypto/kms-keyring-node";
import { CommitmentPolicy } from "@aws-crypto/material-management-node";
import { DecryptCommand, type DecryptCommandInput, type KMSClient } from "@aws-sdk/client-kms";
import type { CodeDecrypter } from "../services.ts";
import { CodeDecryptionError } from "./code-decryption-error.ts";
import { isTimeout, isTransientAwsError } from "./failure.ts";
import { kmsClientFor } from "./kms-client.ts";

export const MAX_ENCRYPTED_DATA_KEYS = 1;
const MAX_CIPHERTEXT_CHARS = 16_384;
const MAX_BODY_BYTES = 4_096;
/** Far above any code or temporary password Cognito generates. */
const MAX_CODE_LENGTH = 256;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** KMS errors that say the key may not be used, not that the code is bad. */
const KMS_REFUSALS = new Set([
  "AccessDeniedException",
  "DisabledException",
  "KMSInvalidStateException",
  "NotFoundException",
  "InvalidGrantTokenException",
  "UnsupportedOperationException",
]);

const { decrypt } = buildDecrypt({
  commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT,
  maxEncryptedDataKeys: MAX_ENCRYPTED_DATA_KEYS,
});

export class EncryptionSdkDecrypter implements CodeDecrypter {
  /** Without a client, the bounded client for the key's region (kms-client.ts). */
  constructor(private readonly client?: KMSClient) {}

  async decrypt(keyArn: string, ciphertext: string, signal: AbortSignal): Promise<string> {
    if (ciphertext.length > MAX_CIPHERTEXT_CHARS || !BASE64.test(ciphertext)) {
      throw new CodeDecryptionError("undecryptable", "the code is not a base64 Encryption SDK message");
    }
    const client = this.client ?? kmsClientFor(keyArn);
    const kmsErrors: unknown[] = [];
    const keyring = new KmsKeyringNode({
      generatorKeyId: keyArn,
      // The keyring asks its client only to decrypt; the other two are never called on this path.
      clientProvider: () => ({
        decrypt: (input: DecryptCommandInput) =>
          client.send(new DecryptCommand(input), { abortSignal: signal }).catch((error: unknown) => {
            kmsErrors.push(error);
            throw error;
          }),
        encrypt: refuse,
        generateDataKey: refuse,
      }),
    });
    let plaintext: Buffer;
    try {
      ({ plaintext } = await decrypt(keyring, Buffer.from(ciphertext, "base64"), {
        maxBodySize: MAX_BODY_BYTES,
      }));
    } catch (error) {
      throw decryptionFailure(error, kmsErrors);
    }
    try {
      const code = plaintext.toString("utf8");
      if (code === "" || code.length > MAX_CODE_LENGTH) {
        throw new CodeDecryptionError("undecryptable", "the decrypted code is empty or too long");
      }
      return code;
    } finally {
      plaintext.fill(0);
    }
  }
}

function refuse(): never {
  throw new Error("the custom senders only decrypt");
}

/** Classifies a failed decryption by what KMS answered, if it was asked at all. */
function decryptionFailure(error: unknown, kmsErrors: unknown[]): CodeDecryptionError {
  const [kmsError] = kmsErrors;
  if (kmsError === undefined) {
    // Refused by the Encryption SDK itself: not a message, altered, another key's, too many data keys.
    return new CodeDecryptionError("undecryptable", `the code could not be decrypted: ${summary(error)}`, {
      cause: error,
    });
  }
  const name = (kmsError as { name?: string }).name ?? "Error";
  if (isTimeout(kmsError)) return new CodeDecryptionError("timeout", `KMS did not answer in time (${name})`);
  if (isTransientAwsError(kmsError))
    return new CodeDecryptionError("unavailable", `KMS is unavailable (${name})`);
  if (KMS_REFUSALS.has(name)) return new CodeDecryptionError("refused", `KMS refused to decrypt (${name})`);
  return new CodeDecryptionError("undecryptable", `KMS could not decrypt the code (${name})`);
}

/** The Encryption SDK's first line: its messages carry no plaintext, but KMS stacks follow. */
function summary(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // What the SDK says when the keyring found no data key wrapped by the configured key.
  if (message.includes("unencryptedDataKey has not been set")) {
    return "no data key in it is wrapped by the configured key";
  }
  return (message.split("\n")[0] ?? "").slice(0, 200);
}
