/**
 * Runs every fault target of targets.ts against one kind of fault, through the real handlers and their
 * own once-per-process SDK clients, pointed at the fault by the standard AWS_ENDPOINT_URL_DYNAMODB /
 * _SES / _KMS / _SNS / _COGNITO_IDENTITY_PROVIDER variables (which is why each fault kind has its own
 * test file: the clients keep the endpoint of their first call). Behind the faults: dynalite,
 * aws-ses-v2-local, the KMS stand-in and a tiny SNS (there is no SNS emulator); nothing behind Cognito,
 * whose one caller always meets the fault. The targets of a file run concurrently; each has its own
 * tables, recipient, phone number and KMS key, and its log lines are told apart by request id.
 *
 * For each target: the answer comes within 3.5 s; it is what the setting promises; every audit record
 * the fault kept out of the table is on an audit_fallback line, whole (equal to the record a healthy
 * run writes); and the SDK really met the fault as the service would answer it (its error name, and
 * one retry for throttling, none for access denied).
 * All targets of a file are invoked at once (as concurrent invocations of warm functions share their
 * clients), so a file takes as long as its slowest target, about 2.5 s for the slow faults.
 */
import { GetItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, describe, type ExpectStatic, it } from "vitest";
import { KmsStandIn } from "../../../cli/kms-stand-in.ts";
import { legacyTableDefinition, seedLegacyUsers } from "../../../cli/local/legacy-users.ts";
import { auditTableDefinition, ensureTable } from "../../../cli/local/tables.ts";
import { loadTrigger } from "../../../cli/triggers.ts";
import { buildAuditRecord } from "../../../triggers/lib/audit/record.ts";
import { AWS_CLIENT_SETTINGS } from "../../../triggers/lib/aws-clients.ts";
import { captureLogs } from "../../support/capture-logs.ts";
import { type LocalDynamo, startDynalite } from "../../support/dynalite.ts";
import {
  type FaultProxy,
  type ProxiedRequest,
  startFaultProxy,
  unreachableEndpoint,
} from "../../support/fault-proxy.ts";
import { sampleExpectation } from "../../support/samples.ts";
import { type LocalSes, startSesLocal } from "../../support/ses-local.ts";
import { type LocalSns, startSns } from "../../support/sns.ts";
import {
  FAULT_TARGETS,
  type FaultKind,
  type FaultTarget,
  MIGRATION,
  namesOf,
  type Service,
} from "./targets.ts";

/** Cognito waits 5 s; the suite promises an answer well before, whatever AWS does. */
export const ANSWER_BUDGET_MS = 3_500;
const NOW = new Date("2026-11-20T09:30:00.000Z");
const RETENTION_DAYS = 400;

/** The error the SDK reports for each wire-format fault, by service. */
const ERROR_NAMES: Partial<Record<FaultKind, Record<Service, string>>> = {
  throttled: {
    dynamodb: "ProvisionedThroughputExceededException",
    ses: "Throttling",
    kms: "ThrottlingException",
    sns: "ThrottledException",
    cognito: "TooManyRequestsException",
  },
  "access-denied": {
    dynamodb: "AccessDeniedException",
    ses: "AccessDenied",
    kms: "AccessDeniedException",
    sns: "AuthorizationErrorException",
    cognito: "AccessDeniedException",
  },
};
const SERVICES: readonly Service[] = ["dynamodb", "ses", "kms", "sns", "cognito"];

/** What answers behind the proxies. */
interface Upstreams {
  dynamo: LocalDynamo;
  ses: LocalSes;
  kms: { endpoint: string; close(): Promise<void> };
  sns: LocalSns;
}
/** How many times the SDK sends a call that meets the fault: throttling is retried, a denial is not. */
const ATTEMPTS: Partial<Record<FaultKind, number>> = {
  throttled: AWS_CLIENT_SETTINGS.maxAttempts,
  "access-denied": 1,
};

