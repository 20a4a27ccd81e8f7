/** `cognito-triggers audit` as a reviewer runs it: exit codes and one-line reasons for a broken setup. */
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditTable, type LocalDynamo, startDynalite } from "../support/dynalite.ts";
import { functionalRecords, seed } from "./seed.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin/cognito-triggers.js");
let dynamo: LocalDynamo;
let home: string;

beforeAll(async () => {
  dynamo = await startDynalite();
  await createAuditTable(dynamo.client, "audit");
  await seed(dynamo.client, "audit", functionalRecords());
  home = await mkdtemp(join(tmpdir(), "audit-home-"));
});
afterAll(async () => dynamo.stop());

/** A clean environment: no AWS settings but those given, no ~/.aws, no instance metadata. */
async function run(args: string[], env: Record<string, string>) {
  const clean = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    AWS_CONFIG_FILE: join(home, "none"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, "none"),
    AWS_EC2_METADATA_DISABLED: "true",
    ...env,
  };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, "audit", ...args], {
      cwd: ROOT,
      env: clean,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const creds = { AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" };

describe("cognito-triggers audit (binary)", () => {
  it("answers from the local table named by AUDIT_TABLE_NAME and the standard endpoint variable", async () => {
    const result = await run(
      ["summary", "--since", "2026-05-05", "--until", "2026-05-11", "--format", "json"],
      {
        ...creds,
        AWS_REGION: "eu-west-1",
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AUDIT_TABLE_NAME: "audit",
      },
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).records).toBe(205);
  });

  it("exits 2 with one line for a broken setup or bad input", async () => {
    const endpoint = { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AUDIT_TABLE_NAME: "audit" };
    const [noCredentials, noRegion, unreachable, badFilter, unknownOption] = await Promise.all([
      run(["query"], { ...endpoint, AWS_REGION: "eu-west-1" }),
      run(["query"], { ...endpoint, ...creds }),
      run(["query"], {
        ...creds,
        AWS_REGION: "eu-west-1",
        AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:1",
        AUDIT_TABLE_NAME: "audit",
      }),
      run(["query", "--ip", "10.0.0.300"], { ...endpoint, ...creds, AWS_REGION: "eu-west-1" }),
      run(["query", "--bogus"], {}),
    ]);
    expect(noCredentials.stderr).toBe(
      "cognito-triggers: no AWS credentials found: set AWS_PROFILE (or pass --profile), run `aws sso login`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n",
    );
    expect(noRegion.stderr).toBe("cognito-triggers: no AWS region: set AWS_REGION or pass --region\n");
    expect(unreachable.stderr).toBe(
      "cognito-triggers: cannot reach DynamoDB at http://127.0.0.1:1: ECONNREFUSED\n",
    );
    expect(badFilter.stderr).toBe('cognito-triggers: --ip "10.0.0.300" is not an IP address or CIDR range\n');
    expect(unknownOption.stderr).toBe("cognito-triggers: unknown option --bogus for audit query\n");
    for (const result of [noCredentials, noRegion, unreachable, badFilter, unknownOption]) {
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
    }
  });

  it("prints its usage with --help and exit 0: a command's own with <command> --help", async () => {
    const overview = await run(["--help"], {});
    expect(overview.code).toBe(0);
    expect(overview.stdout).toContain("Usage: cognito-triggers audit <query|summary|report> [options]");
    const query = await run(["query", "--help"], {});
    expect(query.code).toBe(0);
    expect(query.stderr).toBe("");
    expect(query.stdout).toContain("Usage: cognito-triggers audit query [options]");
    expect(query.stdout).toContain("--limit <n|all>");
    expect(query.stdout).not.toContain("--out <file>");
    const report = await run(["report", "-h"], {});
    expect(report.stdout).toContain("Usage: cognito-triggers audit report [options]");
    expect(report.stdout).toContain("--out <file>");
    expect(report.stdout).not.toContain("--limit");
  });

  it("puts the usage on stderr, not stdout, when the command is missing (exit 2)", async () => {
    const result = await run([], {});
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Usage: cognito-triggers audit <query|summary|report> [options]");
  });
});
