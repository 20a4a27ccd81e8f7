/**
 * Inbound federation's own hostile input: what an identity provider (or whoever controls one, or the
 * user's profile there) can put in the attributes Cognito passes on. Provider maps huge, nested, with
 * thousands of claims; claims named like the pool's reserved attributes or like prototype keys; SAML
 * and OIDC values with control and default-ignorable characters; addresses and phone numbers in every
 * form but the valid one; HTML in names; verified flags that are almost "true"; the provider type
 * wrong; tokens planted where a careless mapping would pass them on.
 */
import { at, both, DELETE, HUGE, invisibleAt, type Json, type Mutation } from "./mutation.ts";

/** Planted in provider maps under names no attribute map reads: they must appear nowhere. */
export const PLANTED_TOKEN = "Pl4nted-Provider-Token-5e8b1c";

/** The maps of provider attributes a federation event may carry (tokenResponse is never read). */
const PROVIDER_MAPS = ["idToken", "userInfo", "samlResponse"] as const;

const SAML_EMAIL = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Applies `change` to every provider map the event has (SAML attribute names hold dots: no path). */
const inEveryMap =
  (change: (map: Json) => Json): Mutation[1] =>
  (event) => {
    const attributes = isRecord(event.request) ? event.request.attributes : undefined;
    if (!isRecord(attributes)) return event;
    for (const name of PROVIDER_MAPS) {
      const map = attributes[name];
      if (isRecord(map)) attributes[name] = change(map);
    }
    return event;
  };

/** Every value of every provider map. */
const everyProviderValue = (replace: (value: unknown, key: string) => unknown) =>
  inEveryMap((map) => Object.fromEntries(Object.entries(map).map(([k, v]) => [k, replace(v, k)])));

/** The address claim of every provider map (`email`, or SAML's emailaddress claim). */
const everyEmail = (replace: (value: unknown) => unknown) =>
  everyProviderValue((value, key) => (key === "email" || key === SAML_EMAIL ? replace(value) : value));

/** A claim of every provider map set to `value`. */
const everyClaim = (name: string, value: unknown) => inEveryMap((map) => ({ ...map, [name]: value }));

/** Nested `depth` objects deep, as a provider's JSON claim could be (decoded tokens keep objects). */
function nested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

// Written as JSON text so that "__proto__" is an own key, as Lambda's parser leaves it.
const RESERVED_CLAIMS = `{"custom:role":"admin","custom:tenant_id":"other-tenant","cognito:groups":"admins","cognito:username":"admin","cognito:user_status":"CONFIRMED","identities":"[]","sub":"attacker-sub","email_verified":"true","phone_number_verified":"true","preferred_username":"admin","__proto__":{"email":"admin@example.com","custom:role":"admin"},"constructor":{"prototype":{"polluted":"yes"}},"toString":"x","hasOwnProperty":"x"}`;

const CONTROLS = "\u0000\u0007\b\u001b[31m\r\n\u0085\u2028";
const INVISIBLES = [
  "\u200B",
  "\u2060",
  "\uFEFF",
  "\u00AD",
  "\u034F",
  "\u115F",
  "\u180E",
  "\u{E0041}",
  "\u202E",
];

/** Forms a phone number takes that are not E.164: none may reach the profile, none is repaired. */
const NOT_E164 = [
  "(206) 555-0142",
  "+1 206 555 0142",
  "+1-206-555-0142",
  "0312345678",
  "+0312345678",
  "+8131234567890123",
  "+81312345678\n",
  "+81 3\u200B1234 5678",
  "+８１３１２３４５６７８",
  "tel:+81312345678",
  "+81312345678;ext=1",
];

