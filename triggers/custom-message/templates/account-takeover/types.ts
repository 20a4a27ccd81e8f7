/**
 * The account-takeover notification of one locale: the email the custom email sender writes when
 * threat protection detects a risky sign-in (CustomEmailSender_AccountTakeOverNotification). It has no
 * code, so it is not one of Custom message's messages; it shares their layout (`{{appName}}`,
 * `{{content}}` of the locale's `layout`) so that every email of the pool looks alike.
 *
 * Plain strings with {{token}} slots, filled by the renderer, which escapes every value for HTML
 * itself (all of them come from the event: the device name is the client's user agent):
 *   subject, html, text  {{greeting}} {{appName}} {{action}} {{details}} {{links}}
 *   detail.html/text     one row of the sign-in details: {{label}} {{value}}
 *   links.html/text      the two one-click links: {{validUrl}} ("this was me"), {{invalidUrl}} ("this
 *                        wasn't me"); only https URLs are ever put there
 *   noLinks              said instead of `links` when the event brought no usable links
 *   actions              what threat protection did, by ACCOUNT_TAKE_OVER_ACTION
 * An unknown token is a rendering failure: the notification is not sent and the failure is recorded.
 */
export interface AccountTakeoverTemplates {
  subject: string;
  html: string;
  text: string;
  labels: { time: string; ipAddress: string; location: string; device: string };
  detail: { html: string; text: string };
  /** BLOCK; MFA, MFA_IF_CONFIGURED and MFA_REQUIRED; NO_ACTION; anything else. */
  actions: { blocked: string; challenged: string; allowed: string; detected: string };
  links: { html: string; text: string };
  noLinks: string;
}
