/**
 * Turns what the AWS SDK throws into one line a reviewer can act on, with the exit code of replay:
 * 2 when the command cannot run as asked (no table, no index, no credentials or region, access
 * denied, endpoint unreachable: fix the setup and run again), 1 when a read failed on the way.
 */
export class AuditFailure extends Error {
  override readonly name = "AuditFailure";
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

export interface FailureContext {
  tableName: string;
  region?: string | undefined;
  endpoint?: string | undefined;
}

const SETUP_NETWORK_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ECONNRESET"]);

export function explainAwsError(error: unknown, context: FailureContext): AuditFailure {
  if (error instanceof AuditFailure) return error;
  const { name, message, code } = describe(error);
  const table = JSON.stringify(context.tableName);
  const where = context.endpoint ?? (context.region ? `region ${context.region}` : "the configured region");
  if (name === "ResourceNotFoundException") {
    return new AuditFailure(
      `table ${table} not found in ${where} (check --table or AUDIT_TABLE_NAME, and AWS_REGION)`,
      2,
    );
  }
  if (name === "ValidationException" && /index/i.test(message)) {
    return new AuditFailure(`table ${table} has no "byTime" index: is it the audit table?`, 2);
  }
  if (name === "CredentialsProviderError" || /could not load credentials/i.test(message)) {
    return new AuditFailure(
      "no AWS credentials found: set AWS_PROFILE (or pass --profile), run `aws sso login`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
      2,
    );
  }
  if (/region is missing/i.test(message)) {
    return new AuditFailure("no AWS region: set AWS_REGION or pass --region", 2);
  }
  if (
    [
      "AccessDeniedException",
      "UnrecognizedClientException",
      "InvalidSignatureException",
      "ExpiredTokenException",
    ].includes(name)
  ) {
    return new AuditFailure(`AWS refused to read table ${table}: ${name}: ${oneLine(message)}`, 2);
  }
  if (code && SETUP_NETWORK_CODES.has(code)) {
    return new AuditFailure(`cannot reach DynamoDB at ${where}: ${code}`, 2);
  }
  return new AuditFailure(`reading table ${table} failed: ${name}: ${oneLine(message)}`, 1);
}

function describe(error: unknown): { name: string; message: string; code: string | undefined } {
  if (!(error instanceof Error)) return { name: "Error", message: String(error), code: undefined };
  const code = (error as NodeJS.ErrnoException).code;
  // The SDK wraps socket errors; the errno code may sit on the cause or on an AggregateError member.
  const nested = error.cause as NodeJS.ErrnoException | undefined;
  const aggregate = error instanceof AggregateError ? (error.errors[0] as NodeJS.ErrnoException) : undefined;
  return {
    name: error.name,
    message: error.message,
    code: code ?? nested?.code ?? aggregate?.code,
  };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, 300);
}
