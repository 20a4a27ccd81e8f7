/**
 * The triggers Cognito invokes asynchronously, and what Lambda does when such an invocation fails.
 *
 * "Except for Custom sender Lambda triggers, Amazon Cognito invokes Lambda functions synchronously"
 * (Cognito Developer Guide, Lambda triggers, "Things to know"): Cognito hands the custom email and SMS
 * senders their event and does not wait. The user's request has already succeeded ("code sent"), so an
 * error of the function reaches nobody but Lambda, which retries it (asynchronous invocation) and, after
 * the last attempt or once the event is too old, drops it: the user never gets the message.
 *
 * The retries are set with the codes' lifetimes in mind. Lambda retries a failed asynchronous
 * invocation about one minute after it failed and the second time about two minutes after that (Lambda
 * Developer Guide, "Error handling and automatic retries"). The shortest-lived code a sender delivers
 * is a sign-in code (SMS and email MFA), valid for three minutes; codes for sign-up and attribute
 * verification last a day, temporary passwords days. So:
 * - one retry: a passing fault of SES, SNS or KMS is retried within about a minute, while even a
 *   sign-in code is still good; a second retry, three minutes in, would deliver a sign-in code that has
 *   expired, to a user who has most likely asked for a new one by then (two codes, the older wrong);
 * - events older than three minutes are dropped, not delivered (the same reasoning for an event that
 *   waited in Lambda's queue, e.g. throttled). A dropped event is counted in AsyncEventsDropped, which
 *   alarms (trigger-alarms.ts).
 */
import { Duration } from "aws-cdk-lib";
import type { TriggerName } from "../triggers/lib/events.ts";

export const ASYNCHRONOUS_TRIGGERS: readonly TriggerName[] = ["custom-email-sender", "custom-sms-sender"];

export function isInvokedAsynchronously(trigger: TriggerName): boolean {
  return ASYNCHRONOUS_TRIGGERS.includes(trigger);
}

/** The asynchronous invocation settings of the custom senders (see the file comment). */
export const CUSTOM_SENDER_RETRIES = {
  retryAttempts: 1,
  maxEventAge: Duration.minutes(3),
} as const;
