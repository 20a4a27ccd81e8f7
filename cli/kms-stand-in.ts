/**
 * A stand-in for the three AWS KMS operations the custom senders' codes go through: GenerateDataKey
 * and Encrypt (what Cognito calls, through the AWS Encryption SDK, to encrypt a code) and Decrypt (what
 * the sender's keyring calls). There is no KMS emulator here, and the custom senders' whole point is
 * the real Encryption SDK message format, so offline replay, the local pool and the tests run the real
 * SDK against this: in process (`inProcessKmsClient`), or over HTTP with the KMS JSON protocol
 * (`listen`), which the real `@aws-sdk/client-kms` and cognito-local's aws-sdk v2 client both speak.
 *
 * Every key ARN has its own key material, derived from the ARN, so that a code encrypted under one key
 * does not decrypt under another (as in KMS). Any alias (`alias/...`, or an alias ARN) names the
 * stand-in key. Key material derived from a public string protects nothing: this is for local runs and
 * samples only, and the key ARN says so.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { KMS } from "@aws-sdk/client-kms";

/** The key the samples and the local pool encrypt codes with (account 111122223333 is AWS's example). */
export const STAND_IN_KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/0000000-local-stand-in-not-a-secret";

export type KmsOperation = "GenerateDataKey" | "Encrypt" | "Decrypt";

/** A KMS error as the JSON protocol reports it (`__type`), e.g. InvalidCiphertextException. */
export class KmsStandInError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

const BLOB_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]{1,128}$/;
const ALIAS = /^(alias\/.+|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:alias\/.+)$/;
/** KMS's own limit on Encrypt's plaintext. */
const MAX_PLAINTEXT_BYTES = 4096;

export class KmsStandIn {
  /** Answers one operation as KMS would; throws KmsStandInError for what KMS refuses. */
  handle(operation: KmsOperation | string, input: Record<string, unknown>): Record<string, unknown> {
    switch (operation) {
      case "GenerateDataKey": {
        const keyArn = resolveKey(input.KeyId);
        const bytes = dataKeyBytes(input);
        const plaintext = randomBytes(bytes);
        return {
          KeyId: keyArn,
          Plaintext: plaintext.toString("base64"),
          CiphertextBlob: seal(keyArn, plaintext, context(input)).toString("base64"),
        };
      }
      case "Encrypt": {
        const keyArn = resolveKey(input.KeyId);
        const plaintext = blob(input.Plaintext, "Plaintext");
        if (plaintext.length === 0 || plaintext.length > MAX_PLAINTEXT_BYTES) {
          throw new KmsStandInError("ValidationException", "Plaintext must be 1 to 4096 bytes");
        }
        return {
          KeyId: keyArn,
          CiphertextBlob: seal(keyArn, plaintext, context(input)).toString("base64"),
          EncryptionAlgorithm: "SYMMETRIC_DEFAULT",
        };
      }
      case "Decrypt": {
        const { keyArn, plaintext } = open(blob(input.CiphertextBlob, "CiphertextBlob"), context(input));
        if (input.KeyId !== undefined && resolveKey(input.KeyId) !== keyArn) {
          throw new KmsStandInError(
            "IncorrectKeyException",
            "The key ID in the request does not identify the key that encrypted the ciphertext",
          );
        }
        return {
          KeyId: keyArn,
          Plaintext: plaintext.toString("base64"),
          EncryptionAlgorithm: "SYMMETRIC_DEFAULT",
        };
      }
      default:
        throw new KmsStandInError("UnknownOperationException", `the stand-in does not do ${operation}`);
    }
  }

  /** Serves the KMS JSON 1.1 protocol on 127.0.0.1 (`port` 0: any free port). */
  async listen(port = 0): Promise<{ endpoint: string; close(): Promise<void> }> {
    const server = createServer((request, response) => {
      void this.serve(request, response);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    const { port: bound } = server.address() as AddressInfo;
    return {
      endpoint: `http://127.0.0.1:${bound}`,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }

  /** One HTTP request: `X-Amz-Target: TrentService.<Operation>`, a JSON body, a JSON answer. */
  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const operation = String(request.headers["x-amz-target"] ?? "").replace(/^TrentService\./, "");
    const { status, body } = this.answer(operation, Buffer.concat(chunks).toString("utf8"));
    response.writeHead(status, {
      "content-type": "application/x-amz-json-1.1",
      ...(status === 200 ? {} : { "x-amzn-errortype": String(body.__type) }),
    });
    response.end(JSON.stringify(body));
  }

  /** The status and JSON body for one request, errors included. */
  answer(operation: string, requestBody: string): { status: number; body: Record<string, unknown> } {
    try {
      const input = requestBody.trim() === "" ? {} : (JSON.parse(requestBody) as Record<string, unknown>);
      return { status: 200, body: this.handle(operation, input) };
    } catch (error) {
      const type = error instanceof KmsStandInError ? error.type : "ValidationException";
      return { status: 400, body: { __type: type, message: (error as Error).message } };
    }
  }
}

/**
 * A KMS client (the aggregated `KMS` the Encryption SDK keyring calls) that never leaves the process: its requests are answered by `standIn`. What offline
 * replay gives the senders' keyring, so that samples decrypt through the real Encryption SDK.
 */
export async function inProcessKmsClient(standIn = new KmsStandIn()): Promise<KMS> {
  const { KMS } = await import("@aws-sdk/client-kms");
  return new KMS({
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { headers: Record<string, string>; body?: unknown }) => {
        const target = Object.entries(request.headers).find(
          ([name]) => name.toLowerCase() === "x-amz-target",
        );
        const operation = String(target?.[1] ?? "").replace(/^TrentService\./, "");
        const { status, body } = standIn.answer(operation, bodyText(request.body));
        // The SDK reads a response by its shape (HttpResponse.isInstance), so a plain object will do.
        return {
          response: {
            statusCode: status,
            headers: {
              "content-type": "application/x-amz-json-1.1",
              ...(status === 200 ? {} : { "x-amzn-errortype": String(body.__type) }),
            },
            body: Readable.from([Buffer.from(JSON.stringify(body))]),
          },
        };
      },
    },
  });
}

