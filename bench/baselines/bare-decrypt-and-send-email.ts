/**
 * What the custom email sender cannot avoid paying: the code Cognito encrypted, decrypted by the AWS
 * Encryption SDK with a KMS keyring on the pool's key (one KMS Decrypt, through the keyring's own
 * client of default settings), then one SendEmail from an SES client of default settings created at
 * import. Nothing of the suite: no configuration, no templates, no audit.
 */
import { SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import { decryptedCode, type SenderEvent } from "./decrypted-code.ts";

const ses = new SESClient({});

export const handler = async (event: SenderEvent): Promise<unknown> => {
  const code = await decryptedCode(event);
  await ses.send(
    new SendEmailCommand({
      Source: process.env.CUSTOM_SENDER_EMAIL_FROM,
      Destination: { ToAddresses: [event.request.userAttributes.email ?? ""] },
      Message: {
        Subject: { Data: "Your code", Charset: "UTF-8" },
        Body: {
          Html: { Data: `<p>Your code is ${code}</p>`, Charset: "UTF-8" },
          Text: { Data: `Your code is ${code}`, Charset: "UTF-8" },
        },
      },
    }),
  );
  return event;
};
