/**
 * In-memory stand-ins for the AWS services the handlers call, so that replay runs offline by default
 * and can report what a handler would have written or sent ("effects"). Effects name recipients, never
 * what was sent: a custom sender's message carries a code.
 */
import { readFileSync } from "node:fs";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import type {
  CodeDecrypter,
  LegacyUserStore,
  Mailer,
  OutgoingEmail,
  OutgoingText,
  Services,
  TextSender,
  UserDirectory,
} from "../../triggers/lib/services.ts";
import { inProcessKmsClient, KmsStandIn } from "../kms-stand-in.ts";

export type Effect =
  | { audit: string; outcome: string; reason?: string }
  | { email: string }
  | { text: string }
  | { legacyMigrated: string };

export interface OfflineServices {
  services: Services;
  effects(): Effect[];
}

/** Accepts every email and keeps it, so that replay reports sends as `{ "email": "<to>" }` effects. */
export class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];

  async send(email: OutgoingEmail): Promise<void> {
    this.sent.push(email);
  }
}

/** Accepts every text message and keeps it, so that replay reports sends as `{ "text": "<to>" }` effects. */
export class RecordingTextSender implements TextSender {
  readonly sent: OutgoingText[] = [];

  async send(text: OutgoingText): Promise<void> {
    this.sent.push(text);
  }
}

/**
 * The custom senders' decryption through the real AWS Encryption SDK and KMS client, with the KMS
 * requests answered in process by the stand-in (kms-stand-in.ts), whose key the samples' codes are
 * encrypted with. Loaded on first use, so that replays without a custom sender never load the SDKs.
 */
export class StandInCodeDecrypter implements CodeDecrypter {
  private decrypter: Promise<CodeDecrypter> | undefined;

  constructor(private readonly standIn = new KmsStandIn()) {}

  async decrypt(keyArn: string, ciphertext: string, signal: AbortSignal): Promise<string> {
    this.decrypter ??= Promise.all([
      inProcessKmsClient(this.standIn),
      import("../../triggers/lib/custom-sender/encryption-sdk-decrypter.ts"),
    ]).then(([client, { EncryptionSdkDecrypter }]) => new EncryptionSdkDecrypter(client));
    return (await this.decrypter).decrypt(keyArn, ciphertext, signal);
  }
}

/**
 * The user-migration legacy directory, seeded from fixtures/legacy-users.json (read on first use) and
 * answering for any table name. A first `migratedAt` is reported as a `{ "legacyMigrated": "<login>" }` effect.
 */
export class MemoryLegacyUsers implements LegacyUserStore {
  readonly migrated: string[] = [];
  private items: Map<string, Record<string, unknown>> | undefined;

  async get(_tableName: string, login: string) {
    const item = this.load().get(login);
    return item === undefined ? undefined : structuredClone(item);
  }

  async markMigrated(_tableName: string, login: string, at: string) {
    const item = this.load().get(login);
    if (item === undefined || item.migratedAt !== undefined) return "unchanged" as const;
    item.migratedAt = at;
    this.migrated.push(login);
    return "marked" as const;
  }

  private load(): Map<string, Record<string, unknown>> {
    this.items ??= new Map(legacyFixture().map((item) => [String(item.login), structuredClone(item)]));
    return this.items;
  }
}

/**
 * The pool's users as the custom email sender looks them up (AdminGetUser) when an account-takeover
 * notification carries no address, seeded from fixtures/pool-users.json (read on first use) and
 * answering for any pool id. Like Cognito's directory, it gives an address only when it is verified,
 * and none for a user it does not know.
 */
export class MemoryUserDirectory implements UserDirectory {
  private users: Map<string, Record<string, string>> | undefined;

  async verifiedEmail(_userPoolId: string, username: string): Promise<string | undefined> {
    this.users ??= new Map(
      readFixture<{ users: { username: string; attributes: Record<string, string> }[] }>("pool-users.json", {
        users: [],
      }).users.map((user) => [user.username, user.attributes]),
    );
    const attributes = this.users.get(username);
    return attributes?.email_verified === "true" ? attributes.email : undefined;
  }
}

let legacyItems: Record<string, unknown>[] | undefined;

/**
 * The sample users. The npm package leaves the repository's sample data out, so there the offline
 * directories are empty: user migration finds no legacy user, and an account-takeover notification
 * without an address finds no recipient, unless replayed --live against real services.
 */
function legacyFixture(): Record<string, unknown>[] {
  legacyItems ??= readFixture<{ items: Record<string, unknown>[] }>("legacy-users.json", { items: [] }).items;
  return legacyItems;
}

/** fixtures/<name>, parsed; `absent` when the file is not there (the npm package). */
function readFixture<T>(name: string, absent: T): T {
  let text: string;
  try {
    text = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return absent;
    throw error;
  }
  return JSON.parse(text) as T;
}

export function createOfflineServices(): OfflineServices {
  const auditStore = new MemoryAuditStore();
  const mailer = new RecordingMailer();
  const legacyUsers = new MemoryLegacyUsers();
  const textSender = new RecordingTextSender();
  return {
    services: {
      auditStore,
      mailer,
      legacyUsers,
      textSender,
      codeDecrypter: new StandInCodeDecrypter(),
      userDirectory: new MemoryUserDirectory(),
    },
    effects: () => [
      ...[...auditStore.items.values()].map((record) => ({
        audit: record.event,
        outcome: record.outcome,
        ...(record.reason === undefined ? {} : { reason: record.reason }),
      })),
      ...mailer.sent.map((email) => ({ email: email.to })),
      ...textSender.sent.map((text) => ({ text: text.to })),
      ...legacyUsers.migrated.map((login) => ({ legacyMigrated: login })),
    ],
  };
}