/**
 * What Cognito puts in a custom sender event's `request.code`: `plaintext` encrypted with the AWS
 * Encryption SDK under a KMS keyring on `keyArn`, as base64. `endpoint` is a listening stand-in's.
 */
export async function encryptAsCognito(
  plaintext: string,
  options: { endpoint?: string; keyArn?: string; standIn?: KmsStandIn },
): Promise<string> {
  const [{ buildClient, CommitmentPolicy, KmsKeyringNode }, { KMS }] = await Promise.all([
    import("@aws-crypto/client-node"),
    import("@aws-sdk/client-kms"),
  ]);
  const client =
    options.endpoint === undefined
      ? await inProcessKmsClient(options.standIn)
      : new KMS({
          region: "us-east-1",
          endpoint: options.endpoint,
          credentials: { accessKeyId: "local", secretAccessKey: "local" },
          maxAttempts: 1,
        });
  const keyring = new KmsKeyringNode({
    generatorKeyId: options.keyArn ?? STAND_IN_KEY_ARN,
    clientProvider: () => client,
  });
  const { encrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
  const { result } = await encrypt(keyring, plaintext);
  return Buffer.from(result).toString("base64");
}

function resolveKey(keyId: unknown): string {
  if (typeof keyId !== "string" || keyId === "") {
    throw new KmsStandInError("ValidationException", "KeyId is required");
  }
  if (ALIAS.test(keyId)) return STAND_IN_KEY_ARN;
  if (KEY_ARN.test(keyId)) return keyId;
  throw new KmsStandInError("NotFoundException", "the stand-in knows keys by ARN or alias only");
}

function dataKeyBytes(input: Record<string, unknown>): number {
  if (input.KeySpec === "AES_256") return 32;
  if (input.KeySpec === "AES_128") return 16;
  const n = input.NumberOfBytes;
  if (typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 1024) return n;
  throw new KmsStandInError("ValidationException", "KeySpec or NumberOfBytes (1 to 1024) is required");
}

function blob(value: unknown, name: string): Buffer {
  if (typeof value !== "string") throw new KmsStandInError("ValidationException", `${name} is required`);
  return Buffer.from(value, "base64");
}

/** The encryption context, canonical (sorted keys), as the additional authenticated data. */
function context(input: Record<string, unknown>): Buffer {
  const value = input.EncryptionContext;
  const entries =
    typeof value === "object" && value !== null ? Object.entries(value as Record<string, unknown>) : [];
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(entries));
}

function keyMaterial(keyArn: string): Buffer {
  return createHash("sha256").update(`kms-stand-in:${keyArn}`).digest();
}

/** version (1) | ARN length (2) | ARN | IV (12) | tag (16) | ciphertext */
function seal(keyArn: string, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyMaterial(keyArn), iv);
  cipher.setAAD(aad);
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const arn = Buffer.from(keyArn, "utf8");
  const length = Buffer.alloc(2);
  length.writeUInt16BE(arn.length);
  return Buffer.concat([Buffer.of(BLOB_VERSION), length, arn, iv, cipher.getAuthTag(), sealed]);
}

function open(sealed: Buffer, aad: Buffer): { keyArn: string; plaintext: Buffer } {
  const invalid = () => new KmsStandInError("InvalidCiphertextException", "the ciphertext is invalid");
  if (sealed.length < 3 || sealed[0] !== BLOB_VERSION) throw invalid();
  const arnEnd = 3 + sealed.readUInt16BE(1);
  if (sealed.length < arnEnd + IV_BYTES + TAG_BYTES) throw invalid();
  const keyArn = sealed.subarray(3, arnEnd).toString("utf8");
  if (!KEY_ARN.test(keyArn)) throw invalid();
  const iv = sealed.subarray(arnEnd, arnEnd + IV_BYTES);
  const tag = sealed.subarray(arnEnd + IV_BYTES, arnEnd + IV_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyMaterial(keyArn), iv);
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    const plaintext = Buffer.concat([
      decipher.update(sealed.subarray(arnEnd + IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]);
    return { keyArn, plaintext };
  } catch {
    throw invalid();
  }
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return "";
  if (typeof body === "string") return body;
  // By its bytes: the SDK's body is a Uint8Array subclass that warns when read as a string.
  if (body instanceof Uint8Array)
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8");
  return String(body);
}
