/**
 * The CDK app entry (cdk.json "app"): `npm run synth`, `npm run deploy`, `npm run diff`.
 * A configuration mistake (an invalid setting, an unreadable or malformed config file) is the user's
 * to fix, not a bug: it is printed as one line, `cognito-trigger-suite: <reason>`, exit 1, without a
 * stack trace. Anything else keeps its stack.
 */
import { buildApp } from "./build-app.ts";
import { configurationErrorLine } from "./configuration-error.ts";

try {
  buildApp().app.synth();
} catch (error) {
  const line = configurationErrorLine(error);
  if (line === undefined) throw error;
  console.error(line);
  process.exitCode = 1;
}
