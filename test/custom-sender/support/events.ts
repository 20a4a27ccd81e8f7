/** The custom sender samples (events/custom-*-sender) as events to build test cases on. */
import { TRIGGERS } from "../../../triggers/lib/events.ts";
import { sampleEvent } from "../../support/samples.ts";

export type SenderEvent = {
  version: string;
  triggerSource: string;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: Record<string, unknown>;
  request: { type: string; code: string | null; userAttributes: Record<string, string> };
  response: Record<string, unknown>;
};

export const EMAIL_SOURCES = TRIGGERS["custom-email-sender"].sources;
export const SMS_SOURCES = TRIGGERS["custom-sms-sender"].sources;
/** Every source that carries a code (all but the account-takeover notification). */
export const EMAIL_CODE_SOURCES = EMAIL_SOURCES.filter(
  (s) => s !== "CustomEmailSender_AccountTakeOverNotification",
);

/** A fresh copy of a sample, e.g. "custom-email-sender/sign-up". */
export function senderSample(name: string): SenderEvent {
  return sampleEvent(name) as unknown as SenderEvent;
}

/** An event of `source` for a user of `locale`, built on the sign-up sample of the channel. */
export function senderEvent(
  source: string,
  options: { code: string | null; locale?: string; attributes?: Record<string, string>; userName?: string },
): SenderEvent {
  const email = source.startsWith("CustomEmailSender_");
  const event = senderSample(email ? "custom-email-sender/sign-up" : "custom-sms-sender/sign-up");
  event.triggerSource = source;
  event.request.code = options.code;
  if (options.userName !== undefined) event.userName = options.userName;
  event.request.userAttributes = {
    ...event.request.userAttributes,
    ...(options.locale === undefined ? {} : { locale: options.locale }),
    ...options.attributes,
  };
  return event;
}
