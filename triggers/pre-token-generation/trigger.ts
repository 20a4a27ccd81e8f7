/**
 * Pre token generation: adds, overrides and suppresses claims, adds scopes from group membership and
 * keeps the user's groups, for V1_0, V2_0 and V3_0 events alike. Pure code: no AWS calls, nothing to
 * wait for, so tokens are never delayed by this trigger.
 */
import type { ConfigOf } from "../lib/config.ts";
import { defineTrigger } from "../lib/define-trigger.ts";
import type { TriggerEvent } from "../lib/events.ts";
import type { ClaimsConfig } from "./claims-config.ts";
import { preTokenGenerationConfigSpec } from "./config.ts";
import { responseShape } from "./event-version.ts";
import { v1Overrides, v2Overrides } from "./overrides.ts";

interface PreparedConfig {
  claims: ClaimsConfig;
  /** Set once the V1 notice is logged: it is worth one line per cold start, not one per sign-in. */
  v1NoticeLogged: { value: boolean };
}

export const createHandler = defineTrigger({
  trigger: "pre-token-generation",
  config: preTokenGenerationConfigSpec,
  prepare: (values: ConfigOf<typeof preTokenGenerationConfigSpec>): PreparedConfig => ({
    claims: values.CLAIMS_CONFIG,
    v1NoticeLogged: { value: false },
  }),
  handle: async (event, { config, log }) => {
    if (responseShape(event) === "v2") {
      answer(event, "claimsAndScopeOverrideDetails", v2Overrides(event, config.claims));
      return event;
    }
    const { details, notApplied } = v1Overrides(event, config.claims);
    if (notApplied.length > 0 && !config.v1NoticeLogged.value) {
      config.v1NoticeLogged.value = true;
      log.warn("V1 event: access-token claims, scopes and JSON claim values need the V2_0 or V3_0 trigger", {
        notApplied,
      });
    }
    answer(event, "claimsOverrideDetails", details);
    return event;
  },
});

const SHAPES = ["claimsOverrideDetails", "claimsAndScopeOverrideDetails"] as const;

/**
 * Sets the response to exactly what this trigger decided, whatever the event arrived with: Cognito
 * pre-fills the shape's key with null, but an emulator or a malformed event may carry claims of its
 * own, which Cognito would otherwise apply as ours. The decided shape's key is set (null when nothing
 * changes, as Cognito sent it) and the other shape's key removed; keys Cognito does not read stay.
 */
function answer(event: TriggerEvent, shape: (typeof SHAPES)[number], details: object | undefined): void {
  for (const key of SHAPES) if (key !== shape) delete event.response[key];
  event.response[shape] = details ?? null;
}
