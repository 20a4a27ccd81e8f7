/**
 * `cognito-triggers generate-event <triggerSource> [--version 1|2|3] [--seed <text>] [--code <code>]`,
 * like `sam local generate-event`: prints a realistic event of any triggerSource the suite handles,
 * shaped as Cognito sends it (templates.ts), as pretty JSON on stdout. The same arguments always print
 * the same event, except with --code: the AWS Encryption SDK encrypts with a fresh data key each time.
 * Exit codes: 0 printed, 2 unusable input (one line on stderr).
 */
import { TRIGGERS, triggerForSource } from "../../triggers/lib/events.ts";
import { encryptAsCognito, STAND_IN_KEY_ARN } from "../kms-stand-in.ts";
import { editDistance, parseOptions } from "../options.ts";
import { UsageError } from "../usage-error.ts";
import {
  CODE_PLACEHOLDER,
  DEFAULT_IDENTITY,
  type EventVersion,
  generateEvent,
  seededIdentity,
  TRIGGER_SOURCES,
  versionsOf,
} from "./templates.ts";

export const GENERATE_EVENT_USAGE = `Usage: cognito-triggers generate-event <triggerSource> [options]

Prints a sample event of <triggerSource> as Cognito sends it (the response pre-filled as Cognito fills
it), as JSON on stdout: save it, edit it and replay it with "cognito-triggers replay <file>".

Options:
  --version <1|2|3>  the event version (pre token generation only): 2 by default, the version the CDK
                     app deploys (V2_0); 1 for V1_0 pools, 3 for V3_0. TokenGeneration_ClientCredentials
                     exists only as 3. Every other source is version 1.
  --seed <text>      other ids and another user (region, user pool id, client id, sub, name), the same
                     for the same seed; without it the ids are fixed, so the output never changes
  --code <code>      custom sender sources: the code (or temporary password) the message carries.
                     Cognito hands a sender its code encrypted with the pool's KMS key (an AWS Encryption
                     SDK message) that only that key can produce: without --code the event holds a
                     placeholder, which the sender records as an undecryptable code. With --code the
                     code is encrypted as Cognito encrypts it, under the local KMS stand-in's key, which
                     replay decrypts (a fresh data key each time, so the output differs from run to run);
                     set CUSTOM_SENDER_KMS_KEY_ARN to that key:
                     ${STAND_IN_KEY_ARN}
  -h, --help         this help

triggerSources (by trigger):
${Object.entries(TRIGGERS)
  .map(([name, t]) => wrap(`  ${name}: `, t.sources))
  .join("\n")}

Exit codes: 0 printed, 2 unusable input.`;

/** The options generate-event accepts, each listed in GENERATE_EVENT_USAGE. */
export const GENERATE_EVENT_OPTIONS = {
  version: { type: "string" },
  seed: { type: "string" },
  code: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** `prefix` then the items, comma-separated, wrapped under the first item within 106 columns. */
function wrap(prefix: string, items: readonly string[]): string {
  const lines = [prefix];
  for (const [i, item] of items.entries()) {
    const text = i < items.length - 1 ? `${item}, ` : item;
    if ((lines.at(-1) as string).length + text.trimEnd().length > 106) lines.push(" ".repeat(prefix.length));
    lines[lines.length - 1] += text;
  }
  return lines.map((line) => line.trimEnd()).join("\n");
}

export async function generateEventCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions("generate-event", argv, GENERATE_EVENT_OPTIONS, {
    allowPositionals: true,
  });
  if (values.help) {
    console.log(GENERATE_EVENT_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError("generate-event needs exactly one triggerSource (try generate-event --help)");
  }
  const source = positionals[0] as string;
  if (!TRIGGER_SOURCES.includes(source)) {
    throw new UsageError(
      `unknown triggerSource ${JSON.stringify(source.slice(0, 80))}: did you mean ${closestSource(source)}?`,
    );
  }
  const version = eventVersion(source, values.version);
  const identity = values.seed === undefined ? DEFAULT_IDENTITY : seededIdentity(values.seed);
  const event = generateEvent(source, version, identity) as { request: { code?: unknown } };
  if (values.code !== undefined) event.request.code = await encryptedCode(source, event, values.code);
  console.log(JSON.stringify(event, null, 2));
  return 0;
}

/** Longer than any code or temporary password Cognito sends; the senders refuse longer ones. */
const MAX_CODE_LENGTH = 256;

/** `code` encrypted as Cognito encrypts it, under the KMS stand-in's key, for a source that has a code. */
async function encryptedCode(source: string, event: { request: { code?: unknown } }, code: string) {
  const trigger = triggerForSource(source);
  if (
    (trigger !== "custom-email-sender" && trigger !== "custom-sms-sender") ||
    event.request.code !== CODE_PLACEHOLDER
  ) {
    throw new UsageError(`--code: ${source} events carry no code`);
  }
  if (code === "" || code.length > MAX_CODE_LENGTH) {
    throw new UsageError(`--code must be 1 to ${MAX_CODE_LENGTH} characters`);
  }
  return encryptAsCognito(code, {});
}

function eventVersion(source: string, requested: string | undefined): EventVersion {
  const versions = versionsOf(source);
  if (requested === undefined) return versions[0] as EventVersion;
  if ((versions as readonly string[]).includes(requested)) return requested as EventVersion;
  if (versions.length === 1) {
    throw new UsageError(`--version: ${source} events exist only as version ${versions[0]}`);
  }
  const list = [...versions]
    .sort()
    .join(", ")
    .replace(/, (?=[^,]*$)/, " or ");
  throw new UsageError(`--version: ${source} events are version ${list}`);
}

/** The valid triggerSource nearest to `input`: a trigger's first source for its name, else by edit distance. */
export function closestSource(input: string): string {
  const trigger = TRIGGERS[input.toLowerCase() as keyof typeof TRIGGERS];
  if (trigger) return trigger.sources[0];
  const wanted = input.toLowerCase();
  let best = TRIGGER_SOURCES[0] as string;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const source of TRIGGER_SOURCES) {
    const distance = editDistance(wanted, source.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [source, distance];
  }
  return best;
}
