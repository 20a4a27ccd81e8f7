/**
 * The SMS MFA code (CustomMessage_Authentication), which the pool sends once `mfaFactors` includes SMS:
 * in both locales it carries the code and stays short. Cognito's limit is 140 characters (templates.test.ts
 * checks every source against it); here, for a usual app name and nickname, the text fits one SMS
 * segment, which is what each message costs: 160 GSM-7 characters (English) or 70 UCS-2 characters
 * (Japanese).
 */
import { describe, expect, it } from "vitest";
import { SMS_MESSAGE_MAX } from "../../triggers/custom-message/limits.ts";
import { createHandler } from "../../triggers/custom-message/trigger.ts";
import { APP_NAME_MAX } from "../../triggers/lib/app-name.ts";

/** The GSM 03.38 basic character set: a text only of these is sent 160 characters to a segment. */
const GSM_7 = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà]*$/;
const CODE = "123456";

async function mfaSms(appName: string, locale: string, nickname: string): Promise<string> {
  const handler = createHandler({ APP_NAME: appName, DEFAULT_LOCALE: "en", CUSTOM_EMAIL: "false" });
  const event = {
    version: "1",
    triggerSource: "CustomMessage_Authentication",
    region: "ap-northeast-1",
    userPoolId: "ap-northeast-1_Ab12Cd34E",
    userName: "user-1",
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "client" },
    request: {
      userAttributes: { sub: "user-1", locale, nickname, phone_number: "+819012345678" },
      codeParameter: CODE,
      linkParameter: "{##Click Here##}",
      usernameParameter: null,
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  };
  const { response } = (await handler(event)) as { response: { smsMessage: string | null } };
  if (response.smsMessage === null) throw new Error("no SMS text");
  return response.smsMessage;
}

describe("the SMS MFA code text", () => {
  it("in English: the code, one GSM-7 segment", async () => {
    const text = await mfaSms("Acme Notes", "en-US", "Jordan");
    expect(text).toBe(`Hi Jordan, your Acme Notes sign-in code is ${CODE}`);
    expect(text).toMatch(GSM_7);
    expect(text.length).toBeLessThanOrEqual(160);
  });

  it("in Japanese: the code, one UCS-2 segment", async () => {
    const text = await mfaSms("Acme Notes", "ja-JP", "さくら");
    expect(text).toBe(`【Acme Notes】さくら 様 サインイン確認コード: ${CODE}`);
    expect(text.length).toBeLessThanOrEqual(70);
  });

  it.each(["en", "ja"])(
    "in %s, within Cognito's limit with the longest app name and nickname",
    async (locale) => {
      const text = await mfaSms("A".repeat(APP_NAME_MAX), locale, "N".repeat(500));
      expect(text).toContain(CODE);
      expect(text.length).toBeLessThanOrEqual(SMS_MESSAGE_MAX);
    },
  );

  it("never carries the phone number it is sent to", async () => {
    for (const locale of ["en", "ja"]) {
      expect(await mfaSms("Acme Notes", locale, "Jordan")).not.toContain("9012345678");
    }
  });
});
