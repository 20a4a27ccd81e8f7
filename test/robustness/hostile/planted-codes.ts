/**
 * The codes the custom senders' hostile events carry: real AWS Encryption SDK messages, made as
 * Cognito makes them (a KMS keyring, the data key wrapped through the KMS stand-in, in process), so
 * that each variant reaches the decryption it is meant to test. Every sender event of the corpus
 * carries PLANTED_CODE this way, so that tests can prove the decrypted code goes into the one message
 * sent and nowhere else.
 *
 * Encrypted once, when the corpus is first imported (a few hundred milliseconds).
 */
import { buildClient, CommitmentPolicy, KmsKeyringNode } from "@aws-crypto/client-node";
import {
  encryptAsCognito,
  inProcessKmsClient,
  KmsStandIn,
  STAND_IN_KEY_ARN,
} from "../../../cli/kms-stand-in.ts";

/** The code every sender event carries (the plaintext of `SenderCodes.planted`). */
export const PLANTED_CODE = "Pl4ntedCode-820461";
/** A code whose every character HTML must escape, as a temporary password may be. */
export const MARKUP_CODE = `<img src=x onerror="alert(1)">&'`;
/** A key the samples' pool does not use. */
export const OTHER_KEY_ARN = "arn:aws:kms:ap-northeast-1:111122223333:key/00000000-not-this-pools-key";

export interface SenderCodes {
  /** PLANTED_CODE under the samples' key. */
  planted: string;
  /** MARKUP_CODE under the samples' key. */
  markup: string;
  /** PLANTED_CODE under another key. */
  otherKey: string;
  /** PLANTED_CODE with its data key wrapped 20 times under the samples' key: 20 KMS calls to a careless reader. */
  manyDataKeys: string;
  /** An empty plaintext. */
  empty: string;
  /** 5,000 bytes of plaintext, far more than any code or temporary password. */
  large: string;
}

async function encryptCodes(): Promise<SenderCodes> {
  const standIn = new KmsStandIn();
  const client = await inProcessKmsClient(standIn);
  const { encrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
  const wrappedMany = new KmsKeyringNode({
    generatorKeyId: STAND_IN_KEY_ARN,
    keyIds: Array.from({ length: 19 }, () => STAND_IN_KEY_ARN),
    clientProvider: () => client,
  });
  const code = (plaintext: string, keyArn = STAND_IN_KEY_ARN) =>
    encryptAsCognito(plaintext, { standIn, keyArn });
  return {
    planted: await code(PLANTED_CODE),
    markup: await code(MARKUP_CODE),
    otherKey: await code(PLANTED_CODE, OTHER_KEY_ARN),
    manyDataKeys: Buffer.from((await encrypt(wrappedMany, PLANTED_CODE)).result).toString("base64"),
    empty: await code(""),
    large: await code("4".repeat(5_000)),
  };
}

export const SENDER_CODES: SenderCodes = await encryptCodes();

/** PLANTED_CODE under `keyArn` (any key ARN: the stand-in derives each key's material from it). */
export function plantedCodeUnder(keyArn: string): Promise<string> {
  return encryptAsCognito(PLANTED_CODE, { keyArn });
}