export function runFaultTargets(fault: FaultKind): void {
  const targets = FAULT_TARGETS.filter((t) =>
    fault === "unreachable" ? t.scope !== "call" : t.scope !== "service",
  );
  let upstreams: Upstreams | undefined;
  let proxies: Record<Service, FaultProxy> | undefined;
  let logs: ReturnType<typeof captureLogs>;
  const answers = new Map<string, { answer: { result?: unknown; error?: string }; elapsedMs: number }>();

  beforeAll(async () => {
    process.env.AWS_REGION = "eu-west-1";
    process.env.AWS_ACCESS_KEY_ID = "local";
    process.env.AWS_SECRET_ACCESS_KEY = "local";
    if (fault === "unreachable") {
      for (const service of SERVICES) process.env[ENDPOINT_VARIABLES[service]] = await unreachableEndpoint();
    } else {
      const [dynamo, ses, kms, sns] = await Promise.all([
        startDynalite(),
        startSesLocal(),
        new KmsStandIn().listen(),
        startSns(),
      ]);
      upstreams = { dynamo, ses, kms, sns };
      const rules = (service: Service) =>
        targets.flatMap((t) => {
          const rule = t.rules?.(namesOf(t.slug))[service];
          return rule ? [{ ...rule, fault }] : [];
        });
      const onProtocol = (protocol: Service, upstream: string) =>
        startFaultProxy({ protocol, upstream, rules: rules(protocol) });
      proxies = {
        dynamodb: await onProtocol("dynamodb", dynamo.endpoint),
        ses: await onProtocol("ses", ses.endpoint),
        kms: await onProtocol("kms", kms.endpoint),
        sns: await onProtocol("sns", sns.endpoint),
        // Only the look-up target asks Cognito, and each of its requests meets the fault.
        cognito: await onProtocol("cognito", await unreachableEndpoint()),
      };
      for (const service of SERVICES) process.env[ENDPOINT_VARIABLES[service]] = proxies[service].endpoint;
      for (const target of targets) {
        const names = namesOf(target.slug);
        await ensureTable(dynamo.client, auditTableDefinition(names.auditTable));
        if (target.trigger === "user-migration") {
          await ensureTable(dynamo.client, legacyTableDefinition(names.legacyTable));
          await seedLegacyUsers(dynamo.client, names.legacyTable);
        }
      }
    }
    logs = captureLogs();
    await Promise.all(
      targets.map(async (target) => {
        const names = namesOf(target.slug);
        const createHandler = await loadTrigger(target.trigger);
        if (!createHandler) throw new Error(`no handler for ${target.trigger}`);
        const handler = createHandler(target.env(names), { now: () => NOW });
        const started = performance.now();
        const answer = await handler(target.event(names), { awsRequestId: requestIdOf(target) }).then(
          (result) => ({ result }),
          (error: Error) => ({ error: error.message }),
        );
        answers.set(target.slug, { answer, elapsedMs: performance.now() - started });
      }),
    );
  });
  afterAll(async () => {
    logs?.restore();
    await Promise.all(SERVICES.map((service) => proxies?.[service].stop()));
    await Promise.all([
      upstreams?.dynamo.stop(),
      upstreams?.ses.stop(),
      upstreams?.kms.close(),
      upstreams?.sns.stop(),
    ]);
  });

  const requestIdOf = (target: FaultTarget) => `${fault}-${target.slug}`;

  describe(`with ${fault === "unreachable" ? "the endpoints unreachable" : `the call ${fault}`}`, () => {
    it.for(targets)("$id", async (target, { expect, annotate }) => {
      const names = namesOf(target.slug);
      const requestId = requestIdOf(target);
      const event = target.event(names);
      const promised = target.promise(fault);
      const { answer, elapsedMs } = answers.get(target.slug) ?? { answer: {}, elapsedMs: Number.NaN };
      await annotate(`answered in ${Math.round(elapsedMs)} ms`);

      expect(elapsedMs).toBeLessThan(ANSWER_BUDGET_MS);
      if ("error" in promised.answer) expect(answer).toEqual({ error: promised.answer.error });
      else if (promised.answer.returns === "event") expect(answer).toEqual({ result: event });
      else expect(answer).toEqual({ result: sampleExpectation(MIGRATION).result });

      // Nothing lost: each record the fault kept out of the table is on one ERROR line, whole.
      const mine = logs.parsed().filter((line) => line.requestId === requestId);
      const fallback = mine.filter((line) => line.msg === "audit_fallback");
      expect(fallback.map((line) => line.level)).toEqual(promised.fallback.map(() => "ERROR"));
      expect(fallback.map((line) => line.record)).toEqual(
        promised.fallback.map((entry) => buildAuditRecord({ ...entry, requestId }, NOW, RETENTION_DAYS)),
      );

      if (upstreams && proxies) {
        await expectServiceState(expect, { upstreams, target, requestId, promised: target.promise(fault) });
        await expectFaultMet(expect, { fault, proxies, target, names, lines: mine });
      }
    });
  });
}

