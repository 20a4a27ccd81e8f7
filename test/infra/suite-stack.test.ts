/**
 * The stack `npm run synth` produces, synthesized once for real (all seven handlers bundled by esbuild,
 * cdk-nag AwsSolutions checks and the CloudFormation validator on, findings as errors, no AWS
 * credentials), then read by every assertion below.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Match } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CoreTriggerName,
  isOptionalTrigger,
  TRIGGERS,
  type TriggerName,
} from "../../triggers/lib/events.ts";
import { config, type Synthesized, synthSuite } from "./synth.ts";
import {
  actionsOf,
  dependencies,
  dependsOn,
  findCycle,
  iamStatements,
  ofType,
  type Resources,
  referencesIn,
  resourcesOf,
} from "./template-graph.ts";

const FULL_CONFIG = config(
  {
    email: { from: "no-reply@mail.example.com", fromName: "Acme Notes", verifiedDomain: "mail.example.com" },
    alarmEmail: "ops@example.com",
  },
  {
    allowedEmailDomains: ["example.com", "*.example.com"],
    ipAllowlist: ["203.0.113.0/24", "198.51.100.7/32", "2001:db8::/32"],
    welcomeEmailFrom: "Acme Notes <welcome@mail.example.com>",
    autoConfirm: true,
    claimsConfig: { accessToken: { add: { tenant: { value: "acme" } } } },
  },
);

/** The default stack attaches the core triggers only (optional-triggers.test.ts: the other three). */
const TRIGGER_NAMES = (Object.keys(TRIGGERS) as TriggerName[]).filter(
  (name): name is CoreTriggerName => !isOptionalTrigger(name),
);

/** The LambdaConfig key each trigger is attached under. */
const LAMBDA_CONFIG_KEY: Record<CoreTriggerName, string> = {
  "pre-sign-up": "PreSignUp",
  "custom-message": "CustomMessage",
  "pre-authentication": "PreAuthentication",
  "post-authentication": "PostAuthentication",
  "post-confirmation": "PostConfirmation",
  "pre-token-generation": "PreTokenGenerationConfig",
  "user-migration": "UserMigration",
};

let synthesized: Synthesized;
let resources: Resources;

beforeAll(() => {
  synthesized = synthSuite(FULL_CONFIG, { bundle: true });
  resources = synthesized.template.toJSON().Resources as Resources;
}, 120_000);

afterAll(() => synthesized?.cleanup());

function one(
  type: string,
  where: (props: Record<string, unknown>) => boolean = () => true,
): [string, Record<string, unknown>] {
  const found = ofType(resources, type).filter(([, r]) => where(r.Properties ?? {}));
  expect(found, `exactly one ${type}`).toHaveLength(1);
  const [id, resource] = found[0] as [string, { Properties?: Record<string, unknown> }];
  return [id, resource.Properties ?? {}];
}

/** The trigger functions by trigger name, from their descriptions. */
function triggerFunctions(): Map<CoreTriggerName, [string, Record<string, unknown>]> {
  const out = new Map<CoreTriggerName, [string, Record<string, unknown>]>();
  for (const [id, resource] of ofType(resources, "AWS::Lambda::Function")) {
    const description = String(resource.Properties?.Description ?? "");
    const trigger = TRIGGER_NAMES.find((name) => description === `Cognito user pool trigger: ${name}`);
    if (trigger) out.set(trigger, [id, resource.Properties ?? {}]);
  }
  return out;
}

function roleOf(functionProps: Record<string, unknown>): string {
  return [...referencesIn(functionProps.Role)][0] as string;
}

function statementsOfRole(roleId: string) {
  const policyIds = ofType(resources, "AWS::IAM::Policy")
    .filter(([, r]) => referencesIn(r.Properties?.Roles).has(roleId))
    .map(([id]) => id);
  return iamStatements(resources).filter((s) => policyIds.includes(s.policy));
}

const poolId = () => one("AWS::Cognito::UserPool")[0];
const auditTableId = () =>
  one("AWS::DynamoDB::Table", (p) => JSON.stringify(p.KeySchema).includes('"pk"'))[0];
const legacyTableId = () =>
  one("AWS::DynamoDB::Table", (p) => JSON.stringify(p.KeySchema).includes('"login"'))[0];

