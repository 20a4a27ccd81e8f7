/**
 * The custom email sender's AWS calls alone, for comparison only: a KMS client and an SES client of
 * default settings created at import, one KMS Decrypt of the data key the message carries (read from
 * its header by hand) and one SendEmail. Without the AWS Encryption SDK, so the difference to
 * bare-decrypt-and-send-email.ts is what the Encryption SDK itself costs: its code, and decrypting and
 * verifying the message (which this does not do, so it could not refuse a forged one).
 */
import { DecryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import type { SenderEvent } from "./decrypted-code.ts";
import { firstKmsDataKey } from "./encrypted-data-key.ts";

const kms = new KMSClient({});
const ses = new SESClient({});

export const handler = async (event: SenderEvent): Promise<unknown> => {
  const dataKey = firstKmsDataKey(Buffer.from(event.request.code, "base64"));
  const { Plaintext } = await kms.send(
    new DecryptCommand({
      KeyId: dataKey.keyArn,
      CiphertextBlob: dataKey.ciphertext,
      EncryptionContext: dataKey.encryptionContext,
    }),
  );
  if (!Plaintext) throw new Error("KMS returned no data key");
  await ses.send(
    new SendEmailCommand({
      Source: process.env.CUSTOM_SENDER_EMAIL_FROM,
      Destination: { ToAddresses: [event.request.userAttributes.email ?? ""] },
      Message: {
        Subject: { Data: "Your code", Charset: "UTF-8" },
        Body: {
          Html: { Data: "<p>Your code</p>", Charset: "UTF-8" },
          Text: { Data: "Your code", Charset: "UTF-8" },
        },
      },
    }),
  );
  return event;
};
