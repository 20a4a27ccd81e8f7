/**
 * The runtime every handler is built with. It owns the rules that must hold for all seven triggers:
 * - configuration is read once per cold start; if it is invalid, one log line names the key and every
 *   request is refused with the generic message (fail closed);
 * - a malformed event is refused with the generic message, never a crash with internals;
 * - only a UserFacingError's message reaches the user; anything else is logged and replaced;
 * - nothing logs the event itself;
 * - each of these refusals is counted (metrics.ts): ConfigRefusals, MalformedEvents, UnexpectedErrors.
 */

import type { TriggerHandlerOf } from "./cognito-event-types.ts";
import { type Env, type Parser, readConfig as parseSpec } from "./config.ts";
import type { ConfigError } from "./errors.ts";
import { GENERIC_USER_MESSAGE, MalformedEventError, UserFacingError } from "./errors.ts";
import type { InvocationContext, TriggerEvent, TriggerName } from "./events.ts";
import { isRecord, TRIGGERS } from "./events.ts";
import { createLogger, type Logger } from "./logger.ts";
import { createMetrics, METRIC, type Metrics } from "./metrics.ts";
import type { Services } from "./services.ts";

/** What every handler is at run time: anything in, checked (see asTriggerEvent). */
export type Handler = (event: unknown, context?: Partial<InvocationContext>) => Promise<unknown>;

export interface Invocation<Config> {
  config: Config;
  log: Logger;
  metrics: Metrics;
  requestId: string;
  services: Services;
}

export interface TriggerDefinition<
  Spec extends Record<string, Parser<unknown>>,
  Config,
  Name extends TriggerName = TriggerName,
> {
  trigger: Name;
  config: Spec;
  /** Turns the parsed keys into what the handler uses; may throw ConfigError for cross-key rules. */
  prepare?: (values: { [K in keyof Spec]: ReturnType<Spec[K]> }) => Config;
  handle: (event: TriggerEvent, invocation: Invocation<Config>) => Promise<TriggerEvent>;
  /** Called before the request is refused for invalid configuration (e.g. to audit the denial). */
  onConfigError?: (event: TriggerEvent, invocation: Omit<Invocation<unknown>, "config">) => Promise<void>;
}

/**
 * The handler is typed with its trigger's documented event (cognito-event-types.ts) for callers and
 * IDEs: the signature below, an overload, which is erased. It is the same function as the one built
 * here, which takes anything at run time (Handler) and answers with the event it was given; `handle`
 * sees the event only as far as asTriggerEvent checked it.
 */
export function defineTrigger<
  Spec extends Record<string, Parser<unknown>>,
  Config = { [K in keyof Spec]: ReturnType<Spec[K]> },
  Name extends TriggerName = TriggerName,
>(
  definition: TriggerDefinition<Spec, Config, Name>,
): (env: Env, services?: Services) => TriggerHandlerOf<Name>;
export function defineTrigger<Spec extends Record<string, Parser<unknown>>, Config>(
  definition: TriggerDefinition<Spec, Config>,
): (env: Env, services?: Services) => Handler {
  return (env, services = {}) => {
    const baseLog = createLogger({ trigger: definition.trigger }, env);
    const metrics = createMetrics(env);
    let config: Config | undefined;
    let configError: ConfigError | undefined;
    try {
      const values = parseSpec(env, definition.config);
      config = definition.prepare ? definition.prepare(values) : (values as unknown as Config);
    } catch (error) {
      if ((error as Error).name !== "ConfigError") throw error;
      configError = error as ConfigError;
      baseLog.error("configuration invalid: refusing every request", {
        key: configError.key,
        reason: configError.reason,
      });
    }

    return async (rawEvent, context = {}) => {
      const requestId = context.awsRequestId ?? "local";
      const log = baseLog.child({ requestId });
      const event = asTriggerEvent(rawEvent, definition.trigger, log, metrics);
      log.debug("invoked", { triggerSource: event.triggerSource, clientId: event.callerContext.clientId });

      if (config === undefined) {
        metrics.count(METRIC.ConfigRefusals);
        if (definition.onConfigError) {
          // Whatever happens while recording the refusal, the answer stays the generic message.
          await definition
            .onConfigError(event, { log, metrics, requestId, services })
            .catch((error: unknown) => {
              log.error("recording the configuration refusal failed", { error });
            });
        }
        throw new UserFacingError(GENERIC_USER_MESSAGE);
      }
      try {
        return await definition.handle(event, { config, log, metrics, requestId, services });
      } catch (error) {
        if (error instanceof UserFacingError) throw error;
        log.error("unexpected error", { error });
        metrics.count(METRIC.UnexpectedErrors);
        throw new UserFacingError(GENERIC_USER_MESSAGE);
      }
    };
  };
}

/**
 * Checks only what every handler relies on, leniently (Cognito adds fields): an object with a string
 * triggerSource of this trigger, a request object and a callerContext. A missing response becomes {}.
 */
function asTriggerEvent(raw: unknown, trigger: TriggerName, log: Logger, metrics: Metrics): TriggerEvent {
  const problem = malformation(raw, trigger);
  if (problem) {
    log.warn("malformed event refused", { problem });
    metrics.count(METRIC.MalformedEvents);
    throw new UserFacingError(GENERIC_USER_MESSAGE, { cause: new MalformedEventError(problem) });
  }
  const event = raw as TriggerEvent;
  if (!isRecord(event.response)) event.response = {};
  if (!isRecord(event.callerContext)) event.callerContext = {};
  return event;
}

function malformation(raw: unknown, trigger: TriggerName): string | undefined {
  if (!isRecord(raw)) return "event is not an object";
  if (typeof raw.triggerSource !== "string") return "triggerSource is missing";
  if (!(TRIGGERS[trigger].sources as readonly string[]).includes(raw.triggerSource)) {
    return `triggerSource ${JSON.stringify(raw.triggerSource.slice(0, 80))} is not handled by ${trigger}`;
  }
  if (!isRecord(raw.request)) return "request is missing or not an object";
  if (typeof raw.userPoolId !== "string") return "userPoolId is missing";
  return undefined;
}
