/**
 * The optional triggers in the local pool, as cli/local/cognito-behaviour.ts decides them: nothing of
 * theirs runs unless asked; the custom email sender, when asked, is what cognito-local and the pool
 * proxy call for the pool's emails, in place of Custom message; its errors never fail a call; and the
 * local KMS's port joins the preflight only then.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cognitoLocalTriggers,
  errorFailsCall,
  isFiredLocally,
  LOCAL_OPT_INS,
  type LocalOptIn,
  suiteFiredRows,
  TRIGGER_ROWS,
} from "../../../cli/local/cognito-behaviour.ts";
import { portsInUseMessage, suitePorts } from "../../../cli/local/ports.ts";
import { LOCAL_OPTIONS, LOCAL_USAGE } from "../../../cli/local/usage.ts";

const OPT_INS = Object.keys(LOCAL_OPT_INS) as LocalOptIn[];
const optInSets = fc.subarray(OPT_INS);
const operations = fc.constantFrom(
  ...new Set(TRIGGER_ROWS.flatMap((row) => row.operations.map((each) => each.split(" ")[0] ?? each))),
);
const phases = fc.constantFrom("before" as const, "after" as const);

describe("the local pool's optional triggers", () => {
  it("by default: the seven core triggers only, and Custom message for the emails", () => {
    expect(cognitoLocalTriggers()).toContain("CustomMessage");
    expect(cognitoLocalTriggers()).not.toContain("CustomEmailSender");
    expect(suiteFiredRows("ResendConfirmationCode", "before").map((row) => row.triggerSource)).toEqual([
      "CustomMessage_ResendCode",
    ]);
    const optional = TRIGGER_ROWS.filter((row) =>
      ["InboundFederation", "CustomEmailSender", "CustomSMSSender"].includes(row.trigger),
    );
    expect(optional.filter((row) => isFiredLocally(row))).toEqual([]);
  });

  it("with --custom-email-sender: the sender takes the emails over from Custom message", () => {
    const optIns: LocalOptIn[] = ["custom-email-sender"];
    expect(cognitoLocalTriggers(optIns)).toContain("CustomEmailSender");
    expect(cognitoLocalTriggers(optIns)).not.toContain("CustomMessage");
    expect(
      suiteFiredRows("ResendConfirmationCode", "before", optIns).map((row) => row.triggerSource),
    ).toEqual(["CustomEmailSender_ResendCode"]);
    const fired = TRIGGER_ROWS.filter(
      (row) => row.trigger === "CustomEmailSender" && isFiredLocally(row, optIns),
    );
    expect(fired.map((row) => row.triggerSource).sort()).toEqual([
      "CustomEmailSender_AdminCreateUser",
      "CustomEmailSender_ForgotPassword",
      "CustomEmailSender_ResendCode",
      "CustomEmailSender_SignUp",
      "CustomEmailSender_UpdateUserAttribute",
      "CustomEmailSender_VerifyUserAttribute",
    ]);
  });

  it("never fires a row no local pool can, nor one of a superseded trigger, whatever is attached", () => {
    fc.assert(
      fc.property(optInSets, operations, phases, (optIns, operation, phase) => {
        const superseded = optIns.map((each) => LOCAL_OPT_INS[each].supersedes);
        for (const row of suiteFiredRows(operation, phase, optIns)) {
          expect(row.local.by).not.toBe("none");
          expect(superseded).not.toContain(row.trigger);
          if (row.local.by !== "none" && row.local.optIn) expect(optIns).toContain(row.local.optIn);
        }
        for (const trigger of cognitoLocalTriggers(optIns)) {
          expect(superseded).not.toContain(trigger);
          expect(["CustomSMSSender", "InboundFederation"]).not.toContain(trigger);
        }
      }),
    );
  });

  it("lets no custom sender's error fail a call, and every other trigger's error fail it", () => {
    for (const row of TRIGGER_ROWS) {
      const sender = row.trigger === "CustomEmailSender" || row.trigger === "CustomSMSSender";
      expect(errorFailsCall(row.trigger, row.triggerSource), row.triggerSource).toBe(!sender);
    }
    // An event cognito-local sends with a source the table does not know is judged by its trigger.
    expect(errorFailsCall("CustomEmailSender", "CustomEmailSender_Unknown")).toBe(false);
    expect(errorFailsCall("PostConfirmation", undefined)).toBe(true);
  });

  it("is asked for with a flag `local` accepts and its help names", () => {
    for (const { flag } of Object.values(LOCAL_OPT_INS)) {
      expect(Object.keys(LOCAL_OPTIONS).map((name) => `--${name}`)).toContain(flag);
      expect(LOCAL_USAGE).toContain(flag);
    }
  });
});

describe("the local KMS's port", () => {
  it("is n+4, checked only with the custom email sender", () => {
    expect(suitePorts(9229)).toEqual({ cognito: 9229, dynamodb: 9230, ses: 9231, lambda: 9232 });
    expect(suitePorts(9229, { kms: true })).toMatchObject({ kms: 9233 });
  });

  it("is named in the busy-port line, which then says the suite uses n to n+4", () => {
    const ports = suitePorts(9229, { kms: true });
    expect(portsInUseMessage([9233], ports)).toBe(
      "cognito-triggers local: port 9233 (KMS) is in use; move the suite with --port <n> (it uses n to n+4)",
    );
    expect(portsInUseMessage([9230], suitePorts(9229))).toBe(
      "cognito-triggers local: port 9230 (DynamoDB) is in use; move the suite with --port <n> (it uses n to n+3)",
    );
  });
});
