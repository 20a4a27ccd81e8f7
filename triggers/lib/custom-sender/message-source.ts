/**
 * Which Custom message template a custom sender's message is: CustomEmailSender_X and CustomSMSSender_X
 * are Custom message's CustomMessage_X (Authentication is the MFA or email OTP code), so both paths
 * say the same words. The account-takeover notification has no Custom message counterpart (undefined).
 */
import type { CustomMessageSource } from "../../custom-message/templates/types.ts";
import { TRIGGERS } from "../events.ts";

const CUSTOM_MESSAGE_SOURCES: readonly string[] = TRIGGERS["custom-message"].sources;

export function customMessageSourceFor(triggerSource: string): CustomMessageSource | undefined {
  const match = /^Custom(?:Email|SMS)Sender_(.+)$/.exec(triggerSource);
  const source = match ? `CustomMessage_${match[1]}` : "";
  return CUSTOM_MESSAGE_SOURCES.includes(source) ? (source as CustomMessageSource) : undefined;
}
