/**
 * Inbound federation on random input, through the handler:
 * (a) whatever the provider sends and however the map is configured, the answer names only the map's
 *     pool attributes (and the verified flags), never one Cognito owns, with values Cognito accepts;
 * (b) for any address, the decision is Pre sign-up's domain decision for the same address, and an
 *     admitted address is stored in a form Pre sign-up decides the same way;
 * (c) no attribute value, token or assertion string ever reaches the log.
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_ATTRIBUTE_MAP } from "../../triggers/inbound-federation/attribute-map.ts";
import { MAX_ATTRIBUTE_LENGTH } from "../../triggers/inbound-federation/attribute-values.ts";
import {
  isReservedAttribute,
  STANDARD_ATTRIBUTES,
  VERIFIED_FLAGS,
} from "../../triggers/inbound-federation/pool-attributes.ts";
import { OIDC_PROVIDER_TYPES } from "../../triggers/inbound-federation/provider-attributes.ts";
import { createHandler, FEDERATION_REFUSED_MESSAGE } from "../../triggers/inbound-federation/trigger.ts";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import { parseDomainPattern } from "../../triggers/pre-sign-up/domain-pattern.ts";
import { judgeEmail } from "../../triggers/pre-sign-up/domain-policy.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { defaultIgnorableCharacter } from "../support/default-ignorable.ts";
import { sampleEvent, sampleExpectation } from "../support/samples.ts";

type Attributes = Record<string, string>;
interface FederationEvent {
  request: {
    providerType: string;
    attributes: {
      tokenResponse?: Attributes;
      idToken?: Attributes;
      userInfo?: Attributes;
      samlResponse?: Attributes;
    };
  };
  response: { userAttributesToMap: Attributes };
}

const SAMPLE = "inbound-federation/oidc-google-allowed";
const ENV = sampleExpectation(SAMPLE).env;
const POLICY = {
  allowed: (ENV.ALLOWED_EMAIL_DOMAINS ?? "").split(",").map(parseDomainPattern),
  blocked: (ENV.BLOCKED_EMAIL_DOMAINS ?? "").split(",").map(parseDomainPattern),
};

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

// ---- generators -----------------------------------------------------------------------------------
const PROVIDER_TYPES = [...OIDC_PROVIDER_TYPES, "SAML"] as const;
const SAML_EMAIL = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";

/** Names a provider might send: the pool's own, Cognito's, custom ones, SAML URIs, anything. */
const claimName = fc.oneof(
  fc.constantFrom(...STANDARD_ATTRIBUTES, "sub", "identities", "username", "updated_at", "email_verified"),
  fc.constantFrom("phone_number_verified", "cognito:groups", "cognito:username", "dev:x", "custom:role"),
  fc.constantFrom("custom:tenant", "tid", "groups", "department", SAML_EMAIL, "access_token", "__proto__"),
  fc.string({ maxLength: 12 }),
);
const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.tuple(fc.string({ maxLength: 10 }), defaultIgnorableCharacter).map(([a, b]) => a + b),
  fc.nat({ max: 3 * MAX_ATTRIBUTE_LENGTH }).map((n) => "x".repeat(n)),
  fc.constantFrom("true", "false", "TRUE", "+81312345678", "+81 3 1234 5678", ""),
);
const local = fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,12}$/);
const host = fc.constantFrom(
  "example.com",
  "Example.COM",
  "corp.example.co.jp",
  "guest.example.co.jp",
  "example.co.jp",
  "example.com.evil.io",
  "exаmple.com",
  "münchen.example.co.jp",
  "evil.io",
);
const address = fc.tuple(local, host).map(([user, domain]) => `${user}@${domain}`);
const email = fc.oneof(
  { weight: 4, arbitrary: address },
  {
    weight: 1,
    arbitrary: fc
      .tuple(address, defaultIgnorableCharacter, fc.nat())
      .map(([a, c, at]) => a.slice(0, at % (a.length + 1)) + c + a.slice(at % (a.length + 1))),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("a@b@example.com", " ", "@example.com", "user@", "USER@EXAMPLE.COM "),
  },
);
const admittedAddress = fc
  .tuple(local, fc.constantFrom("example.com", "Example.COM", "corp.example.co.jp", "münchen.example.co.jp"))
  .map(([user, domain]) => `${user}@${domain}`);
