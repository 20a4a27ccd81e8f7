/**
 * The custom email sender settings (README "Configuration"), exported so that the CDK app checks a
 * deployment with the very parsers the handler runs at cold start. APP_NAME and DEFAULT_LOCALE are
 * Custom message's own keys and parsers: the same templates render both paths.
 *
 * CUSTOM_SENDER_EMAIL_FROM is written like post confirmation's WELCOME_EMAIL_FROM and checked by the
 * same parser ("address@domain" or "Name <address@domain>", ASCII), but required: without it the
 * sender could deliver nothing, and a value SES would refuse as Source fails at deployment rather than
 * on every message. The construct's SES permission is pinned to the address it names.
 */

import { LOCALES } from "../custom-message/templates/index.ts";
import { appName } from "../lib/app-name.ts";
import { auditConfigSpec, oneOf, type Parser } from "../lib/config.ts";
import { kmsKeyArn } from "../lib/custom-sender/kms-key-arn.ts";
import { ConfigError } from "../lib/errors.ts";
import { senderAddress } from "../lib/sender-address.ts";

function requiredSenderAddress(): Parser<string> {
  const parse = senderAddress();
  return (raw, key) => {
    const value = parse(raw, key);
    if (value === undefined)
      throw new ConfigError(key, "is required (the verified SES identity to send from)");
    return value;
  };
}

export const customEmailSenderConfigSpec = {
  APP_NAME: appName(),
  DEFAULT_LOCALE: oneOf(LOCALES, "en"),
  CUSTOM_SENDER_EMAIL_FROM: requiredSenderAddress(),
  CUSTOM_SENDER_KMS_KEY_ARN: kmsKeyArn(),
  ...auditConfigSpec,
};
