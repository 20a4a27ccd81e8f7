/**
 * The KMS the custom sender tests decrypt through: the lead's stand-in (cli/kms-stand-in.ts) served
 * over HTTP, so that the real `@aws-sdk/client-kms` and the real Encryption SDK do the work, with what
 * a real server cannot be made to do on demand: a count of the operations it answered, and KMS's own
 * error answers (throttling, a 5xx, a denial) for the faults a sender must tell apart.
 */
import { createServer, type Server, type Socket } from "node:net";
import { buildClient, CommitmentPolicy, KmsKeyringNode } from "@aws-crypto/client-node";
import { KMS } from "@aws-sdk/client-kms";
import { KmsStandIn, KmsStandInError, STAND_IN_KEY_ARN } from "../../../cli/kms-stand-in.ts";

export type KmsFault = "throttled" | "internal-error" | "access-denied" | "disabled";

/** KMS's answer to each fault: the error type, and the HTTP status it comes with. */
const FAULTS: Record<KmsFault, { type: string; status: number; message: string }> = {
  throttled: { type: "ThrottlingException", status: 400, message: "Rate exceeded" },
  "internal-error": { type: "KMSInternalException", status: 500, message: "internal error" },
  "access-denied": {
    type: "AccessDeniedException",
    status: 400,
    message:
      "User: arn:aws:sts::123456789012:assumed-role/sender/fn is not authorized to perform: kms:Decrypt",
  },
  disabled: { type: "DisabledException", status: 400, message: "the key is disabled" },
};

export class ScriptedKmsStandIn extends KmsStandIn {
  /** Every operation asked of it, in order (faulted ones too). */
  readonly operations: string[] = [];
  /** When set, Decrypt answers with this fault instead. */
  fault: KmsFault | undefined;

  override answer(operation: string, requestBody: string): { status: number; body: Record<string, unknown> } {
    this.operations.push(operation);
    if (operation === "Decrypt" && this.fault !== undefined) {
      const { type, status, message } = FAULTS[this.fault];
      return { status, body: { __type: type, message } };
    }
    return super.answer(operation, requestBody);
  }

  decrypts(): number {
    return this.operations.filter((operation) => operation === "Decrypt").length;
  }
}

export async function startKms(): Promise<{
  standIn: ScriptedKmsStandIn;
  endpoint: string;
  close(): Promise<void>;
}> {
  const standIn = new ScriptedKmsStandIn();
  const server = await standIn.listen();
  return { standIn, ...server };
}

/**
 * An Encryption SDK message like Cognito's, except that its data key is wrapped `copies` times under
 * the key (a keyring naming it as generator and again as a key): more encrypted data keys than a
 * sender accepts.
 */
export async function encryptWithDataKeys(
  plaintext: string,
  copies: number,
  endpoint: string,
  keyArn = STAND_IN_KEY_ARN,
): Promise<string> {
  const client = new KMS({
    region: "us-east-1",
    endpoint,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  const keyring = new KmsKeyringNode({
    generatorKeyId: keyArn,
    keyIds: Array.from({ length: copies - 1 }, () => keyArn),
    clientProvider: () => client,
  });
  const { encrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
  const { result } = await encrypt(keyring, plaintext);
  return Buffer.from(result).toString("base64");
}

/** `ciphertext` with one byte flipped `fromEnd` bytes before its end (in the body or the signature). */
export function tampered(ciphertext: string, fromEnd: number): string {
  const bytes = Buffer.from(ciphertext, "base64");
  const at = bytes.length - fromEnd;
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  return bytes.toString("base64");
}

/** A server that accepts connections and never answers: slower than any budget. */
export async function blackHole(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export { KmsStandInError, STAND_IN_KEY_ARN };
