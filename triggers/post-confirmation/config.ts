/**
 * The post confirmation settings (README "Configuration"), exported so that the CDK app checks a
 * deployment with the very parsers the handler runs at cold start.
 */
import { appName } from "../lib/app-name.ts";
import { auditConfigSpec, flag, oneOf } from "../lib/config.ts";
import { senderAddress } from "../lib/sender-address.ts";
import { LOCALES } from "./templates/index.ts";

export const postConfirmationConfigSpec = {
  WELCOME_EMAIL_FROM: senderAddress(),
  APP_NAME: appName(),
  DEFAULT_LOCALE: oneOf(LOCALES, "en"),
  // Pre sign-up's own key: with it on, a self sign-up's email is verified without proof (proven-address.ts).
  AUTO_CONFIRM: flag(false),
  ...auditConfigSpec,
};
