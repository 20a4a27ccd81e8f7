/** The local pool's emulators: named with the versions the repository tests them with. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LOCAL_POOL_PACKAGES, localPoolRequirementsMessage } from "../../cli/local-pool-requirements.ts";

const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe("the local pool's requirements", () => {
  it("are development dependencies at exactly the versions the message tells users to install", () => {
    for (const [name, version] of Object.entries(LOCAL_POOL_PACKAGES)) {
      expect(manifest.devDependencies[name], name).toBe(version);
      expect(manifest.dependencies[name], name).toBeUndefined();
    }
  });

  it("are explained with both ways to get them", () => {
    const message = localPoolRequirementsMessage(["dynalite"]);
    expect(message.split("\n")[0]).toContain("not installed: dynalite.");
    expect(message).toContain("npm install && npm start");
    expect(message).toContain(
      "npm install --save-dev cognito-local@5.3.0 dynalite@4.0.0 aws-ses-v2-local@2.10.2",
    );
  });
});