const attributeMap = fc.dictionary(claimName, hostileText, { maxKeys: 12 });
/** `source` with, mostly, an address an allowed domain under one of the names the maps read it from. */
const withEmail = (source: fc.Arbitrary<Attributes>) =>
  fc
    .tuple(
      source,
      fc.option(fc.oneof({ weight: 3, arbitrary: admittedAddress }, email), { nil: undefined }),
      fc.constantFrom("email", SAML_EMAIL),
    )
    .map(([attrs, mail, key]) => (mail === undefined ? attrs : { ...attrs, [key]: mail }));

const providerEvent = fc
  .record({
    providerType: fc.constantFrom(...PROVIDER_TYPES),
    tokenResponse: attributeMap,
    idToken: withEmail(attributeMap),
    userInfo: withEmail(attributeMap),
    samlResponse: withEmail(attributeMap),
    prefilled: attributeMap,
  })
  .map(({ providerType, prefilled, ...attributes }) => {
    const event = sampleEvent(SAMPLE) as unknown as FederationEvent;
    event.request.providerType = providerType;
    event.request.attributes = attributes;
    event.response = { userAttributesToMap: prefilled };
    return event;
  });

/** A valid FEDERATION_ATTRIBUTE_MAP: email plus standard and custom attributes from the claim names. */
const configuredMap = fc
  .tuple(
    fc
      .tuple(fc.constantFrom("email", SAML_EMAIL), fc.array(claimName, { maxLength: 2 }), fc.boolean())
      .map(([usual, others, usualFirst]) => (usualFirst ? [usual, ...others] : [...others, usual])),
    fc.dictionary(
      fc.oneof(
        fc.constantFrom(...[...STANDARD_ATTRIBUTES].filter((a) => a !== "email")),
        fc.stringMatching(/^[a-z][a-z0-9_]{0,19}$/).map((n) => `custom:${n}`),
      ),
      fc.array(claimName, { minLength: 1, maxLength: 3 }),
      { maxKeys: 8 },
    ),
  )
  .map(([emailNames, rest]) => ({ ...rest, email: emailNames }))
  .filter((map) =>
    Object.values(map).every((names) =>
      names.every(
        (n) =>
          /^\S(.*\S)?$/u.test(n) &&
          !/[\p{Cc}\p{Default_Ignorable_Code_Point}]/u.test(n) &&
          !["access_token", "id_token", "refresh_token"].includes(n),
      ),
    ),
  );

async function run(event: FederationEvent, env: Record<string, string> = {}) {
  const auditStore = new MemoryAuditStore();
  const handler = createHandler({ ...ENV, ...env }, { auditStore });
  try {
    const result = (await handler(event)) as FederationEvent;
    return { answer: result.response.userAttributesToMap, auditStore };
  } catch (error) {
    return { error: error as Error, auditStore };
  }
}

describe("(a) the answer names only the configured pool attributes", () => {
  it("for any provider attributes and any valid map: no key outside the map and the flags, none reserved", async () => {
    await fc.assert(
      fc.asyncProperty(providerEvent, fc.option(configuredMap, { nil: undefined }), async (event, map) => {
        const env: Record<string, string> =
          map === undefined ? {} : { FEDERATION_ATTRIBUTE_MAP: JSON.stringify(map) };
        const outcome = await run(event, env);
        if (outcome.error) {
          expect(outcome.error.message).toBe(FEDERATION_REFUSED_MESSAGE);
          return;
        }
        const allowed = new Set([
          ...Object.keys(map ?? DEFAULT_ATTRIBUTE_MAP),
          ...Object.values(VERIFIED_FLAGS),
        ]);
        const answer = outcome.answer ?? {};
        expect(Object.keys(answer).length).toBeGreaterThan(0);
        for (const [key, value] of Object.entries(answer)) {
          expect(allowed.has(key), key).toBe(true);
          if (!Object.values(VERIFIED_FLAGS).includes(key as never))
            expect(isReservedAttribute(key), key).toBe(false);
          expect(typeof value).toBe("string");
          expect(value.length).toBeLessThanOrEqual(MAX_ATTRIBUTE_LENGTH);
          // The address is stored as the domain policy admitted it (its rules, not this trigger's).
          if (key !== "email") expect(value).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
        }
        expect(answer.email_verified).toMatch(/^(true|false)$/);
        if ("phone_number" in answer) expect(answer.phone_number_verified).toMatch(/^(true|false)$/);
        else expect(answer).not.toHaveProperty("phone_number_verified");
      }),
      { numRuns: 400 },
    );
  });
});

