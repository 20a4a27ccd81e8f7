/**
 * CUSTOM_SENDER_KMS_KEY_ARN: the pool's custom sender key (LambdaConfig.KMSKeyID), which the construct
 * sets. A key ARN, not an alias or a bare id: the keyring decrypts only data keys wrapped by exactly
 * this key, and the Encryption SDK matches them by ARN.
 */
import type { Parser } from "../config.ts";
import { ConfigError } from "../errors.ts";

const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]{1,128}$/;

export function kmsKeyArn(): Parser<string> {
  return (raw, key) => {
    const value = raw?.trim() ?? "";
    if (value === "")
      throw new ConfigError(key, "is required (the KMS key ARN the pool encrypts codes with)");
    if (!KEY_ARN.test(value)) {
      throw new ConfigError(
        key,
        `must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got ${JSON.stringify(value)}`,
      );
    }
    return value;
  };
}
