/**
 * The custom message settings (README "Configuration"), exported so that the CDK app checks a
 * deployment with the very parsers the handler runs at cold start.
 */
import { appName } from "../lib/app-name.ts";
import { flag, oneOf } from "../lib/config.ts";
import { LOCALES } from "./templates/index.ts";

export const customMessageConfigSpec = {
  APP_NAME: appName(),
  DEFAULT_LOCALE: oneOf(LOCALES, "en"),
  CUSTOM_EMAIL: flag(false),
};
