/**
 * How `--user` finds a person. Records live under USER#<sub>, or USER#<userName> when the event had no
 * sub yet (denied sign-ups, migrations), so:
 * - a sub (Cognito subs are UUIDs) is read from its own partition, plus the partitions of the user
 *   names found there: a handful of Query calls whatever the time range;
 * - a user name or an email cannot be mapped to a partition without the sub, so the time index is
 *   read over the range (every day shard, with a filter on userName / email / sub): its cost grows
 *   with the number of records in the range, never with the size of the table.
 */
import { UsageError } from "../usage-error.ts";

export type UserLookup =
  | { kind: "sub"; value: string }
  /** `spellings`: the value as typed and lower-cased, since emails are compared as stored. */
  | { kind: "name"; value: string; spellings: string[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

export function parseUser(text: string): UserLookup {
  const value = text.trim();
  if (value === "" || value.length > 2048 || CONTROL.test(value)) {
    throw new UsageError("--user needs a sub, a user name or an email address");
  }
  if (UUID.test(value)) return { kind: "sub", value: value.toLowerCase() };
  return { kind: "name", value, spellings: [...new Set([value, value.toLowerCase()])] };
}

export function partitionOf(userKey: string): string {
  return `USER#${userKey}`;
}
