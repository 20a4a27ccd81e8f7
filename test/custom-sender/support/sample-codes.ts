/**
 * The codes of the custom sender samples (events/custom-email-sender, events/custom-sms-sender): each
 * sample's plaintext and the key it is encrypted under, so that tests know what the samples decrypt to
 * (and can check it appears nowhere it must not).
 *
 * The samples hold real AWS Encryption SDK messages, made as Cognito makes them (encryptAsCognito: a
 * KMS keyring on the key, the data key wrapped through the KMS stand-in), which offline replay decrypts
 * through the real Encryption SDK. After adding a sample, list it here and run
 *   npx tsx test/custom-sender/support/sample-codes.ts
 * which writes `request.code` into the sample and into its expected result. A sample whose code already
 * decrypts to its plaintext under its key is left as it is (a fresh encryption would differ every run).
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { encryptAsCognito, KmsStandIn, STAND_IN_KEY_ARN } from "../../../cli/kms-stand-in.ts";
import { StandInCodeDecrypter } from "../../../cli/replay/offline-services.ts";
import { formatJson } from "../../../cli/replay/update-expected.ts";

/** A key the samples' pool does not use: a code under it must be refused. */
export const OTHER_KEY_ARN = "arn:aws:kms:ap-northeast-1:111122223333:key/00000000-another-pools-key";

export interface SampleCode {
  plaintext: string;
  keyArn: string;
}

const code = (plaintext: string, keyArn = STAND_IN_KEY_ARN): SampleCode => ({ plaintext, keyArn });

/** By sample ("<trigger>/<case>"). Samples without a code (null) are not listed. */
export const SAMPLE_CODES: Readonly<Record<string, SampleCode>> = {
  "custom-email-sender/sign-up": code("482913"),
  "custom-email-sender/resend-code-japanese": code("730518"),
  "custom-email-sender/forgot-password": code("165204"),
  "custom-email-sender/update-user-attribute": code("904377"),
  "custom-email-sender/verify-user-attribute-japanese": code("258016"),
  // A temporary password, with every character HTML escapes.
  "custom-email-sender/admin-create-user": code(`Tq7&<x9>"Wm'2`),
  "custom-email-sender/authentication": code("611480"),
  "custom-email-sender/sign-up-other-key": code("482913", OTHER_KEY_ARN),
  "custom-sms-sender/sign-up": code("302948"),
  "custom-sms-sender/resend-code": code("771203"),
  "custom-sms-sender/forgot-password-japanese": code("448210"),
  "custom-sms-sender/update-user-attribute": code("590371"),
  "custom-sms-sender/verify-user-attribute": code("816042"),
  "custom-sms-sender/admin-create-user": code("Hk4$mP9!qz"),
  "custom-sms-sender/authentication-japanese": code("129577"),
  "custom-sms-sender/sign-up-invalid-phone": code("302948"),
};

const EVENTS = new URL("../../../events/", import.meta.url);

type Sample = { request: { code: unknown } };

async function writeSampleCodes(): Promise<void> {
  const standIn = new KmsStandIn();
  const decrypter = new StandInCodeDecrypter(standIn);
  for (const [name, { plaintext, keyArn }] of Object.entries(SAMPLE_CODES)) {
    const eventPath = new URL(`${name}.json`, EVENTS);
    const expectedPath = new URL(`${name}.expected.json`, EVENTS);
    const event = JSON.parse(await readFile(eventPath, "utf8")) as Sample;
    const current = event.request.code;
    const upToDate =
      typeof current === "string" &&
      (await decrypter.decrypt(keyArn, current, new AbortController().signal).catch(() => undefined)) ===
        plaintext;
    if (upToDate) continue;
    const ciphertext = await encryptAsCognito(plaintext, { standIn, keyArn });
    event.request.code = ciphertext;
    await writeFile(eventPath, formatJson(event));
    const expected = JSON.parse(await readFile(expectedPath, "utf8")) as { result?: Sample };
    if (expected.result) expected.result.request.code = ciphertext;
    await writeFile(expectedPath, formatJson(expected));
    console.log(`wrote the code of ${name}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await writeSampleCodes();
