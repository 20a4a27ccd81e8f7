/**
 * Custom email sender: Cognito hands this function every email the pool would send (codes, temporary
 * passwords, the account-takeover notification) and sends none itself. Each is rendered from the same
 * en/ja templates Custom message uses and sent through SES from CUSTOM_SENDER_EMAIL_FROM to the user's
 * `email` (recipient.ts). The code arrives encrypted with the pool's KMS key; the shared delivery flow
 * (lib/custom-sender/delivery.ts) decrypts it, sends, counts and records failures, and decides which
 * failures Lambda retries.
 *
 * The account-takeover notification (threat protection, on the Plus plan) carries no code and has its
 * own template (account-takeover-email.ts). Its event need not carry the user's address; the user is
 * then looked up in the pool, and only a verified address is written to (notification-recipient.ts).
 *
 * SES, the Encryption SDK and the KMS client are imported with the handler: nearly every invocation
 * decrypts a code and sends (lib/custom-sender/delivery.ts measured the lazy alternative). The Cognito
 * client of the look-up is imported on first use instead: only that rare notification needs it, and
 * every code message's cold start would otherwise parse it for nothing.
 */

import { TEMPLATES } from "../custom-message/templates/index.ts";
import { type Delivery, deliver } from "../lib/custom-sender/delivery.ts";
import { customMessageSourceFor } from "../lib/custom-sender/message-source.ts";
import { userNameOf } from "../lib/custom-sender/placeholders.ts";
import { defineTrigger } from "../lib/define-trigger.ts";
import { stringMap } from "../lib/events.ts";
import type { Mailer, UserDirectory } from "../lib/services.ts";
import { SesMailer } from "../lib/ses-mailer.ts";
import { displayName } from "../lib/text/display-name.ts";
import { resolveLocale } from "../lib/text/locale.ts";
import { renderAccountTakeoverEmail } from "./account-takeover-email.ts";
import { renderCodeEmail } from "./code-email.ts";
import { customEmailSenderConfigSpec } from "./config.ts";
import { notificationRecipient } from "./notification-recipient.ts";
import { emailRecipient } from "./recipient.ts";

interface Email {
  subject: string;
  html: string;
  text: string;
}

export const createHandler = defineTrigger({
  trigger: "custom-email-sender",
  config: customEmailSenderConfigSpec,
  handle: async (event, invocation) => {
    const { config, services } = invocation;
    const attributes = stringMap(event.request.userAttributes);
    const locale = resolveLocale(attributes.locale, TEMPLATES, config.DEFAULT_LOCALE);
    const name = displayName(attributes);
    const source = customMessageSourceFor(event.triggerSource);
    const mailer = services.mailer ?? defaultMailer();
    const delivery: Delivery<Email> = {
      channel: "email",
      recipient:
        source === undefined
          ? notificationRecipient(event, attributes, services.userDirectory ?? cognitoUserDirectory)
          : emailRecipient(attributes),
      locale,
      // defineTrigger has refused every other triggerSource: no Custom message source is the notification.
      needsCode: source !== undefined,
      compose: (code) =>
        source === undefined
          ? renderAccountTakeoverEmail({ locale, appName: config.APP_NAME, name, attributes })
          : renderCodeEmail({
              source,
              locale,
              appName: config.APP_NAME,
              name,
              code: code ?? "",
              username: userNameOf(event),
            }),
      send: (to, email, signal) =>
        mailer.send({ from: config.CUSTOM_SENDER_EMAIL_FROM, to, ...email }, signal),
    };
    await deliver(event, invocation, delivery);
    return event;
  },
});

let sesMailer: Mailer | undefined;

function defaultMailer(): Mailer {
  sesMailer ??= new SesMailer();
  return sesMailer;
}

let cognitoDirectory: UserDirectory | undefined;

/** Cognito AdminGetUser, created once, on the first look-up (see the file comment). */
const cognitoUserDirectory: UserDirectory = {
  async verifiedEmail(userPoolId, username, signal) {
    if (cognitoDirectory === undefined) {
      const { CognitoUserDirectory } = await import("./cognito-user-directory.ts");
      cognitoDirectory ??= new CognitoUserDirectory();
    }
    return cognitoDirectory.verifiedEmail(userPoolId, username, signal);
  },
};
