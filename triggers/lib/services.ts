/**
 * The outside world a handler talks to, injectable so that replay can run handlers offline and tests
 * can inject faults. Lambda uses the defaults (real AWS clients, loaded lazily).
 * Each trigger that needs another service adds its port here.
 */
import type { AuditStore } from "./audit/store.ts";

export interface Services {
  auditStore?: AuditStore;
  now?: () => Date;
}
