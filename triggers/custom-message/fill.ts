/**
 * Fills {{token}} slots. Values are inserted as given: escaping is the caller's job, per channel.
 * An unknown or unavailable token throws, so a typo in an edited template is caught by the tests
 * and, at run time, turns into Cognito's default message instead of a half-rendered one.
 */
export class TemplateError extends Error {
  override readonly name = "TemplateError";
}

const TOKEN = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

export function fill(
  template: string,
  values: Readonly<Record<string, string | undefined>>,
  where: string,
): string {
  return template.replace(TOKEN, (_, token: string) => {
    const value = Object.hasOwn(values, token) ? values[token] : undefined;
    if (value === undefined) throw new TemplateError(`${where}: {{${token}}} is not available here`);
    return value;
  });
}
