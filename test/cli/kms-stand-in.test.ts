/**
 * The KMS stand-in behaves as KMS does where the custom senders depend on it: the real AWS Encryption
 * SDK and the real KMS client round-trip a code through it (over HTTP and in process), a code
 * encrypted under another key does not decrypt, and what KMS refuses comes back as KMS's error.
 */
import { buildClient, CommitmentPolicy, KmsKeyringNode } from "@aws-crypto/client-node";
import { KMS } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  encryptAsCognito,
  inProcessKmsClient,
  KmsStandIn,
  KmsStandInError,
  STAND_IN_KEY_ARN,
} from "../../cli/kms-stand-in.ts";

const OTHER_KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/another-key";
const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);

function httpClient(endpoint: string): KMS {
  return new KMS({
    region: "us-east-1",
    endpoint,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
}

async function decryptWith(client: KMS, code: string, keyArn = STAND_IN_KEY_ARN): Promise<string> {
  const keyring = new KmsKeyringNode({ keyIds: [keyArn], clientProvider: () => client });
  const { plaintext } = await decrypt(keyring, Buffer.from(code, "base64"));
  return plaintext.toString("utf8");
}

describe("the KMS stand-in", () => {
  const standIn = new KmsStandIn();
  let server: { endpoint: string; close(): Promise<void> };

  beforeAll(async () => {
    server = await standIn.listen();
  });
  afterAll(async () => {
    await server.close();
  });

  it("round-trips a code through the Encryption SDK over HTTP, as Cognito and a sender would", async () => {
    const code = await encryptAsCognito("482913", { endpoint: server.endpoint });
    expect(code).not.toContain("482913");
    expect(Buffer.from(code, "base64").toString("latin1")).not.toContain("482913");
    await expect(decryptWith(httpClient(server.endpoint), code)).resolves.toBe("482913");
  });

  it("round-trips in process, with no network", async () => {
    const code = await encryptAsCognito("Temp#Pass1", { standIn });
    await expect(decryptWith(await inProcessKmsClient(standIn), code)).resolves.toBe("Temp#Pass1");
  });

  it("reads a code made over HTTP in process and the other way round: one key, one material", async () => {
    const overHttp = await encryptAsCognito("111", { endpoint: server.endpoint });
    const inProcess = await encryptAsCognito("222", { standIn: new KmsStandIn() });
    await expect(decryptWith(await inProcessKmsClient(new KmsStandIn()), overHttp)).resolves.toBe("111");
    await expect(decryptWith(httpClient(server.endpoint), inProcess)).resolves.toBe("222");
  });

  it("does not decrypt a code encrypted under another key", async () => {
    const code = await encryptAsCognito("123456", { endpoint: server.endpoint, keyArn: OTHER_KEY_ARN });
    await expect(decryptWith(httpClient(server.endpoint), code)).rejects.toThrow();
    await expect(decryptWith(httpClient(server.endpoint), code, OTHER_KEY_ARN)).resolves.toBe("123456");
  });

  it("answers a tampered ciphertext with InvalidCiphertextException, through the real client", async () => {
    const client = httpClient(server.endpoint);
    const { CiphertextBlob } = await client.encrypt({ KeyId: STAND_IN_KEY_ARN, Plaintext: Buffer.from("x") });
    const tampered = Buffer.from(CiphertextBlob as Uint8Array);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 1, tampered.length - 1);
    await expect(client.decrypt({ CiphertextBlob: tampered })).rejects.toMatchObject({
      name: "InvalidCiphertextException",
    });
  });

  it("refuses a Decrypt that names another key than the one that encrypted", async () => {
    const client = httpClient(server.endpoint);
    const { CiphertextBlob } = await client.encrypt({ KeyId: STAND_IN_KEY_ARN, Plaintext: Buffer.from("x") });
    await expect(client.decrypt({ CiphertextBlob, KeyId: OTHER_KEY_ARN })).rejects.toMatchObject({
      name: "IncorrectKeyException",
    });
  });

  it("binds the encryption context: a different context does not decrypt", () => {
    const sealed = standIn.handle("Encrypt", {
      KeyId: STAND_IN_KEY_ARN,
      Plaintext: Buffer.from("x").toString("base64"),
      EncryptionContext: { a: "1" },
    });
    expect(() =>
      standIn.handle("Decrypt", { CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { a: "2" } }),
    ).toThrow(KmsStandInError);
    const opened = standIn.handle("Decrypt", {
      CiphertextBlob: sealed.CiphertextBlob,
      EncryptionContext: { a: "1" },
    });
    expect(Buffer.from(String(opened.Plaintext), "base64").toString()).toBe("x");
  });

  it("takes any alias as the stand-in key, as cognito-local's generator key is an alias", () => {
    for (const alias of ["alias/cognito-local", "arn:aws:kms:us-east-1:111122223333:alias/pool"]) {
      const made = standIn.handle("GenerateDataKey", { KeyId: alias, NumberOfBytes: 32 });
      expect(made.KeyId).toBe(STAND_IN_KEY_ARN);
      expect(Buffer.from(String(made.Plaintext), "base64")).toHaveLength(32);
    }
  });

  it("answers what KMS refuses with KMS's error types", () => {
    expect(standIn.answer("Decrypt", "{}")).toMatchObject({
      status: 400,
      body: { __type: "ValidationException" },
    });
    expect(
      standIn.answer("Encrypt", JSON.stringify({ KeyId: "not-a-key", Plaintext: "eA==" })),
    ).toMatchObject({
      status: 400,
      body: { __type: "NotFoundException" },
    });
    expect(standIn.answer("Decrypt", JSON.stringify({ CiphertextBlob: "AAAA" }))).toMatchObject({
      status: 400,
      body: { __type: "InvalidCiphertextException" },
    });
    expect(standIn.answer("Decrypt", "not json")).toMatchObject({
      status: 400,
      body: { __type: "ValidationException" },
    });
    expect(standIn.answer("ScheduleKeyDeletion", "{}")).toMatchObject({
      status: 400,
      body: { __type: "UnknownOperationException" },
    });
  });

  it("reports a busy port instead of listening elsewhere", async () => {
    const port = Number(new URL(server.endpoint).port);
    await expect(new KmsStandIn().listen(port)).rejects.toMatchObject({ code: "EADDRINUSE" });
  });
});
