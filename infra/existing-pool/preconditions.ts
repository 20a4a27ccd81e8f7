/**
 * What a pool must be before the suite attaches to it, checked at deploy time (an imported pool cannot
 * be read at synth time), each with a failure that says what to do.
 */
import type { UserPoolType } from "@aws-sdk/client-cognito-identity-provider";

/** A user pool id is `<region>_<id>`, e.g. eu-west-1_Abc123. */
export function regionOfUserPool(userPoolId: string): string | undefined {
  const separator = userPoolId.indexOf("_");
  return separator > 0 ? userPoolId.slice(0, separator) : undefined;
}

/**
 * The stack builds an imported pool's ARN in its own region (the custom resource's IAM policy, the
 * functions' invoke permissions), so a pool of another region would call functions that may not be
 * invoked for it.
 */
export function regionProblem(userPoolId: string, functionRegion: string | undefined): string | undefined {
  const poolRegion = regionOfUserPool(userPoolId);
  if (functionRegion === undefined || poolRegion === undefined || poolRegion === functionRegion) {
    return undefined;
  }
  return `User pool ${userPoolId} is in region ${poolRegion}, but the suite's functions are in ${functionRegion}: the suite attaches only to a pool of its own region (the invoke permissions and this custom resource's IAM policy name the pool in ${functionRegion}). Deploy the stack to ${poolRegion}.`;
}

/** Why the suite writes each attribute it requires, for the failure message. */
const WRITTEN_BY: Record<string, string> = {
  "custom:legacy_id":
    "user migration writes it into every user it migrates (the user's id in the legacy directory), and a migration that writes an attribute the pool does not have fails",
};

/** The attributes the pool lacks, e.g. custom:legacy_id for user migration. */
export function missingAttributesProblem(
  pool: UserPoolType,
  required: readonly string[],
): string | undefined {
  const present = new Set((pool.SchemaAttributes ?? []).map((attribute) => attribute.Name));
  const missing = required.filter((name) => !present.has(name));
  if (missing.length === 0) return undefined;
  return missing
    .map((name) => {
      const why = WRITTEN_BY[name] ?? "the suite's triggers write it";
      const bare = name.replace(/^custom:/, "");
      return `User pool ${pool.Id} has no attribute ${name}: ${why}. Add it with AddCustomAttributes, e.g. aws cognito-idp add-custom-attributes --user-pool-id ${pool.Id} --custom-attributes Name=${bare},AttributeDataType=String,Mutable=true,StringAttributeConstraints={MaxLength=256} (a custom attribute cannot be removed later).`;
    })
    .join(" ");
}