async function expectServiceState(
  expect: ExpectStatic,
  context: {
    upstreams: Upstreams;
    target: FaultTarget;
    requestId: string;
    promised: ReturnType<FaultTarget["promise"]>;
  },
): Promise<void> {
  const { upstreams, target, requestId, promised } = context;
  const { dynamo, ses, sns } = upstreams;
  const names = namesOf(target.slug);
  const items = (await dynamo.client.send(new ScanCommand({ TableName: names.auditTable }))).Items ?? [];
  const written = items.map((item) => unmarshall(item)).filter((item) => item.requestId === requestId);
  expect(
    written
      .map((item) => ({ event: item.event, ...(item.reason ? { reason: item.reason } : {}) }))
      .sort((a, b) => a.event.localeCompare(b.event)),
  ).toEqual([...promised.written].sort((a, b) => a.event.localeCompare(b.event)));
  const emails = (await ses.emails()).filter((email) => email.destination.to.includes(names.recipient));
  expect(emails).toHaveLength(promised.emails);
  const texts = sns.requests.filter((form) => form.get("PhoneNumber") === names.phone);
  expect(texts).toHaveLength(promised.texts ?? 0);
  if (promised.migrated !== undefined) {
    const { Item } = await dynamo.client.send(
      new GetItemCommand({ TableName: names.legacyTable, Key: { login: { S: "taro@example.com" } } }),
    );
    expect(Item?.migratedAt !== undefined).toBe(promised.migrated);
  }
}

/** The fault really reached the handler's SDK, as the real service would have answered. */
async function expectFaultMet(
  expect: ExpectStatic,
  context: {
    fault: FaultKind;
    proxies: Record<Service, FaultProxy>;
    target: FaultTarget;
    names: ReturnType<typeof namesOf>;
    lines: Record<string, unknown>[];
  },
): Promise<void> {
  const { fault, proxies, target, names, lines } = context;
  const rules = target.rules?.(names) ?? {};
  for (const service of SERVICES) {
    const rule = rules[service];
    if (!rule) continue;
    const met = (proxies[service].requests as (ProxiedRequest & { keyId?: string })[]).filter(
      (r) =>
        r.fault === fault &&
        (rule.table === undefined || r.table === rule.table) &&
        (rule.recipient === undefined || r.recipient === rule.recipient) &&
        (rule.keyId === undefined || r.keyId === rule.keyId),
    );
    // A service after a failed one may never be called (a sender records only after a failed send).
    if (service !== target.service && met.length === 0) continue;
    expect(met.length, service).toBeGreaterThan(0);
    const attempts = ATTEMPTS[fault];
    if (attempts !== undefined) expect(met, service).toHaveLength(attempts);
  }
  const errorName = target.service && ERROR_NAMES[fault]?.[target.service];
  if (errorName) {
    // By name, or in the words of an error that wraps it (a sender's code decryption names KMS's error).
    const errors = lines.flatMap((line) =>
      [line.cause, line.error].filter(Boolean).map((e) => e as { name?: string; message?: string }),
    );
    expect(errors.some((e) => e.name === errorName || e.message?.includes(`(${errorName})`))).toBe(true);
  }
}

/** The variable that points the SDK's clients of each service at an endpoint. */
const ENDPOINT_VARIABLES: Record<Service, string> = {
  dynamodb: "AWS_ENDPOINT_URL_DYNAMODB",
  ses: "AWS_ENDPOINT_URL_SES",
  kms: "AWS_ENDPOINT_URL_KMS",
  sns: "AWS_ENDPOINT_URL_SNS",
  cognito: "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
};
