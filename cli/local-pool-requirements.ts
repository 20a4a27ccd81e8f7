/**
 * What `cognito-triggers local` needs besides the CLI itself: the emulators of Cognito, DynamoDB and
 * SES, and the Cognito SDK it sets the pool up with. They are development tools, so neither the npm
 * package nor `npm ci --omit=dev` installs them; the other commands never load them. Without them
 * `local` says how to get them instead of failing on an import.
 */
import { createRequire } from "node:module";

/**
 * The versions the local pool is tested with (package.json devDependencies; a test holds them equal).
 * The Cognito client the local pool also uses is a dependency of the package (the custom email sender
 * looks users up with it), so it is always there.
 */
export const LOCAL_POOL_PACKAGES = {
  "cognito-local": "5.3.0",
  dynalite: "4.0.0",
  "aws-ses-v2-local": "2.10.2",
} as const;

/** The packages that cannot be resolved from where the CLI is installed. */
export function missingLocalPoolPackages(): string[] {
  const require = createRequire(import.meta.url);
  return Object.keys(LOCAL_POOL_PACKAGES).filter((name) => {
    try {
      require.resolve(`${name}/package.json`);
      return false;
    } catch {
      return true;
    }
  });
}

export function localPoolRequirementsMessage(missing: readonly string[]): string {
  const install = Object.entries(LOCAL_POOL_PACKAGES)
    .map(([name, version]) => `${name}@${version}`)
    .join(" ");
  return `cognito-triggers local: the local pool needs emulators that are not installed: ${missing.join(", ")}.
They are development tools, so the npm package and \`npm ci --omit=dev\` leave them out. Either:
  - in a clone of cognito-trigger-suite: npm install && npm start
  - in your project: npm install --save-dev ${install}
The other commands (replay, audit) do not need them.`;
}
