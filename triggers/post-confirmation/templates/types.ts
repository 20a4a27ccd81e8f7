/**
 * The welcome email of one locale. Plain strings with {{token}} slots:
 *   {{greeting}}  `greeting.named` with the user's {{name}}, or `greeting.neutral`
 *   {{appName}}   APP_NAME
 * The renderer escapes user data for HTML itself; an unknown token is a rendering failure (logged and
 * recorded as WELCOME_EMAIL_FAILED, the user stays confirmed).
 */
export interface WelcomeTemplates {
  greeting: { named: string; neutral: string };
  subject: string;
  html: string;
  text: string;
}
