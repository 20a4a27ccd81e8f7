/**
 * Custom message: every message Cognito sends (all seven triggerSources) from the bundled en/ja
 * templates, greeting the user by name. With CUSTOM_EMAIL=false only the SMS is customised and the
 * email fields are null, because Cognito refuses email content unless the pool sends through SES.
 *
 * A message that cannot be rendered within Cognito's rules is not worth a failed sign-up: all three
 * fields go back null (Cognito's own message is sent) and the error is logged.
 *
 * The three fields are set on every path, never left as the event brought them: Cognito sends them
 * null, but an emulator or a malformed event may carry text that Cognito would then send as ours.
 */

import type { CustomMessageEvent } from "../lib/cognito-event-types.ts";
import { defineTrigger } from "../lib/define-trigger.ts";
import { stringMap } from "../lib/events.ts";
import { displayName } from "../lib/text/display-name.ts";
import { resolveLocale } from "../lib/text/locale.ts";
import { customMessageConfigSpec } from "./config.ts";
import { type MessageInput, renderEmail, renderSms } from "./render.ts";
import { TEMPLATES } from "./templates/index.ts";
import type { CustomMessageSource } from "./templates/types.ts";

const config = customMessageConfigSpec;

/** The response fields Cognito reads from this trigger (null: Cognito's own message). */
type Messages = CustomMessageEvent["response"];

export const createHandler = defineTrigger({
  trigger: "custom-message",
  config,
  handle: async (event, { config, log }) => {
    const attributes = stringMap(event.request.userAttributes);
    const { codeParameter, usernameParameter } = event.request;
    const input: MessageInput = {
      // defineTrigger has already refused any triggerSource that is not one of this trigger's.
      source: event.triggerSource as CustomMessageSource,
      locale: resolveLocale(attributes.locale, TEMPLATES, config.DEFAULT_LOCALE),
      appName: config.APP_NAME,
      name: undefined,
      code: typeof codeParameter === "string" ? codeParameter : "",
      username: typeof usernameParameter === "string" ? usernameParameter : undefined,
    };
    // null is "Cognito's own message" for that channel.
    let messages: Messages = { smsMessage: null, emailMessage: null, emailSubject: null };
    try {
      input.name = displayName(attributes);
      const sms = renderSms(input);
      const email = config.CUSTOM_EMAIL ? renderEmail(input) : undefined;
      // All or nothing: a message is never half ours and half Cognito's.
      messages = { smsMessage: sms, emailMessage: email?.html ?? null, emailSubject: email?.subject ?? null };
      log.debug("custom message rendered", { triggerSource: event.triggerSource, locale: input.locale });
    } catch (error) {
      log.error("custom message not rendered: Cognito's default message is used", {
        triggerSource: event.triggerSource,
        locale: input.locale,
        error,
      });
    }
    event.response.smsMessage = messages.smsMessage;
    event.response.emailMessage = messages.emailMessage;
    event.response.emailSubject = messages.emailSubject;
    return event;
  },
});
