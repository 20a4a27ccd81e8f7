/** Runs a command to completion and keeps what it printed, whatever its exit status. */
import { execFile } from "node:child_process";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** npm from the Node.js that runs the tests, so a run on Node 24 installs and packs with Node 24. */
export function npm(args: readonly string[], cwd: string, timeoutMs = 180_000): Promise<CommandResult> {
  return runCommand("npm", ["--no-audit", "--no-fund", "--loglevel=error", ...args], { cwd, timeoutMs });
}
