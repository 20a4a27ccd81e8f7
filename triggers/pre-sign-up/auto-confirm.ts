/**
 * AUTO_CONFIRM for an allowed sign-up. Confirming without verifying the email leaves the user unable
 * to reset a forgotten password, so both flags are set together, and only for PreSignUp_SignUp:
 * Cognito ignores the flags for AdminCreateUser, and federated users are confirmed by their IdP.
 * The phone is never auto-verified: the policy vouches for the email domain, not for a number.
 */
import type { TriggerEvent } from "../lib/events.ts";

export function applyAutoConfirm(event: TriggerEvent): void {
  if (event.triggerSource !== "PreSignUp_SignUp") return;
  event.response.autoConfirmUser = true;
  event.response.autoVerifyEmail = true;
}
