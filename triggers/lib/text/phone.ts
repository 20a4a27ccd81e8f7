/**
 * Phone numbers in the form Cognito's `phone_number` takes: E.164, a "+" then at most 15 digits, the
 * first not 0. Nothing else is accepted or repaired: "+1 206 555 0142" or "(206) 555-0142" would be a
 * guess at the digits or the country, and a wrong guess texts sign-in codes to someone else.
 */
export const E164 = /^\+[1-9]\d{1,14}$/;

export function isE164(value: unknown): value is string {
  return typeof value === "string" && E164.test(value);
}
