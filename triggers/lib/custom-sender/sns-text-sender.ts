/**
 * The custom SMS sender's default TextSender: Amazon SNS Publish straight to the phone number (no
 * topic), as a Transactional message, which SNS delivers with the higher reliability and priority
 * meant for one-time codes (Promotional messages may be dropped to save cost, and not delivered to
 * numbers on do-not-disturb lists in some countries). The sender ID, origination number and spend limit
 * are the account's SNS SMS settings. The client is created once per cold start on first use and
 * bounded like every AWS client of the suite; the endpoint comes from AWS_ENDPOINT_URL_SNS.
 */
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { boundedClientConfig } from "../bounded-client-config.ts";
import type { OutgoingText, TextSender } from "../services.ts";

/** An SNS client with the bounded settings, for the current environment. */
export function createSnsClient(): SNSClient {
  return new SNSClient(boundedClientConfig());
}

let sns: SNSClient | undefined;

/** The one SNS client of this execution environment (created on first use, reused while warm). */
export function snsClient(): SNSClient {
  sns ??= createSnsClient();
  return sns;
}

export class SnsTextSender implements TextSender {
  /** Without a client, the shared one configured by the standard AWS_* variables. */
  constructor(private readonly client?: SNSClient) {}

  async send(text: OutgoingText, signal: AbortSignal): Promise<void> {
    await (this.client ?? snsClient()).send(
      new PublishCommand({
        PhoneNumber: text.to,
        Message: text.body,
        MessageAttributes: {
          "AWS.SNS.SMS.SMSType": { DataType: "String", StringValue: "Transactional" },
        },
      }),
      { abortSignal: signal },
    );
  }
}
