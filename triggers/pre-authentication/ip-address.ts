/** Moved to triggers/lib/ip/ (shared with user migration); re-exported for this handler and its tests. */
export * from "../lib/ip/ip-address.ts";
