/**
 * Custom SMS sender: Cognito hands this function every text message the pool would send (codes and
 * temporary passwords) and sends none itself. Each is rendered from the same en/ja SMS templates Custom
 * message uses and sent through SNS (Publish to the user's `phone_number`, Transactional). The code
 * arrives encrypted with the pool's KMS key; the shared delivery flow (lib/custom-sender/delivery.ts)
 * decrypts it, sends, counts and records failures, and decides which failures Lambda retries.
 *
 * SNS, the Encryption SDK and the KMS client are imported with the handler: every invocation decrypts
 * a code and sends.
 */
import { TEMPLATES } from "../custom-message/templates/index.ts";
import { type Delivery, deliver } from "../lib/custom-sender/delivery.ts";
import { customMessageSourceFor } from "../lib/custom-sender/message-source.ts";
import { userNameOf } from "../lib/custom-sender/placeholders.ts";
import { SnsTextSender } from "../lib/custom-sender/sns-text-sender.ts";
import { defineTrigger } from "../lib/define-trigger.ts";
import { stringMap } from "../lib/events.ts";
import type { TextSender } from "../lib/services.ts";
import { displayName } from "../lib/text/display-name.ts";
import { resolveLocale } from "../lib/text/locale.ts";
import { renderCodeText } from "./code-text.ts";
import { customSmsSenderConfigSpec } from "./config.ts";
import { phoneRecipient } from "./recipient.ts";

export const createHandler = defineTrigger({
  trigger: "custom-sms-sender",
  config: customSmsSenderConfigSpec,
  handle: async (event, invocation) => {
    const { config, services } = invocation;
    const attributes = stringMap(event.request.userAttributes);
    const locale = resolveLocale(attributes.locale, TEMPLATES, config.DEFAULT_LOCALE);
    // defineTrigger has refused every other triggerSource, and each SMS source has its Custom message one.
    const source = customMessageSourceFor(event.triggerSource);
    const textSender = services.textSender ?? defaultTextSender();
    const delivery: Delivery<string> = {
      channel: "text",
      recipient: phoneRecipient(attributes),
      locale,
      needsCode: true,
      compose: (code) => {
        if (source === undefined || code === undefined)
          throw new Error(`no SMS template for ${event.triggerSource}`);
        return renderCodeText({
          source,
          locale,
          appName: config.APP_NAME,
          name: displayName(attributes),
          code,
          username: userNameOf(event),
        });
      },
      send: (to, body, signal) => textSender.send({ to, body }, signal),
    };
    await deliver(event, invocation, delivery);
    return event;
  },
});

let snsTextSender: TextSender | undefined;

function defaultTextSender(): TextSender {
  snsTextSender ??= new SnsTextSender();
  return snsTextSender;
}
