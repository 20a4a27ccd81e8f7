/**
 * What the policy judges is what gets confirmed: every Default_Ignorable_Code_Point (the suite's one
 * invisible-character rule, triggers/lib/text/invisible.ts), at any position of an address that would
 * otherwise be admitted, local part and domain alike, makes it email-invalid; through the handler with
 * AUTO_CONFIRM=true such a sign-up is refused, audited, and never confirmed or verified.
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryAuditStore } from "../../triggers/lib/audit/memory-store.ts";
import { parseDomainPattern } from "../../triggers/pre-sign-up/domain-pattern.ts";
import { judgeEmail } from "../../triggers/pre-sign-up/domain-policy.ts";
import { createHandler, SIGN_UP_REFUSED_MESSAGE } from "../../triggers/pre-sign-up/trigger.ts";
import { captureLogs } from "../support/capture-logs.ts";
import { DEFAULT_IGNORABLE_CODE_POINTS, defaultIgnorableCharacter } from "../support/default-ignorable.ts";
import { sampleEvent, sampleExpectation } from "../support/samples.ts";

const invisible = defaultIgnorableCharacter;

const local = fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,12}$/);
const host = fc
  .tuple(
    fc.array(fc.constantFrom("example", "mail", "tokyo", "a", "b-2", "münchen", "例え"), {
      minLength: 1,
      maxLength: 3,
    }),
    fc.constantFrom("com", "co.jp", "org", "テスト"),
  )
  .map(([labels, top]) => [...labels, top].join("."));
const address = fc.tuple(local, host).map(([user, domain]) => `${user}@${domain}`);
const ANY = { allowed: [parseDomainPattern("*")], blocked: [] };

/** `email` with `char` inserted at a position chosen by `at`, anywhere from before the first character to after the last. */
const inserted = (email: string, char: string, at: number) => {
  const chars = [...email];
  const i = at % (chars.length + 1);
  return [...chars.slice(0, i), char, ...chars.slice(i)].join("");
};

describe("an invisible character anywhere in an address", () => {
  it("is the whole property as Node ships it (joiners, selectors, fillers, tags)", () => {
    for (const cp of [
      0x00ad, 0x034f, 0x115f, 0x200b, 0x200c, 0x200d, 0x2060, 0x3164, 0xfe0f, 0xffa0, 0xe0041,
    ]) {
      expect(DEFAULT_IGNORABLE_CODE_POINTS, cp.toString(16)).toContain(cp);
    }
  });

  it("makes an address that * admits invalid, wherever it sits", () => {
    fc.assert(
      fc.property(address, invisible, fc.nat(), (email, char, at) => {
        fc.pre(judgeEmail(email, ANY).allowed);
        expect(judgeEmail(inserted(email, char, at), ANY)).toEqual({
          allowed: false,
          reason: "email-invalid",
        });
      }),
      { numRuns: 3_000 },
    );
  });

  it("is refused for every code point of the property, in the local part and in the domain", () => {
    for (const cp of DEFAULT_IGNORABLE_CODE_POINTS) {
      const char = String.fromCodePoint(cp);
      expect(judgeEmail(`ta${char}ro@example.com`, ANY), cp.toString(16)).toMatchObject({
        reason: "email-invalid",
      });
      expect(judgeEmail(`taro@exa${char}mple.com`, ANY), cp.toString(16)).toMatchObject({
        reason: "email-invalid",
      });
    }
  });

  describe("through the handler, with AUTO_CONFIRM=true", () => {
    let logs: ReturnType<typeof captureLogs>;
    beforeEach(() => {
      logs = captureLogs();
    });
    afterEach(() => logs.restore());

    it("is refused with the usual message and audited as email-invalid: never confirmed nor verified", async () => {
      const sample = "pre-sign-up/sign-up-allowed";
      const env = { ...sampleExpectation(sample).env, AUTO_CONFIRM: "true" };
      const admitted = (sampleEvent(sample).request.userAttributes as Record<string, string>).email ?? "";
      await fc.assert(
        fc.asyncProperty(invisible, fc.nat(), async (char, at) => {
          const auditStore = new MemoryAuditStore();
          const event = sampleEvent(sample);
          (event.request.userAttributes as Record<string, string>).email = inserted(admitted, char, at);
          await expect(createHandler(env, { auditStore })(event)).rejects.toThrow(SIGN_UP_REFUSED_MESSAGE);
          expect([...auditStore.items.values()].map((r) => r.reason)).toEqual(["email-invalid"]);
        }),
        { numRuns: 200 },
      );
    });
  });
});