describe("(b) the decision is Pre sign-up's", () => {
  it("for any address: admitted exactly when judgeEmail admits it, refused with its reason otherwise", async () => {
    await fc.assert(
      fc.asyncProperty(email, async (mail) => {
        const event = sampleEvent(SAMPLE) as unknown as FederationEvent;
        event.request.attributes.idToken = { sub: "s1", email: mail };
        event.request.attributes.userInfo = { sub: "s1" };
        const verdict = judgeEmail(mail, POLICY);
        const outcome = await run(event);
        if (verdict.allowed) {
          expect(outcome.error).toBeUndefined();
          const stored = outcome.answer?.email ?? "";
          // What is stored is judged the same way by Pre sign-up on a first sign-in.
          expect(judgeEmail(stored, POLICY)).toEqual(verdict);
          expect(stored).toBe(stored.toLowerCase());
        } else {
          expect(outcome.error?.message).toBe(FEDERATION_REFUSED_MESSAGE);
          expect([...outcome.auditStore.items.values()].map((r) => r.reason)).toEqual([verdict.reason]);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});

describe("(c) nothing the provider sent reaches the log", () => {
  /** Values that cannot be mistaken for anything a log line says of its own. */
  const secret = fc.stringMatching(/^[A-Za-z0-9]{8,16}$/).map((s) => `Zq${s}`);
  const secretAddress = fc
    .tuple(secret, fc.constantFrom("example.com", "evil.io", "guest.example.co.jp"))
    .map(([s, d]) => `${s}@${d}`);
  const secrets = fc.dictionary(claimName, secret, { maxKeys: 8 });

  it("no attribute value, token or assertion string, in any outcome", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PROVIDER_TYPES),
        fc.record({ tokenResponse: secrets, idToken: secrets, userInfo: secrets, samlResponse: secrets }),
        fc.option(secretAddress, { nil: undefined }),
        fc.constantFrom(
          "{}",
          JSON.stringify({
            email: ["email", SAML_EMAIL],
            "custom:dept": "department",
            phone_number: "phone_number",
          }),
        ),
        async (providerType, attributes, mail, map) => {
          logs.lines.length = 0;
          const event = sampleEvent(SAMPLE) as unknown as FederationEvent;
          event.request.providerType = providerType;
          const sent = structuredClone(attributes);
          if (mail !== undefined) {
            sent.idToken.email = mail;
            sent.samlResponse[SAML_EMAIL] = mail;
          }
          sent.tokenResponse.access_token = "ZqAccessToken0001";
          sent.tokenResponse.id_token = "ZqIdToken0002";
          event.request.attributes = sent;
          const outcome = await run(event, map === "{}" ? {} : { FEDERATION_ATTRIBUTE_MAP: map });
          const logged = logs.lines.join("\n");
          const values = [
            ...Object.values(sent).flatMap((source) => Object.values(source)),
            ...Object.values(outcome.answer ?? {}).filter((v) => v !== "true" && v !== "false"),
          ];
          for (const value of values) expect(logged, value).not.toContain(value);
          if (mail !== undefined) expect(logged).not.toContain(mail.toLowerCase());
        },
      ),
      { numRuns: 300 },
    );
  });
});