describe("npm run synth", () => {
  it("synthesizes offline, without credentials, into an environment-agnostic template", () => {
    const json = JSON.stringify(synthesized.template.toJSON());
    expect(json).toContain('"Ref":"AWS::AccountId"');
    expect(json).not.toMatch(/\b\d{12}\b/);
  });

  it("bundles each of the seven handlers on its own with esbuild: minified, with a source map", () => {
    const functions = triggerFunctions();
    expect([...functions.keys()].sort()).toEqual([...TRIGGER_NAMES].sort());
    const bundles = new Set<string>();
    for (const [trigger, [id, props]] of functions) {
      const assetPath = resources[id]?.Metadata?.["aws:asset:path"] as string;
      const dir = join(synthesized.outdir, assetPath);
      // An ES module entry (code splitting: what a handler imports lazily is in chunks beside it).
      expect(props.Handler, trigger).toBe("index.handler");
      const code = readFileSync(join(dir, "index.mjs"), "utf8");
      expect(existsSync(join(dir, "index.mjs.map")), `${trigger} source map`).toBe(true);
      // Minified: the comments of triggers/lib/define-trigger.ts, which every handler bundles, are gone.
      expect(code, `${trigger} bundles the shared runtime`).toContain(
        "configuration invalid: refusing every request",
      );
      expect(code, `${trigger} is minified`).not.toContain("The runtime every handler is built with");
      expect(code, `${trigger} is minified`).not.toMatch(/^ {2}(const|let|return) /m);
      expect(code, `${trigger} points at its source map`).toContain("sourceMappingURL=index.mjs.map");
      bundles.add(assetPath);
    }
    expect(bundles.size).toBe(7);
  });
});

/** A template value with references replaced by the referenced logical id (a stand-in for the real name). */
function resolveForTest(value: unknown): string {
  if (typeof value === "string") return value;
  const intrinsic = value as Record<string, unknown>;
  if (typeof intrinsic.Ref === "string") return intrinsic.Ref;
  if (Array.isArray(intrinsic["Fn::GetAtt"])) return String(intrinsic["Fn::GetAtt"][0]);
  const join = intrinsic["Fn::Join"] as [string, unknown[]] | undefined;
  if (join) return join[1].map(resolveForTest).join(join[0]);
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

describe("the bundled handlers", () => {
  it("each start with the environment the construct gives them: no key refused at cold start", () => {
    for (const [trigger, [id, props]] of triggerFunctions()) {
      const variables = (props.Environment as { Variables: Record<string, unknown> }).Variables;
      const env = Object.fromEntries(
        Object.entries(variables).map(([key, value]) => [key, resolveForTest(value)]),
      );
      const dir = join(synthesized.outdir, resources[id]?.Metadata?.["aws:asset:path"] as string);
      const run = spawnSync(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          `const m = await import(${JSON.stringify(pathToFileURL(join(dir, "index.mjs")).href)}); if (typeof m.handler !== "function") process.exit(3);`,
        ],
        {
          env: { PATH: process.env.PATH, AWS_REGION: "eu-west-1", LOG_LEVEL: "DEBUG", ...env },
          encoding: "utf8",
          timeout: 20_000,
        },
      );
      expect(run.status, `${trigger}: ${run.stderr}`).toBe(0);
      expect(`${run.stdout}${run.stderr}`, trigger).not.toMatch(/configuration invalid/);
    }
  }, 60_000);
});

