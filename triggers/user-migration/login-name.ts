/**
 * The directory's key: the sign-in name as the user may type it, in one canonical form, so that
 * "Taro@Example.com " finds the item written for "taro@example.com". Importers must write `login` with
 * this same function: Unicode NFKC (full-width letters become ASCII), trimmed, lower-cased.
 */
export function normaliseLogin(typed: string): string {
  return typed.normalize("NFKC").trim().toLowerCase();
}
