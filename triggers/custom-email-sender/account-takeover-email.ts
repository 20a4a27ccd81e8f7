/**
 * The account-takeover notification (CustomEmailSender_AccountTakeOverNotification): threat protection
 * saw a risky sign-in and Cognito asks us to tell the user. The event carries no code; its
 * userAttributes hold the sign-in's details instead (LOGIN_TIME, IP_ADDRESS, CITY, COUNTRY,
 * DEVICE_NAME), what was done (ACCOUNT_TAKE_OVER_ACTION) and two one-click links by which the user
 * tells Cognito whether it was them.
 *
 * Every one of those values comes from the sign-in attempt, which is to say possibly from the attacker
 * (the device name is the client's user agent). So each is made inert like a name (controls and line
 * breaks become spaces, characters that render as nothing are removed, length capped), then escaped for
 * HTML; braces stay (no Cognito placeholder is filled in here).
 *
 * The links go into an href only when they are https URLs. An event that brought anything else (a
 * javascript: or data: URL, plain http that would expose the link's feedback token, text that is no
 * URL) gets the notification without links and with the advice to change the password: the warning
 * is worth sending, a link we cannot vouch for is not. The links themselves are never logged.
 */
import { fill } from "../custom-message/fill.ts";
import { ACCOUNT_TAKEOVER_TEMPLATES } from "../custom-message/templates/account-takeover/index.ts";
import type { AccountTakeoverTemplates } from "../custom-message/templates/account-takeover/types.ts";
import { type Locale, TEMPLATES } from "../custom-message/templates/index.ts";
import type { StringMap } from "../lib/events.ts";
import { cutToLength } from "../lib/text/graphemes.ts";
import { escapeHtml } from "../lib/text/html.ts";
import { withoutInvisibleCharacters } from "../lib/text/invisible.ts";

export interface AccountTakeoverInput {
  locale: Locale;
  appName: string;
  /** Already cleaned (display-name.ts); undefined for the neutral greeting. */
  name: string | undefined;
  /** The event's userAttributes. */
  attributes: StringMap;
}

export interface RenderedAccountTakeoverEmail {
  subject: string;
  html: string;
  text: string;
}

const MAX_DETAIL = 100;
/** Far longer than Cognito's links; a longer one is not put in a message. */
const MAX_LINK = 2_048;

export function renderAccountTakeoverEmail(input: AccountTakeoverInput): RenderedAccountTakeoverEmail {
  const templates = ACCOUNT_TAKEOVER_TEMPLATES[input.locale];
  const layout = TEMPLATES[input.locale];
  const where = `${input.locale}.accountTakeover`;
  const details = detailsOf(input.attributes, templates);
  const links = linksOf(input.attributes);
  const action = templates.actions[actionOf(input.attributes.ACCOUNT_TAKE_OVER_ACTION)];
  const greeting = (name: string | undefined) =>
    name === undefined
      ? layout.greeting.neutral
      : fill(layout.greeting.named, { name }, `${input.locale}.greeting`);

  const text = {
    greeting: greeting(input.name),
    appName: input.appName,
    action,
    details: details.map((row) => fill(templates.detail.text, row, `${where}.detail.text`)).join("\n"),
    links: links ? fill(templates.links.text, links, `${where}.links.text`) : templates.noLinks,
  };
  const html = {
    greeting: greeting(input.name === undefined ? undefined : escapeHtml(input.name)),
    appName: escapeHtml(input.appName),
    action: escapeHtml(action),
    details: details
      .map((row) =>
        fill(
          templates.detail.html,
          { label: escapeHtml(row.label), value: escapeHtml(row.value) },
          `${where}.detail.html`,
        ),
      )
      .join("\n"),
    links: links
      ? fill(
          templates.links.html,
          { validUrl: escapeHtml(links.validUrl), invalidUrl: escapeHtml(links.invalidUrl) },
          `${where}.links.html`,
        )
      : `<p>${escapeHtml(templates.noLinks)}</p>`,
  };
  const content = fill(templates.html, html, `${where}.html`);
  return {
    subject: fill(templates.subject, text, `${where}.subject`).replace(/\s+/g, " "),
    html: fill(layout.layout, { appName: html.appName, content }, `${input.locale}.layout`),
    text: fill(templates.text, text, `${where}.text`).replace(/\n{3,}/g, "\n\n"),
  };
}

type ActionKey = keyof AccountTakeoverTemplates["actions"];

function actionOf(action: string | undefined): ActionKey {
  switch (action) {
    case "BLOCK":
      return "blocked";
    case "MFA":
    case "MFA_IF_CONFIGURED":
    case "MFA_REQUIRED":
      return "challenged";
    case "NO_ACTION":
      return "allowed";
    default:
      return "detected";
  }
}

/** The sign-in's details that the event has, in a fixed order, each made inert. */
function detailsOf(
  attributes: StringMap,
  templates: AccountTakeoverTemplates,
): { label: string; value: string }[] {
  const location = [attributes.CITY, attributes.COUNTRY]
    .map(inert)
    .filter((part) => part !== undefined)
    .join(", ");
  const rows: [string, string | undefined][] = [
    [templates.labels.time, inert(attributes.LOGIN_TIME)],
    [templates.labels.ipAddress, inert(attributes.IP_ADDRESS)],
    [templates.labels.location, location || undefined],
    [templates.labels.device, inert(attributes.DEVICE_NAME)],
  ];
  return rows.flatMap(([label, value]) => (value === undefined ? [] : [{ label, value }]));
}

/** A value from the event as text that shows what it says and nothing else; undefined when empty. */
function inert(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = withoutInvisibleCharacters(value.replace(/[\p{Cc}\u2028\u2029]/gu, " "))
    .replace(/\s+/gu, " ")
    .trim();
  return text === "" ? undefined : cutToLength(text, MAX_DETAIL);
}

/** Both links, or none: one without the other would leave the user a single, leading choice. */
function linksOf(attributes: StringMap): { validUrl: string; invalidUrl: string } | undefined {
  const validUrl = httpsUrl(attributes.ONE_CLICK_LINK_VALID);
  const invalidUrl = httpsUrl(attributes.ONE_CLICK_LINK_INVALID);
  return validUrl && invalidUrl ? { validUrl, invalidUrl } : undefined;
}

/** The URL as the WHATWG parser writes it, when it is an https URL without credentials; else undefined. */
function httpsUrl(value: string | undefined): string | undefined {
  if (value === undefined || value.length > MAX_LINK || value !== value.trim()) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" || url.username !== "" || url.password !== "" || url.hostname === "")
    return undefined;
  return url.href;
}
