/**
 * Structured logging through Lambda's own console, so Lambda's JSON log format and AWS_LAMBDA_LOG_LEVEL
 * apply. Every line passes through `redact`: passwords, tokens and secrets by key name, the values of
 * validationData/clientMetadata (client-controlled, may carry anything), and any whole trigger event.
 */
export type LogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const LEVEL_RANK: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };
const CONSOLE_METHOD = { DEBUG: "debug", INFO: "info", WARN: "warn", ERROR: "error" } as const;

export const REDACTED = "[redacted]";
const SECRET_KEY = /pass(word|wd|phrase)?$|secret|token|authorization|cookie|credential|otp/i;
const CLIENT_SUPPLIED_KEY = /^(validationData|clientMetadata)$/;
const MAX_DEPTH = 6;
const MAX_STRING = 2_000;

function looksLikeTriggerEvent(value: Record<string, unknown>): boolean {
  return typeof value.triggerSource === "string" && "request" in value;
}

/** Returns a copy of `value` that is safe to log. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") {
    return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…[${value.length} chars]` : value;
  }
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Error) {
    return { name: value.name, message: redact(value.message, depth + 1), stack: value.stack };
  }
  if (depth >= MAX_DEPTH) return "[too deep]";
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const record = value as Record<string, unknown>;
  if (looksLikeTriggerEvent(record)) return "[trigger event redacted]";
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(record)) {
    if (SECRET_KEY.test(key)) out[key] = REDACTED;
    else if (CLIENT_SUPPLIED_KEY.test(key)) out[key] = keysOnly(v);
    else out[key] = redact(v, depth + 1);
  }
  return out;
}

function keysOnly(value: unknown): unknown {
  if (value === null || typeof value !== "object")
    return value === undefined || value === null ? value : REDACTED;
  return Object.fromEntries(Object.keys(value).map((key) => [key, REDACTED]));
}

function thresholdFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = (env.AWS_LAMBDA_LOG_LEVEL ?? env.LOG_LEVEL ?? "INFO").toUpperCase();
  if (raw === "TRACE") return LEVEL_RANK.DEBUG;
  if (raw === "FATAL") return LEVEL_RANK.ERROR;
  return LEVEL_RANK[raw as LogLevel] ?? LEVEL_RANK.INFO;
}

export function createLogger(base: LogFields = {}, env: NodeJS.ProcessEnv = process.env): Logger {
  // With Lambda's JSON format the runtime adds timestamp, level and requestId and nests our object
  // under "message"; elsewhere (tests, replay, local) we print one JSON line ourselves.
  return loggerWith(base, thresholdFromEnv(env), env.AWS_LAMBDA_LOG_FORMAT === "JSON");
}

/** Children (one per invocation) share their parent's level and format instead of re-reading the env. */
function loggerWith(base: LogFields, threshold: number, lambdaJson: boolean): Logger {
  const write = (level: LogLevel, message: string, fields?: LogFields) => {
    if (LEVEL_RANK[level] < threshold) return;
    const payload = redact({ ...base, ...fields }) as LogFields;
    const method = CONSOLE_METHOD[level];
    if (lambdaJson) console[method]({ msg: message, ...payload });
    else
      console[method](
        JSON.stringify({ timestamp: new Date().toISOString(), level, msg: message, ...payload }),
      );
  };

  return {
    debug: (message, fields) => write("DEBUG", message, fields),
    info: (message, fields) => write("INFO", message, fields),
    warn: (message, fields) => write("WARN", message, fields),
    error: (message, fields) => write("ERROR", message, fields),
    child: (fields) => loggerWith({ ...base, ...fields }, threshold, lambdaJson),
  };
}

export const log = createLogger();