export function federationMutations(): Mutation[] {
  return [
    // The provider type decides which maps are read; anything else is refused, never guessed at.
    ["providerType unknown", at("request.providerType", "Kerberos")],
    ["providerType in lower case", at("request.providerType", "saml")],
    ["providerType a number", at("request.providerType", 3)],
    ["providerType null", at("request.providerType", null)],
    ["providerType huge", at("request.providerType", HUGE)],
    ["providerName huge", at("request.providerName", HUGE)],
    ["providerName an object", at("request.providerName", { name: "Google" })],
    ["no attributes", at("request.attributes", DELETE)],
    ["attributes null", at("request.attributes", null)],
    ["attributes an array", at("request.attributes", [["email", "alex.morgan@example.com"]])],
    ["every provider map null", both(...PROVIDER_MAPS.map((m) => at(`request.attributes.${m}`, null)))],
    ["every provider map an array", both(...PROVIDER_MAPS.map((m) => at(`request.attributes.${m}`, [])))],
    // Sizes and shapes no provider should send.
    ["provider values huge", everyProviderValue(() => HUGE)],
    [
      "provider values 3,000 characters",
      everyProviderValue((v) => (typeof v === "string" ? v.padEnd(3000, "é") : v)),
    ],
    ["provider values nested 500 objects deep", everyProviderValue((v) => nested(500, v))],
    [
      "provider values as numbers, booleans and arrays",
      everyProviderValue((v, k) => [1, true, [v], null][k.length % 4]),
    ],
    [
      "10,000 provider claims",
      inEveryMap((map) => ({
        ...map,
        ...Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`claim_${i}`, `value ${i}`])),
      })),
    ],
    // Claims named like what the pool owns, or like prototype keys.
    [
      "claims named custom:, cognito:, __proto__ and constructor",
      inEveryMap((map) => ({ ...map, ...(JSON.parse(RESERVED_CLAIMS) as Json) })),
    ],
    [
      "only prototype keys",
      inEveryMap(
        () => JSON.parse('{"__proto__":{"email":"admin@example.com","email_verified":"true"}}') as Json,
      ),
    ],
    // What a person can type into a profile: control characters, characters that render as nothing, markup.
    [
      "provider values with control characters",
      everyProviderValue((v) => (typeof v === "string" ? `${CONTROLS}${v}${CONTROLS}` : v)),
    ],
    ...INVISIBLES.map(
      (char): Mutation => [
        `provider values with U+${char.codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0")}`,
        everyProviderValue((v) => invisibleAt(1, char)(invisibleAt(-2, char)(v))),
      ],
    ),
    [
      "provider values of invisible characters only",
      everyProviderValue((v, k) => (k === "email" || k === SAML_EMAIL ? v : INVISIBLES.join(""))),
    ],
    [
      "names with HTML",
      both(
        everyClaim("name", '<img src=x onerror="alert(1)">'),
        everyClaim("given_name", "<script>alert(1)</script>"),
        everyClaim("nickname", '</p><a href="javascript:alert(1)">x</a>'),
      ),
    ],
    ["a picture URL of javascript:", everyClaim("picture", "javascript:alert(document.cookie)")],
    [
      "a picture URL of 5,000 characters",
      everyClaim("picture", `https://cdn.example.com/${"a".repeat(5000)}`),
    ],
    // The address the domain policy judges, in every form but a plain one.
    ["email missing", everyEmail(() => DELETE)],
    ["email empty", everyEmail(() => "")],
    ["email blank", everyEmail(() => " \t ")],
    ["email without an @", everyEmail(() => "alex.morgan.example.com")],
    ["email with two @", everyEmail(() => "alex@morgan@example.com")],
    ["email with HTML", everyEmail(() => '"><script>alert(1)</script>@example.com')],
    ["email with a display name", everyEmail(() => "Alex Morgan <alex.morgan@example.com>")],
    ["email with a line break and a Bcc", everyEmail(() => "alex.morgan@example.com\r\nBcc: x@evil.example")],
    ["email in upper case", everyEmail((v) => (typeof v === "string" ? v.toUpperCase() : v))],
    ["email at an internationalised domain", everyEmail(() => "Taro@例え.example.com")],
    [
      "email at a blocked subdomain in full-width letters",
      everyEmail(() => "visitor@ｇｕｅｓｔ.example.co.jp"),
    ],
    ["email with a zero-width space in the domain", everyEmail(invisibleAt(-5, "\u200B"))],
    ["email with a joiner in the local part", everyEmail(invisibleAt(2, "\u200D"))],
    ["email with a trailing dot", everyEmail((v) => (typeof v === "string" ? `${v}.` : v))],
    ["email huge", everyEmail(() => `${"a".repeat(1 << 16)}@example.com`)],
    // Verified flags that are almost "true": only the exact string from the same map may vouch.
    ["email_verified TRUE", everyClaim("email_verified", "TRUE")],
    ["email_verified a boolean", everyClaim("email_verified", true)],
    ["email_verified 1", everyClaim("email_verified", "1")],
    ["email_verified with a trailing space", everyClaim("email_verified", "true ")],
    [
      "phone_number_verified true without a phone number",
      both(
        everyClaim("phone_number_verified", "true"),
        everyProviderValue((v, k) => (k === "phone_number" ? DELETE : v)),
      ),
    ],
    // Phone numbers: kept only in E.164, never repaired.
    ...NOT_E164.map(
      (number): Mutation => [`phone_number ${JSON.stringify(number)}`, everyClaim("phone_number", number)],
    ),
    // A userInfo answer about someone else must not lend them its address.
    [
      "userInfo about another subject, with another address",
      both(
        at("request.attributes.userInfo", (v: unknown) => ({
          ...(isRecord(v) ? v : {}),
          sub: "someone-else",
          email: "admin@example.com",
          email_verified: "true",
        })),
        at("request.attributes.idToken.email", DELETE),
      ),
    ],
    // Tokens where a careless map would read them: under token names in every map.
    [
      "tokens in every provider map",
      inEveryMap((map) => ({
        ...map,
        access_token: PLANTED_TOKEN,
        id_token: PLANTED_TOKEN,
        refresh_token: PLANTED_TOKEN,
      })),
    ],
    [
      "a pre-filled answer",
      at("response", {
        userAttributesToMap: { "custom:role": "admin", email: "admin@example.com", email_verified: "true" },
      }),
    ],
    ["the answer pre-filled with a string", at("response.userAttributesToMap", "email=admin@example.com")],
  ];
}

/**
 * The secrets every federation event carries: the provider's tokens, and claims that no attribute map
 * reads (an assertion's session index, an ID token's nonce), all PLANTED_TOKEN.
 */
export function plantProviderSecrets(event: Json): Json {
  const attributes = isRecord(event.request) ? event.request.attributes : undefined;
  if (!isRecord(attributes)) return event;
  attributes.tokenResponse = {
    ...(isRecord(attributes.tokenResponse) ? attributes.tokenResponse : {}),
    access_token: PLANTED_TOKEN,
    id_token: PLANTED_TOKEN,
    refresh_token: PLANTED_TOKEN,
  };
  if (isRecord(attributes.idToken)) attributes.idToken.nonce = PLANTED_TOKEN;
  if (isRecord(attributes.samlResponse)) {
    attributes.samlResponse["http://schemas.microsoft.com/identity/claims/sessionindex"] = PLANTED_TOKEN;
  }
  return event;
}