describe("the user pool", () => {
  it("attaches every trigger, pre token generation through PreTokenGenerationConfig with V2_0", () => {
    const lambdaConfig = one("AWS::Cognito::UserPool")[1].LambdaConfig as Record<string, unknown>;
    expect(Object.keys(lambdaConfig).sort()).toEqual(Object.values(LAMBDA_CONFIG_KEY).sort());
    expect(lambdaConfig).not.toHaveProperty("PreTokenGeneration");
    expect(lambdaConfig.PreTokenGenerationConfig).toMatchObject({ LambdaVersion: "V2_0" });

    for (const [trigger, [, props]] of triggerFunctions()) {
      const attached = lambdaConfig[LAMBDA_CONFIG_KEY[trigger]] as Record<string, unknown>;
      const arn = JSON.stringify(trigger === "pre-token-generation" ? attached.LambdaArn : attached);
      expect(arn, trigger).toContain(`:function:${props.FunctionName}"`);
    }
  });

  it("lets Cognito invoke each function only for this pool and account", () => {
    const functions = triggerFunctions();
    const permissions = ofType(resources, "AWS::Lambda::Permission");
    for (const [trigger, [functionId]] of functions) {
      const mine = permissions.filter(([, p]) => referencesIn(p.Properties?.FunctionName).has(functionId));
      expect(mine, trigger).toHaveLength(1);
      expect(mine[0]?.[1].Properties).toEqual({
        Action: "lambda:InvokeFunction",
        FunctionName: { "Fn::GetAtt": [functionId, "Arn"] },
        Principal: "cognito-idp.amazonaws.com",
        SourceArn: { "Fn::GetAtt": [poolId(), "Arn"] },
        SourceAccount: { Ref: "AWS::AccountId" },
      });
    }
  });

  it("has no pool -> function -> pool cycle: the pool depends on no function, and nothing loops", () => {
    const graph = dependencies(resources);
    expect(findCycle(graph)).toBeUndefined();
    for (const [trigger, [functionId]] of triggerFunctions()) {
      expect(dependsOn(graph, poolId(), functionId), trigger).toBe(false);
    }
    // The cycle this avoids: pre authentication trusts the server client, which depends on the pool.
    const [, preAuth] = triggerFunctions().get("pre-authentication") ?? [];
    const serverClient = one("AWS::Cognito::UserPoolClient", (p) => p.GenerateSecret === true)[0];
    expect(referencesIn(preAuth?.Environment)).toContain(serverClient);
  });

  it("is on the ESSENTIALS plan, with email sign-in, nickname required, TOTP MFA and a strong password policy", () => {
    synthesized.template.hasResourceProperties("AWS::Cognito::UserPool", {
      UserPoolTier: "ESSENTIALS",
      UsernameAttributes: ["email"],
      AutoVerifiedAttributes: ["email"],
      MfaConfiguration: "ON",
      EnabledMfas: ["SOFTWARE_TOKEN_MFA"],
      Schema: Match.arrayWith([
        Match.objectLike({ Name: "email", Required: true }),
        Match.objectLike({ Name: "nickname", Required: true }),
      ]),
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      DeletionProtection: "ACTIVE",
    });
  });

  it("sends email through SES (DEVELOPER) from the configured address", () => {
    synthesized.template.hasResourceProperties("AWS::Cognito::UserPool", {
      EmailConfiguration: Match.objectLike({
        EmailSendingAccount: "DEVELOPER",
        From: "Acme Notes <no-reply@mail.example.com>",
      }),
    });
    const [, customMessage] = triggerFunctions().get("custom-message") ?? [];
    expect(customMessage?.Environment).toMatchObject({ Variables: { CUSTOM_EMAIL: "true" } });
  });
});

describe("the app clients", () => {
  const clients = () => ofType(resources, "AWS::Cognito::UserPoolClient").map(([, r]) => r.Properties ?? {});

  it("server client: confidential, USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH (user migration)", () => {
    const server = clients().find((c) => c.GenerateSecret === true);
    expect([...((server?.ExplicitAuthFlows ?? []) as string[])].sort()).toEqual([
      "ALLOW_ADMIN_USER_PASSWORD_AUTH",
      "ALLOW_REFRESH_TOKEN_AUTH",
      "ALLOW_USER_PASSWORD_AUTH",
    ]);
  });

  it("SPA client: public, SRP only", () => {
    const spa = clients().find((c) => c.GenerateSecret !== true);
    expect(spa?.GenerateSecret).toBe(false);
    expect([...((spa?.ExplicitAuthFlows ?? []) as string[])].sort()).toEqual([
      "ALLOW_REFRESH_TOKEN_AUTH",
      "ALLOW_USER_SRP_AUTH",
    ]);
  });

  it("both: user existence errors hidden, tokens of 1 h / 1 h / 30 days, revocation on", () => {
    expect(clients()).toHaveLength(2);
    for (const client of clients()) {
      expect(client).toMatchObject({
        PreventUserExistenceErrors: "ENABLED",
        AccessTokenValidity: 60,
        IdTokenValidity: 60,
        RefreshTokenValidity: 43_200,
        TokenValidityUnits: { AccessToken: "minutes", IdToken: "minutes", RefreshToken: "minutes" },
        EnableTokenRevocation: true,
      });
      expect(JSON.stringify(client.WriteAttributes)).not.toContain("legacy_id");
    }
  });
});

