/**
 * What an admitted federated sign-in is answered with: the provider's attributes read by provider type,
 * mapped by FEDERATION_ATTRIBUTE_MAP and nothing else, values made safe, and the verified flags
 * FEDERATION_EMAIL_VERIFIED decides. Through the handler, from the sample events.
 */
import { describe, expect, it } from "vitest";
import { MAX_ATTRIBUTE_LENGTH } from "../../triggers/inbound-federation/attribute-values.ts";
import { createHandler } from "../../triggers/inbound-federation/trigger.ts";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import { GENERIC_USER_MESSAGE } from "../../triggers/lib/errors.ts";
import { ELLIPSIS } from "../../triggers/lib/text/graphemes.ts";
import { captureOutputOfEachTest } from "../support/capture-metrics.ts";
import { sampleEvent, sampleExpectation } from "../support/samples.ts";

type Attributes = Record<string, string>;
interface FederationEvent {
  request: {
    providerType: string;
    attributes: {
      idToken?: Attributes;
      userInfo?: Attributes;
      samlResponse?: Attributes;
      tokenResponse?: Attributes;
    };
  };
  response: { userAttributesToMap: Attributes };
}

const GOOGLE = "inbound-federation/oidc-google-allowed";
const SAML = "inbound-federation/saml-allowed";
const ENV = { ...sampleExpectation(GOOGLE).env, AWS_LAMBDA_FUNCTION_NAME: "suite-InboundFederation-A1b2" };
const EMAIL_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";

const output = captureOutputOfEachTest();

const event = (name = GOOGLE) => sampleEvent(name) as unknown as FederationEvent;
/** A Google-like event whose ID token is `idToken` and userInfo `userInfo` (none when undefined). */
const oidc = (idToken: Attributes, userInfo?: Attributes): FederationEvent => {
  const e = event();
  e.request.attributes.idToken = idToken;
  if (userInfo === undefined) delete e.request.attributes.userInfo;
  else e.request.attributes.userInfo = userInfo;
  return e;
};
async function answer(e: FederationEvent, env: Record<string, string> = {}): Promise<Attributes> {
  const handler = createHandler({ ...ENV, ...env }, { auditStore: new MemoryAuditStore() });
  const result = (await handler(e)) as FederationEvent;
  return result.response.userAttributesToMap;
}
const mapEnv = (map: Record<string, string | string[]>) => ({
  FEDERATION_ATTRIBUTE_MAP: JSON.stringify(map),
});

describe("reading the provider's attributes by provider type", () => {
  it("OIDC: the ID token wins over userInfo, and userInfo fills what the token lacks", async () => {
    const got = await answer(
      oidc(
        { sub: "s1", email: "kenji@example.com", email_verified: "true", name: "From Token" },
        { sub: "s1", email: "other@example.com", name: "From UserInfo", locale: "ja" },
      ),
    );
    expect(got).toEqual({
      email: "kenji@example.com",
      email_verified: "true",
      name: "From Token",
      locale: "ja",
    });
  });

  it("OIDC: a userInfo answer about another subject is not used at all, and that is logged", async () => {
    const got = await answer(
      oidc({ sub: "s1", email: "kenji@example.com" }, { sub: "s2", name: "Someone Else", locale: "en" }),
    );
    expect(got).toEqual({ email: "kenji@example.com", email_verified: "false" });
    expect(output.logs.parsed()).toContainEqual(
      expect.objectContaining({
        msg: "userInfo ignored: it is about another subject",
        providerType: "Google",
      }),
    );
  });

  it("OIDC: userInfo alone is read when there is no ID token (Facebook-like providers)", async () => {
    const e = oidc({}, { id: "10221", email: "kenji@example.com", name: "Kenji" });
    e.request.providerType = "Facebook";
    expect(await answer(e)).toEqual({ email: "kenji@example.com", email_verified: "false", name: "Kenji" });
  });

  it("OIDC ignores a samlResponse, SAML ignores idToken and userInfo", async () => {
    const o = oidc({ sub: "s1" });
    o.request.attributes.samlResponse = { email: "kenji@example.com", [EMAIL_CLAIM]: "kenji@example.com" };
    await expect(answer(o)).rejects.toThrow("Sign-in is not available for this email address");

    const s = event(SAML);
    s.request.attributes.samlResponse = { name: "no email here" };
    s.request.attributes.idToken = { email: "mei@example.com" };
    s.request.attributes.userInfo = { email: "mei@example.com" };
    await expect(answer(s)).rejects.toThrow("Sign-in is not available for this email address");
  });

  it("SAML: the default map reads the usual claim names", async () => {
    expect(await answer(event(SAML))).toEqual({
      email: "mei.tanaka@corp.example.co.jp",
      email_verified: "false",
      given_name: "Mei",
      family_name: "Tanaka",
    });
  });

  it("never reads the token response", async () => {
    const e = event();
    let read = false;
    Object.defineProperty(e.request.attributes, "tokenResponse", {
      enumerable: true,
      get: () => {
        read = true;
        return { access_token: "secret" };
      },
    });
    await answer(e);
    expect(read).toBe(false);
  });

  it.each([["Okta"], [""], [undefined], [42]])(
    "refuses an unknown provider type %j as a malformed event, counted as such",
    async (providerType) => {
      const e = event() as unknown as { request: Record<string, unknown> };
      e.request.providerType = providerType;
      await expect(answer(e as unknown as FederationEvent)).rejects.toThrow(GENERIC_USER_MESSAGE);
      expect(output.metrics.names()).toEqual(["MalformedEvents"]);
    },
  );

  it("treats missing or malformed attribute maps as no attributes: refused for want of an email", async () => {
    const e = event() as unknown as { request: Record<string, unknown> };
    e.request.attributes = "not a map";
    await expect(answer(e as unknown as FederationEvent)).rejects.toThrow(
      "Sign-in is not available for this email address",
    );
    expect(output.metrics.names()).toEqual(["FederationDenied/email-missing"]);
  });
});

