/**
 * The KMS-wrapped data key at the head of an AWS Encryption SDK message, read by hand: the header's
 * encryption context and its first `aws-kms` encrypted data key (message format versions 1 and 2).
 * Enough to make the one KMS Decrypt call the Encryption SDK makes, without the SDK; the message body
 * is neither decrypted nor its signature verified.
 */
export interface WrappedDataKey {
  keyArn: string;
  ciphertext: Uint8Array;
  encryptionContext: Record<string, string>;
}

export function firstKmsDataKey(message: Buffer): WrappedDataKey {
  let at = 0;
  const u16 = () => {
    const value = message.readUInt16BE(at);
    at += 2;
    return value;
  };
  const bytes = (length: number) => {
    const value = message.subarray(at, at + length);
    at += length;
    return value;
  };
  const text = () => bytes(u16()).toString("utf8");
  const version = message[0];
  if (version === 1) at = 1 + 1 + 2 + 16;
  else if (version === 2) at = 1 + 2 + 32;
  else throw new Error("not an Encryption SDK message");
  const encryptionContext: Record<string, string> = {};
  if (u16() > 0) {
    for (let pairs = u16(); pairs > 0; pairs--) encryptionContext[text()] = text();
  }
  for (let keys = u16(); keys > 0; keys--) {
    const provider = text();
    const keyArn = text();
    const ciphertext = bytes(u16());
    if (provider === "aws-kms") return { keyArn, ciphertext, encryptionContext };
  }
  throw new Error("no aws-kms data key in the message");
}
