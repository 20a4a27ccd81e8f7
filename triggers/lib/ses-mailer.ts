/**
 * The Mailer on Amazon SES (v1 SendEmail, the API the pool's own SES sending uses too), through the
 * bounded, once-per-environment client: post confirmation's welcome email and every email of the
 * custom email sender. One HTML and one text part, both UTF-8, to exactly one recipient.
 */
import { type SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import type { Mailer, OutgoingEmail } from "./services.ts";
import { sesClient } from "./ses-client.ts";

export class SesMailer implements Mailer {
  /** Without a client, the shared one configured by the standard AWS_* variables. */
  constructor(private readonly client?: SESClient) {}

  async send(email: OutgoingEmail, signal: AbortSignal): Promise<void> {
    const client = this.client ?? sesClient();
    const utf8 = (data: string) => ({ Data: data, Charset: "UTF-8" });
    await client.send(
      new SendEmailCommand({
        Source: email.from,
        Destination: { ToAddresses: [email.to] },
        Message: {
          Subject: utf8(email.subject),
          Body: { Html: utf8(email.html), Text: utf8(email.text) },
        },
      }),
      { abortSignal: signal },
    );
  }
}
