/**
 * What the custom SMS sender cannot avoid paying: the code Cognito encrypted, decrypted by the AWS
 * Encryption SDK with a KMS keyring on the pool's key (one KMS Decrypt, through the keyring's own
 * client of default settings), then one SNS Publish to the user's phone number from an SNS client of
 * default settings created at import. Nothing of the suite.
 */
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { decryptedCode, type SenderEvent } from "./decrypted-code.ts";

const sns = new SNSClient({});

export const handler = async (event: SenderEvent): Promise<unknown> => {
  const code = await decryptedCode(event);
  await sns.send(
    new PublishCommand({
      PhoneNumber: event.request.userAttributes.phone_number,
      Message: `Your code is ${code}`,
    }),
  );
  return event;
};
