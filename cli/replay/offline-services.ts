/**
 * In-memory stand-ins for the AWS services the handlers call, so that replay runs offline by default
 * and can report what a handler would have written or sent ("effects").
 */
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import type { Mailer, OutgoingEmail, Services } from "../../triggers/lib/services.ts";

export type Effect = { audit: string; outcome: string; reason?: string } | { email: string };

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

export function createOfflineServices(): OfflineServices {
  const auditStore = new MemoryAuditStore();
  const mailer = new RecordingMailer();
  return {
    services: { auditStore, mailer },
    effects: () => [
      ...[...auditStore.items.values()].map((record) => ({
        audit: record.event,
        outcome: record.outcome,
        ...(record.reason === undefined ? {} : { reason: record.reason }),
      })),
      ...mailer.sent.map((email) => ({ email: email.to })),
    ],
  };
}
