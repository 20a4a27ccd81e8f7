/**
 * `audit --stack <name>` reads the table name from the stack's AuditTableName output. No local
 * CloudFormation exists, so a loopback server answers DescribeStacks in CloudFormation's own Query
 * protocol (XML); the real SDK client sends the request and parses the answer.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditCommand } from "../../cli/audit/command.ts";
import { UsageError } from "../../cli/usage-error.ts";
import { buildAuditRecord } from "../../triggers/lib/audit/record.ts";
import { createAuditTable, type LocalDynamo, startDynalite, useLocalAwsEnv } from "../support/dynalite.ts";
import { seed } from "./seed.ts";

const TABLE = "stack-audit-table";
const NOW = new Date("2026-11-20T12:00:00.000Z");

let dynamo: LocalDynamo;
let cloudFormation: Server;
const requests: URLSearchParams[] = [];

function describeStacksXml(stackName: string, outputs: Record<string, string>): string {
  const members = Object.entries(outputs)
    .map(
      ([key, value]) => `<member><OutputKey>${key}</OutputKey><OutputValue>${value}</OutputValue></member>`,
    )
    .join("");
  return `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>${stackName}</StackName><StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/${stackName}/1</StackId><CreationTime>2026-11-20T00:00:00Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus><Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeStacksResponse>`;
}

const missingStackXml = (stackName: string) =>
  `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${stackName} does not exist</Message></Error><RequestId>r</RequestId></ErrorResponse>`;

beforeAll(async () => {
  dynamo = await startDynalite();
  useLocalAwsEnv(dynamo.endpoint);
  await createAuditTable(dynamo.client, TABLE);
  await seed(dynamo.client, TABLE, [
    buildAuditRecord(
      {
        event: "SIGN_IN",
        outcome: "success",
        triggerSource: "PostAuthentication_Authentication",
        userPoolId: "eu-west-1_Ab12Cd34E",
        sub: "stack-user",
        requestId: "r-1",
      },
      new Date(NOW.getTime() - 3_600_000),
      400,
    ),
  ]);
  cloudFormation = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const params = new URLSearchParams(body);
      requests.push(params);
      const name = params.get("StackName") ?? "";
      res.setHeader("content-type", "text/xml");
      if (name === "suite") res.end(describeStacksXml(name, { AuditTableName: TABLE, UserPoolId: "x" }));
      else if (name === "other-app") res.end(describeStacksXml(name, { SomethingElse: "y" }));
      else {
        res.statusCode = 400;
        res.end(missingStackXml(name));
      }
    });
  });
  await new Promise<void>((resolve) => cloudFormation.listen(0, "127.0.0.1", resolve));
  process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = `http://127.0.0.1:${(cloudFormation.address() as AddressInfo).port}`;
});

afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_CLOUDFORMATION;
  await new Promise<void>((resolve) => cloudFormation.close(() => resolve()));
  await dynamo.stop();
});

async function audit(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await auditCommand(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    stderrIsTTY: false,
    now: () => NOW,
    env: { ...process.env, AUDIT_TABLE_NAME: undefined },
  });
  return { code, stdout, stderr };
}

describe("audit --stack", () => {
  it("reads the table from the stack's AuditTableName output", async () => {
    const run = await audit(["query", "--stack", "suite", "--format", "json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).map((r: { sub: string }) => r.sub)).toEqual(["stack-user"]);
    expect(requests.at(-1)?.get("Action")).toBe("DescribeStacks");
  });

  it("exits 2 with one line when the stack does not exist or has no such output", async () => {
    const missing = await audit(["query", "--stack", "no-such-stack"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(
      'cognito-triggers: stack "no-such-stack" not found (check --stack, AWS_REGION and the account)',
    );
    const other = await audit(["summary", "--stack", "other-app"]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("has no AuditTableName output");
  });

  it("refuses --table together with --stack", async () => {
    await expect(audit(["query", "--stack", "suite", "--table", TABLE])).rejects.toThrow(UsageError);
  });
});
