/**
 * The three flags of every pre sign-up answer, decided here and nowhere else. Cognito sends them
 * pre-filled, and an odd or hostile event may carry `true`; the answer never passes any of them through,
 * so what Cognito confirms and verifies is exactly what the policy decided.
 *
 * AUTO_CONFIRM confirms an allowed self sign-up with its email verified together: a user confirmed
 * without a verified email could not reset a forgotten password. Only PreSignUp_SignUp gets them:
 * Cognito ignores the flags for AdminCreateUser, a federated user is confirmed by Cognito itself, and an
 * address from an identity provider is never verified on our word (its email_verified decides, see
 * federated-email.ts). The phone is never auto-verified: the policy vouches for an email domain, not
 * for a number.
 */
import type { PreSignUpEvent } from "../lib/cognito-event-types.ts";

export type SignUpFlags = PreSignUpEvent["response"];

export function signUpFlags(triggerSource: string, autoConfirm: boolean): SignUpFlags {
  const confirm = autoConfirm && triggerSource === "PreSignUp_SignUp";
  return { autoConfirmUser: confirm, autoVerifyEmail: confirm, autoVerifyPhone: false };
}
