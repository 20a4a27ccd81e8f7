/**
 * The custom senders' code decryption (EncryptionSdkDecrypter) with the real AWS Encryption SDK and the
 * real KMS client against the KMS stand-in over HTTP: codes made as Cognito makes them decrypt, and
 * everything else is refused, with the failure told apart as the senders need it (a bad code is
 * permanent, KMS unavailable is worth a retry, KMS refusing is a deployment error). Where the SDK must
 * refuse before any KMS call (another key, too many data keys), no Decrypt reaches KMS.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { encryptAsCognito } from "../../cli/kms-stand-in.ts";
import { CodeDecryptionError } from "../../triggers/lib/custom-sender/code-decryption-error.ts";
import { EncryptionSdkDecrypter } from "../../triggers/lib/custom-sender/encryption-sdk-decrypter.ts";
import { createKmsClient } from "../../triggers/lib/custom-sender/kms-client.ts";
import {
  blackHole,
  encryptWithDataKeys,
  type ScriptedKmsStandIn,
  STAND_IN_KEY_ARN,
  startKms,
  tampered,
} from "./support/kms.ts";
import { OTHER_KEY_ARN } from "./support/sample-codes.ts";

let kms: Awaited<ReturnType<typeof startKms>>;
let standIn: ScriptedKmsStandIn;

beforeAll(async () => {
  kms = await startKms();
  standIn = kms.standIn;
  process.env.AWS_REGION ??= "eu-west-1";
  process.env.AWS_ACCESS_KEY_ID ??= "local";
  process.env.AWS_SECRET_ACCESS_KEY ??= "local";
  // The default client (kms-client.ts) is made on first use with the SDK's standard variables.
  process.env.AWS_ENDPOINT_URL_KMS = kms.endpoint;
});
afterAll(async () => {
  await kms.close();
});
beforeEach(() => {
  standIn.fault = undefined;
  standIn.operations.length = 0;
});

const signal = () => new AbortController().signal;
/** The decrypter as the senders make it: the default, bounded KMS client for the key's region. */
const decrypter = () => new EncryptionSdkDecrypter();

async function failure(promise: Promise<unknown>): Promise<CodeDecryptionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CodeDecryptionError);
  return error as CodeDecryptionError;
}

describe("the Encryption SDK decrypter", () => {
  it("decrypts a code Cognito encrypted with the pool's key, with one KMS Decrypt", async () => {
    const code = await encryptAsCognito("482913", { endpoint: kms.endpoint });
    standIn.operations.length = 0;
    await expect(decrypter().decrypt(STAND_IN_KEY_ARN, code, signal())).resolves.toBe("482913");
    expect(standIn.operations).toEqual(["Decrypt"]);
  });

  it("decrypts a temporary password with every character HTML escapes, as it was", async () => {
    const code = await encryptAsCognito(`Tq7&<x9>"Wm'2`, { endpoint: kms.endpoint });
    await expect(decrypter().decrypt(STAND_IN_KEY_ARN, code, signal())).resolves.toBe(`Tq7&<x9>"Wm'2`);
  });

  it("refuses a code encrypted under another key, without asking KMS", async () => {
    const code = await encryptAsCognito("482913", { endpoint: kms.endpoint, keyArn: OTHER_KEY_ARN });
    standIn.operations.length = 0;
    const error = await failure(decrypter().decrypt(STAND_IN_KEY_ARN, code, signal()));
    expect(error.failure).toBe("undecryptable");
    expect(error.message).toContain("no data key in it is wrapped by the configured key");
    expect(standIn.decrypts()).toBe(0);
  });

  it("refuses a message with more encrypted data keys than Cognito writes, before any KMS call", async () => {
    const code = await encryptWithDataKeys("482913", 2, kms.endpoint);
    standIn.operations.length = 0;
    const error = await failure(decrypter().decrypt(STAND_IN_KEY_ARN, code, signal()));
    expect(error.failure).toBe("undecryptable");
    expect(standIn.decrypts()).toBe(0);
  });

  it.each([
    ["the last byte of the signature", 1],
    ["a byte of the encrypted body, before the signature", 120],
  ])("refuses a ciphertext with %s altered", async (_, fromEnd) => {
    const code = await encryptAsCognito("482913", { endpoint: kms.endpoint });
    const error = await failure(decrypter().decrypt(STAND_IN_KEY_ARN, tampered(code, fromEnd), signal()));
    expect(error.failure).toBe("undecryptable");
    expect(error.message).not.toContain("482913");
  });

  it("refuses an altered encrypted data key as KMS does (InvalidCiphertextException)", async () => {
    const code = await encryptAsCognito("482913", { endpoint: kms.endpoint });
    const bytes = Buffer.from(code, "base64");
    // The wrapped data key follows the key ARN in the header: alter a byte inside it.
    const at = bytes.indexOf(Buffer.from(STAND_IN_KEY_ARN)) + STAND_IN_KEY_ARN.length + 40;
    bytes[at] = (bytes[at] ?? 0) ^ 0x01;
    standIn.operations.length = 0;
    const error = await failure(decrypter().decrypt(STAND_IN_KEY_ARN, bytes.toString("base64"), signal()));
    expect(error.failure).toBe("undecryptable");
    expect(standIn.decrypts()).toBe(1);
  });

  it.each([
    ["not base64", "not base64 at all!"],
    ["base64 of something else", Buffer.from("482913").toString("base64")],
    ["far longer than any code's message", "A".repeat(20_000)],
  ])("refuses a code that is %s, without asking KMS", async (_, code) => {
    const error = await failure(decrypter().decrypt(STAND_IN_KEY_ARN, code, signal()));
    expect(error.failure).toBe("undecryptable");
    expect(standIn.decrypts()).toBe(0);
  });

  it.each([
    ["throttled", "unavailable"],
    ["internal-error", "unavailable"],
    ["access-denied", "refused"],
    ["disabled", "refused"],
  ] as const)("tells KMS %s apart as %s", async (fault, expected) => {
    const code = await encryptAsCognito("482913", { endpoint: kms.endpoint });
    standIn.fault = fault;
    const error = await failure(decrypter().decrypt(STAND_IN_KEY_ARN, code, signal()));
    expect(error.failure).toBe(expected);
    expect(error.message).not.toContain("482913");
  });

  it("retries a throttled Decrypt once (the bounded client), then gives up", async () => {
    const code = await encryptAsCognito("482913", { endpoint: kms.endpoint });
    standIn.fault = "throttled";
    standIn.operations.length = 0;
    await failure(decrypter().decrypt(STAND_IN_KEY_ARN, code, signal()));
    expect(standIn.decrypts()).toBe(2);
  });

  it("stops when its signal aborts, and reports KMS as not answering in time", async () => {
    const code = await encryptAsCognito("482913", { endpoint: kms.endpoint });
    const hole = await blackHole();
    const saved = process.env.AWS_ENDPOINT_URL_KMS;
    // The SDK reads its endpoint variable when it sends: kept pointed at the hole for the whole call.
    process.env.AWS_ENDPOINT_URL_KMS = hole.endpoint;
    try {
      const cancel = new AbortController();
      const pending = new EncryptionSdkDecrypter(createKmsClient("us-east-1")).decrypt(
        STAND_IN_KEY_ARN,
        code,
        cancel.signal,
      );
      setTimeout(() => cancel.abort(), 50);
      const error = await failure(pending);
      expect(error.failure).toBe("timeout");
      expect(standIn.decrypts()).toBe(0);
    } finally {
      process.env.AWS_ENDPOINT_URL_KMS = saved;
      await hole.stop();
    }
  });
});