describe("the functions", () => {
  it("run Node.js 24 on arm64, time out within Cognito's 5 s, log JSON with a level to a log group with retention", () => {
    const logGroups = new Map(ofType(resources, "AWS::Logs::LogGroup"));
    for (const [trigger, [, props]] of triggerFunctions()) {
      expect(props, trigger).toMatchObject({
        Runtime: "nodejs24.x",
        Architectures: ["arm64"],
        LoggingConfig: { LogFormat: "JSON", ApplicationLogLevel: "INFO", SystemLogLevel: "WARN" },
      });
      expect(props.Timeout as number, trigger).toBeLessThanOrEqual(5);
      expect(props, `${trigger}: reserved concurrency is not set by default`).not.toHaveProperty(
        "ReservedConcurrentExecutions",
      );
      const logGroup = logGroups.get(
        [...referencesIn((props.LoggingConfig as { LogGroup: unknown }).LogGroup)][0] ?? "",
      );
      expect(logGroup?.Properties?.RetentionInDays, trigger).toBe(400);
    }
  });

  it("each receive only the configuration keys their handler reads", () => {
    const expected: Record<CoreTriggerName, string[]> = {
      "pre-sign-up": ["ALLOWED_EMAIL_DOMAINS", "AUDIT_TABLE_NAME", "AUTO_CONFIRM"],
      "custom-message": ["APP_NAME", "CUSTOM_EMAIL"],
      "pre-authentication": ["AUDIT_TABLE_NAME", "IP_ALLOWLIST", "IP_TRUSTED_CLIENT_IDS"],
      "post-authentication": ["AUDIT_TABLE_NAME"],
      // AUTO_CONFIRM too: an auto-verified address gets no welcome email.
      "post-confirmation": ["APP_NAME", "AUDIT_TABLE_NAME", "AUTO_CONFIRM", "WELCOME_EMAIL_FROM"],
      "pre-token-generation": ["CLAIMS_CONFIG"],
      // The IP keys too: migration applies pre authentication's trusted-client IP policy.
      "user-migration": [
        "AUDIT_TABLE_NAME",
        "IP_ALLOWLIST",
        "IP_TRUSTED_CLIENT_IDS",
        "LEGACY_USERS_TABLE_NAME",
      ],
    };
    for (const [trigger, [, props]] of triggerFunctions()) {
      const variables = (props.Environment as { Variables: Record<string, unknown> }).Variables;
      // Nothing else either: NODE_OPTIONS=--enable-source-maps would cost every cold start (docs/performance.md).
      expect(Object.keys(variables).sort(), trigger).toEqual(expected[trigger].sort());
    }
  });

  it("have fault alarms (never on Lambda's Errors alone) notifying the alarm topic on ALARM and on OK", () => {
    const alarms = ofType(resources, "AWS::CloudWatch::Alarm").map(([, r]) => r.Properties ?? {});
    const [topicId] = one("AWS::SNS::Topic");
    // AlarmName is "<function name>-<kind>".
    const kindOf = (alarm: Record<string, unknown>) =>
      String((alarm.AlarmName as { "Fn::Join": [string, unknown[]] })["Fn::Join"][1].at(-1)).slice(1);
    for (const [trigger, [functionId, props]] of triggerFunctions()) {
      const mine = alarms.filter((a) => referencesIn(a.AlarmName).has(functionId));
      const byKind = Object.fromEntries(mine.map((a) => [kindOf(a), a]));
      const writesAudit = "AUDIT_TABLE_NAME" in (props.Environment as { Variables: object }).Variables;
      expect(Object.keys(byKind).sort(), trigger).toEqual(
        [
          "ConfigRefusals",
          "SlowAnswers",
          "Throttles",
          "Timeouts",
          "UnexpectedErrors",
          "UnexplainedErrors",
          ...(writesAudit ? ["AuditFallbacks"] : []),
        ].sort(),
      );
      expect(
        mine.filter((a) => a.MetricName === "Errors"),
        trigger,
      ).toEqual([]);
      expect(byKind.UnexpectedErrors).toMatchObject({ Namespace: "CognitoTriggerSuite", Threshold: 1 });
      expect(byKind.Timeouts).toMatchObject({
        MetricName: "Duration",
        Statistic: "Maximum",
        Threshold: 4900,
      });
      for (const alarm of mine) {
        expect(alarm.AlarmActions, trigger).toEqual([{ Ref: topicId }]);
        expect(alarm.OKActions, trigger).toEqual([{ Ref: topicId }]);
      }
    }
    synthesized.template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "ops@example.com",
    });
    // CloudWatch may publish to the topic (the TLS-only policy alone would keep it out).
    const [, policy] = one("AWS::SNS::TopicPolicy");
    const statements = (policy.PolicyDocument as { Statement: { Effect: string; Principal?: unknown }[] })
      .Statement;
    expect(statements.map((s) => s.Effect).sort()).toEqual(["Allow", "Deny"]);
    expect(statements.find((s) => s.Effect === "Allow")?.Principal).toEqual({
      Service: "cloudwatch.amazonaws.com",
    });
  });

  it("are shown on the stack's dashboard", () => {
    synthesized.template.hasResourceProperties("AWS::CloudWatch::Dashboard", {
      DashboardName: "SuiteUnderTest-cognito-triggers",
    });
  });
});