describe("mapping by FEDERATION_ATTRIBUTE_MAP", () => {
  it("takes the first provider attribute the provider sent, in the map's order, skipping blank ones", async () => {
    const map = { email: ["mail", "email"], nickname: ["handle", "nick", "nickname"] };
    const got = await answer(
      oidc({ email: "kenji@example.com", handle: "  ", nick: "ken", nickname: "k" }),
      mapEnv(map),
    );
    expect(got).toEqual({ email: "kenji@example.com", email_verified: "false", nickname: "ken" });
  });

  it("sets custom attributes the map names and no other, whatever the provider sends", async () => {
    const map = { email: "email", "custom:tenant": "tid" };
    const got = await answer(
      oidc({ email: "kenji@example.com", tid: "t-42", "custom:tenant": "t-evil", "custom:role": "admin" }),
      mapEnv(map),
    );
    expect(got).toEqual({ email: "kenji@example.com", email_verified: "false", "custom:tenant": "t-42" });
  });

  it("never passes on claims Cognito owns, even when the provider sends them under the pool's names", async () => {
    const got = await answer(
      oidc({
        email: "kenji@example.com",
        sub: "x",
        identities: "[]",
        "cognito:groups": "admins",
        "cognito:username": "admin",
        "dev:x": "1",
        updated_at: "1",
        preferred_username: "admin",
        phone_number: "+819012345678",
      }),
    );
    expect(got).toEqual({ email: "kenji@example.com", email_verified: "false" });
  });

  it("replaces whatever the event carried in its response", async () => {
    const e = event();
    e.response = { userAttributesToMap: { "custom:role": "admin", email_verified: "true" } };
    const got = await answer(e);
    expect(got["custom:role"]).toBeUndefined();
    expect(Object.keys(got)).toEqual(
      Object.keys(sampleExpectation(GOOGLE).result?.response.userAttributesToMap as object),
    );
  });

  it("is never the empty answer, which Cognito would read as 'keep everything the provider sent'", async () => {
    expect(await answer(oidc({ email: "kenji@example.com" }), mapEnv({ email: "email" }))).toEqual({
      email: "kenji@example.com",
      email_verified: "false",
    });
  });

  it("logs the provider type and the mapped names (at DEBUG), never a value", async () => {
    await answer(event(), { LOG_LEVEL: "DEBUG" });
    expect(output.logs.parsed()).toContainEqual(
      expect.objectContaining({
        msg: "federated sign-in admitted",
        providerType: "Google",
        mapped: ["email", "email_verified", "name", "given_name", "family_name", "picture", "locale"],
      }),
    );
    expect(output.logs.lines.join("\n")).not.toMatch(/kenji|Kenji|googleusercontent|sample-access-token/);
  });
});

