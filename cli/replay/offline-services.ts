/**
 * In-memory stand-ins for the AWS services the handlers call, so that replay runs offline by default
 * and can report what a handler would have written or sent ("effects").
 */
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import type { Services } from "../../triggers/lib/services.ts";

export type Effect = { audit: string; outcome: string; reason?: string } | { email: string };

export interface OfflineServices {
  services: Services;
  effects(): Effect[];
}

export function createOfflineServices(): OfflineServices {
  const auditStore = new MemoryAuditStore();
  return {
    services: { auditStore },
    effects: () =>
      [...auditStore.items.values()].map((record) => ({
        audit: record.event,
        outcome: record.outcome,
        ...(record.reason === undefined ? {} : { reason: record.reason }),
      })),
  };
}