describe("the audit table", () => {
  it("is on-demand, with point-in-time recovery, deletion protection, a TTL and the sharded time index", () => {
    synthesized.template.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        BillingMode: "PAY_PER_REQUEST",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
        GlobalSecondaryIndexes: [
          {
            IndexName: "byTime",
            KeySchema: [
              { AttributeName: "dayShard", KeyType: "HASH" },
              { AttributeName: "at", KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: Match.anyValue() },
          },
        ],
      }),
    });
  });

  it("is written by the triggers with dynamodb:PutItem only: no Delete, no Update, not even a read", () => {
    const table = auditTableId();
    const onTable = iamStatements(resources).filter((s) => referencesIn(s.Resource).has(table));
    const writers = onTable.filter((s) => s.policy !== one("AWS::IAM::ManagedPolicy")[0]);
    expect(writers.length).toBe(5);
    for (const statement of onTable) {
      expect(actionsOf(statement).join(" ")).not.toMatch(/Delete|Update|BatchWrite|PartiQL|\*/);
    }
    for (const statement of writers) {
      expect(actionsOf(statement)).toEqual(["dynamodb:PutItem"]);
      expect(statement.Resource).toEqual({ "Fn::GetAtt": [table, "Arn"] });
    }
  });

  it("has a read-only managed policy for security reviewers", () => {
    const [policyId, policy] = one("AWS::IAM::ManagedPolicy");
    const statements = iamStatements(resources).filter((s) => s.policy === policyId);
    const actions = statements.flatMap(actionsOf);
    expect(actions).toEqual(
      expect.arrayContaining([
        "dynamodb:Query",
        "dynamodb:GetItem",
        "dynamodb:Scan",
        "dynamodb:DescribeTable",
      ]),
    );
    for (const action of actions)
      expect(action).toMatch(/^(dynamodb:(Describe|Get|Query|Scan)|cloudformation:Describe)/);
    expect(JSON.stringify(policy)).toContain("/index/byTime");
    expect(synthesized.template.findOutputs("AuditReaderPolicyArn")).toBeDefined();
  });
});

describe("least privilege", () => {
  it("grants no IAM action on a wildcard resource", () => {
    for (const statement of iamStatements(resources)) {
      for (const resource of resourcesOf(statement)) {
        expect(JSON.stringify(resource), statement.policy).not.toContain("*");
      }
      for (const action of actionsOf(statement)) expect(action, statement.policy).not.toContain("*");
    }
  });

  it("lets only user migration read and mark the legacy table, with GetItem and UpdateItem", () => {
    const legacy = legacyTableId();
    const onLegacy = iamStatements(resources).filter((s) => referencesIn(s.Resource).has(legacy));
    const [, migration] = triggerFunctions().get("user-migration") ?? [];
    const migrationPolicies = new Set(statementsOfRole(roleOf(migration ?? {})).map((s) => s.policy));
    // GetItem, and UpdateItem under conditions (real-account.test.ts checks them), both migration's.
    expect(onLegacy).toHaveLength(2);
    for (const statement of onLegacy) expect(migrationPolicies.has(statement.policy)).toBe(true);
    expect(onLegacy.flatMap(actionsOf).sort()).toEqual(["dynamodb:GetItem", "dynamodb:UpdateItem"]);
  });

  it("lets only post confirmation send email, from its one identity", () => {
    const senders = iamStatements(resources).filter((s) => actionsOf(s).some((a) => a.startsWith("ses:")));
    expect(senders).toHaveLength(1);
    const [, postConfirmation] = triggerFunctions().get("post-confirmation") ?? [];
    const own = statementsOfRole(roleOf(postConfirmation ?? {}));
    expect(own).toContainEqual(senders[0]);
    expect(actionsOf(senders[0] as never)).toEqual(["ses:SendEmail"]);
    expect(senders[0]?.Condition).toEqual({
      StringEquals: { "ses:FromAddress": "welcome@mail.example.com" },
    });
    const resourcesText = JSON.stringify(senders[0]?.Resource);
    expect(resourcesText).toContain(":identity/welcome@mail.example.com");
    expect(resourcesText).toContain(":identity/mail.example.com");
  });

  it("gives each function its own role, writing only to its own log group besides what it needs", () => {
    const roles = new Set<string>();
    for (const [trigger, [, props]] of triggerFunctions()) {
      const role = roleOf(props);
      roles.add(role);
      const logGroup = [...referencesIn((props.LoggingConfig as { LogGroup: unknown }).LogGroup)][0];
      const logWrites = statementsOfRole(role).filter((s) => actionsOf(s).some((a) => a.startsWith("logs:")));
      expect(logWrites, trigger).toHaveLength(1);
      expect(logWrites[0]?.Resource).toEqual({ "Fn::GetAtt": [logGroup, "Arn"] });
      expect(
        resources[role]?.Properties?.ManagedPolicyArns,
        `${trigger}: no AWS managed policy`,
      ).toBeUndefined();
    }
    expect(roles.size).toBe(7);
  });
});