describe("values", () => {
  it("makes a value inert: controls and line breaks become spaces, invisible characters go, runs collapse", async () => {
    const got = await answer(
      oidc({
        email: "kenji@example.com",
        name: "\u202EKen\u200Bji\u0000 \n\t Sato\u2028",
        nickname: "\u200B\u2060 \u3164",
      }),
    );
    expect(got.name).toBe("Kenji Sato");
    expect(got).not.toHaveProperty("nickname");
    expect(output.logs.parsed()).toContainEqual(expect.objectContaining({ dropped: { nickname: "empty" } }));
  });

  it("keeps the joiners that shape an emoji or a script", async () => {
    const family = "\u{1F468}\u200D\u{1F469}\u200D\u{1F467}";
    expect((await answer(oidc({ email: "kenji@example.com", nickname: family }))).nickname).toBe(family);
  });

  it(`cuts a value over ${MAX_ATTRIBUTE_LENGTH} characters at a character boundary, with an ellipsis`, async () => {
    const got = await answer(
      oidc({ email: "kenji@example.com", name: "\u{1F600}".repeat(MAX_ATTRIBUTE_LENGTH) }),
    );
    expect(got.name?.length).toBeLessThanOrEqual(MAX_ATTRIBUTE_LENGTH);
    expect(got.name?.endsWith(`\u{1F600}${ELLIPSIS}`)).toBe(true);
  });

  it("drops an over-long URL rather than pointing it somewhere else", async () => {
    const url = `https://example.com/${"a".repeat(MAX_ATTRIBUTE_LENGTH)}`;
    const got = await answer(
      oidc({ email: "kenji@example.com", picture: url, website: "https://example.com/" }),
    );
    expect(got).not.toHaveProperty("picture");
    expect(got.website).toBe("https://example.com/");
  });

  it("stores the address lower-cased, its domain in the ASCII form the policy judged", async () => {
    expect((await answer(oidc({ email: " Taro.Yamada@Example.COM " }))).email).toBe(
      "taro.yamada@example.com",
    );
    const idn = await answer(oidc({ email: "Taro@München.Example.co.jp" }));
    expect(idn.email).toBe("taro@xn--mnchen-3ya.example.co.jp");
  });

  describe("phone_number, when the map names it", () => {
    const env = mapEnv({ email: "email", phone_number: "phone_number" });

    it("is kept in E.164 with its own verified flag", async () => {
      const got = await answer(
        oidc({ email: "kenji@example.com", phone_number: "+81312345678", phone_number_verified: "true" }),
        env,
      );
      expect(got).toMatchObject({ phone_number: "+81312345678", phone_number_verified: "true" });
    });

    it.each(["+81 3-1234-5678", "(03) 1234-5678", "0312345678", "+0312345678", "+81312345678\u200B"])(
      "drops %j, and its flag with it, never repairing it",
      async (number) => {
        const got = await answer(
          oidc({ email: "kenji@example.com", phone_number: number, phone_number_verified: "true" }),
          env,
        );
        expect(got).not.toHaveProperty("phone_number");
        expect(got).not.toHaveProperty("phone_number_verified");
        expect(output.logs.parsed()).toContainEqual(
          expect.objectContaining({ dropped: { phone_number: "not-e164" } }),
        );
      },
    );
  });
});

describe("FEDERATION_EMAIL_VERIFIED", () => {
  it.each([
    ["true", "true"],
    ["TRUE", "false"],
    ["True", "false"],
    ["1", "false"],
    ["yes", "false"],
    ["", "false"],
    ["false", "false"],
    [undefined, "false"],
  ])("honour (the default) maps the provider's %j as %j", async (flag, expected) => {
    const idToken: Attributes = { email: "kenji@example.com" };
    if (flag !== undefined) idToken.email_verified = flag;
    expect((await answer(oidc(idToken))).email_verified).toBe(expected);
    expect((await answer(oidc(idToken), { FEDERATION_EMAIL_VERIFIED: "honour" })).email_verified).toBe(
      expected,
    );
  });

  it('never always maps "false", for the email and a mapped phone number', async () => {
    const got = await answer(
      oidc({
        email: "kenji@example.com",
        email_verified: "true",
        phone_number: "+81312345678",
        phone_number_verified: "true",
      }),
      { FEDERATION_EMAIL_VERIFIED: "never", ...mapEnv({ email: "email", phone_number: "phone_number" }) },
    );
    expect(got).toMatchObject({ email_verified: "false", phone_number_verified: "false" });
  });

  it("takes the flag from the map the address came from: an ID token's flag never vouches for userInfo's address", async () => {
    const got = await answer(
      oidc({ sub: "s1", email_verified: "true" }, { sub: "s1", email: "kenji@example.com" }),
    );
    expect(got).toEqual({ email: "kenji@example.com", email_verified: "false" });
  });

  it("SAML assertions carry no flag: their address is never verified", async () => {
    expect((await answer(event(SAML))).email_verified).toBe("false");
  });
});
