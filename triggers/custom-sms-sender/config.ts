/**
 * The custom SMS sender settings (README "Configuration"), exported so that the CDK app checks a
 * deployment with the very parsers the handler runs at cold start. APP_NAME and DEFAULT_LOCALE are
 * Custom message's own keys and parsers: the same templates render both paths.
 */

import { LOCALES } from "../custom-message/templates/index.ts";
import { appName } from "../lib/app-name.ts";
import { auditConfigSpec, oneOf } from "../lib/config.ts";
import { kmsKeyArn } from "../lib/custom-sender/kms-key-arn.ts";

export const customSmsSenderConfigSpec = {
  APP_NAME: appName(),
  DEFAULT_LOCALE: oneOf(LOCALES, "en"),
  CUSTOM_SENDER_KMS_KEY_ARN: kmsKeyArn(),
  ...auditConfigSpec,
};