describe("AWS WAF", () => {
  it("puts a web ACL holding IP_ALLOWLIST on the user pool, blocking every other address", () => {
    const [webAclId, webAcl] = one("AWS::WAFv2::WebACL");
    expect(webAcl).toMatchObject({ Scope: "REGIONAL", DefaultAction: { Block: {} } });
    synthesized.template.hasResourceProperties("AWS::WAFv2::WebACLAssociation", {
      ResourceArn: { "Fn::GetAtt": [poolId(), "Arn"] },
      WebACLArn: { "Fn::GetAtt": [webAclId, "Arn"] },
    });
    const ipSets = Object.fromEntries(
      ofType(resources, "AWS::WAFv2::IPSet").map(([id, r]) => [id, r.Properties as Record<string, unknown>]),
    );
    expect(Object.values(ipSets).map((s) => [s.IPAddressVersion, s.Addresses])).toEqual(
      expect.arrayContaining([
        ["IPV4", ["203.0.113.0/24", "198.51.100.7/32"]],
        ["IPV6", ["2001:0db8:0000:0000:0000:0000:0000:0000/32"]],
      ]),
    );
    const rules = webAcl.Rules as { Action: unknown; Statement: unknown }[];
    expect(rules).toHaveLength(1);
    expect(rules[0]?.Action).toEqual({ Allow: {} });
    expect([...referencesIn(rules[0]?.Statement)].sort()).toEqual(Object.keys(ipSets).sort());
  });
});

describe("stack outputs", () => {
  it("name the pool, both clients and the audit table", () => {
    const outputs = synthesized.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.UserPoolId?.Value).toEqual({ Ref: poolId() });
    expect(outputs.AuditTableName?.Value).toEqual({ Ref: auditTableId() });
    const clientIds = ofType(resources, "AWS::Cognito::UserPoolClient").map(([id]) => ({ Ref: id }));
    expect([outputs.SpaClientId?.Value, outputs.ServerClientId?.Value]).toEqual(
      expect.arrayContaining(clientIds),
    );
  });
});

describe("policy checks", () => {
  it("acknowledges each cdk-nag and Control Tower finding it accepts with a reason", () => {
    const acknowledgments: [string, string, string][] = [];
    for (const construct of synthesized.stack.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== "aws:cdk:acknowledged-rules") continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          acknowledgments.push([construct.node.path, id.replace(/^Annotation::/, ""), reason]);
        }
      }
    }
    // Seven triggers and the pool attachment need no VPC; the pool needs ESSENTIALS, not PLUS.
    expect(acknowledgments.map(([, id]) => id).sort()).toEqual(
      [...Array(8).fill("cdk-validator-cfnguard::lambda_inside_vpc_check"), "AwsSolutions-COG8"].sort(),
    );
    for (const [path, id, reason] of acknowledgments) {
      expect(reason.length, `${path} ${id}`).toBeGreaterThan(40);
    }
  });
});
