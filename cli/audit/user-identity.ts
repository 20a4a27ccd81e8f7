/**
 * One person, one count. A record names its user by sub when the event had one, else only by user
 * name (refused sign-ups, migrations: see user-lookup.ts), so the same person can appear under two
 * keys. Every record that carries both links the name to the sub; counts resolve each key through
 * those links once all records are read, so a name-only record counts towards its sub's user wherever
 * the link was seen (before or after it, in this period or the one it is compared with).
 *
 * A user name reused by a later account (deleted and signed up again) links to several subs: the
 * name is then resolved to the sub of the newest record that carries both.
 */
import type { AuditItem } from "./audit-item.ts";

export class UserIdentities {
  private readonly subs = new Set<string>();
  private readonly nameToSub = new Map<string, { sub: string; at: string }>();

  /** The key the record names its user by (sub, else user name, else the partition), learning links. */
  keyOf(item: Pick<AuditItem, "pk" | "at" | "sub" | "userName">): string {
    const { sub, userName } = item;
    if (sub !== undefined && sub !== "") {
      this.subs.add(sub);
      if (userName !== undefined && userName !== "" && userName !== sub) {
        const known = this.nameToSub.get(userName);
        if (!known || item.at > known.at) this.nameToSub.set(userName, { sub, at: item.at });
      }
      return sub;
    }
    if (userName !== undefined && userName !== "") return userName;
    return item.pk.replace(/^USER#/, "");
  }

  /** The person behind a key from `keyOf`: the sub a user name is linked to, else the key itself. */
  resolve(key: string): string {
    if (this.subs.has(key)) return key;
    return this.nameToSub.get(key)?.sub ?? key;
  }

  /** How many people the keys stand for. */
  count(keys: Iterable<string>): number {
    const people = new Set<string>();
    for (const key of keys) people.add(this.resolve(key));
    return people.size;
  }
}
