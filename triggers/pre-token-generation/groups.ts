/**
 * Groups in the tokens. Cognito replaces the user's group configuration wholesale with whatever
 * `groupOverrideDetails` the trigger returns, and an empty or null object removes the groups. So
 * "keep the groups" means copying request.groupConfiguration into the response, and "drop them" means
 * returning it empty.
 */
import { isRecord } from "../lib/events.ts";

export interface GroupConfiguration {
  groupsToOverride: string[];
  iamRolesToOverride: string[];
  preferredRole: string | null;
}

/** The request's group configuration, or undefined when the event carries none. */
export function requestGroups(request: Record<string, unknown>): GroupConfiguration | undefined {
  const raw = request.groupConfiguration;
  if (!isRecord(raw)) return undefined;
  return {
    groupsToOverride: strings(raw.groupsToOverride),
    iamRolesToOverride: strings(raw.iamRolesToOverride),
    // Real events send a string or null; the AWS test events once showed an array (a doc error).
    preferredRole: typeof raw.preferredRole === "string" ? raw.preferredRole : null,
  };
}

export function groupOverride(
  groups: GroupConfiguration | undefined,
  keepGroups: boolean,
): GroupConfiguration | undefined {
  if (!keepGroups) return { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null };
  return groups;
}

/** The scopes the user's groups grant (groupScopes), in group order, without those already granted. */
export function scopesForGroups(
  groups: readonly string[],
  groupScopes: ReadonlyMap<string, readonly string[]>,
  alreadyGranted: readonly string[],
): string[] {
  const scopes = new Set<string>();
  for (const group of groups) for (const scope of groupScopes.get(group) ?? []) scopes.add(scope);
  for (const scope of alreadyGranted) scopes.delete(scope);
  return [...scopes];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}
