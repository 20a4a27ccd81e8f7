/**
 * Cognito's limits on what a custom message trigger returns (cognito-trigger-contract.md §3). Lengths
 * are counted in UTF-16 code units (String#length), which is never less than the count in characters,
 * so a message within these limits is within them however Cognito counts. The SMS limit includes the
 * code: the {####} placeholder is as long as the six-digit code that replaces it.
 */
export const EMAIL_MESSAGE_MAX = 20_000;
export const EMAIL_SUBJECT_MAX = 140;
export const SMS_MESSAGE_MAX = 140;
