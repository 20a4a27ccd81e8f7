/**
 * Node's `require` goes only into the bundles whose CommonJS code asks for a built-in at run time (the
 * custom senders, through the Encryption SDK), and those bundles load; every other bundle is left as
 * esbuild makes it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { bundleHandler, PROJECT_ROOT } from "../../infra/bundle-options.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function bundled(trigger: string): { dir: string; files: Map<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), `bundle-${trigger}-`));
  dirs.push(dir);
  bundleHandler(join(PROJECT_ROOT, `triggers/${trigger}/handler.ts`), dir);
  const files = new Map<string, string>();
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    if (name.endsWith(".mjs")) files.set(name, readFileSync(join(dir, name), "utf8"));
  }
  return { dir, files };
}

const NODE_REQUIRE = 'import{createRequire as __nodeRequire}from"node:module"';

describe("bundling", () => {
  it.each(["pre-sign-up", "custom-message", "inbound-federation"])(
    "gives %s, which requires nothing at run time, no `require` of Node's",
    (trigger) => {
      const { files } = bundled(trigger);
      expect(files.size).toBeGreaterThan(0);
      for (const [name, code] of files) expect(code.startsWith(NODE_REQUIRE), name).toBe(false);
    },
  );

  it.each(["custom-email-sender", "custom-sms-sender"])(
    "gives every file of %s Node's `require`, and the bundle loads",
    async (trigger) => {
      const { dir, files } = bundled(trigger);
      for (const [name, code] of files) expect(code.startsWith(NODE_REQUIRE), name).toBe(true);
      const loaded = (await import(pathToFileURL(join(dir, "index.mjs")).href)) as { handler?: unknown };
      expect(typeof loaded.handler).toBe("function");
    },
  );
});
