/**
 * Runs one bench runner in a fresh Node process with exactly the environment given (nothing inherited
 * but PATH: a developer's NODE_OPTIONS or NODE_EXTRA_CA_CERTS would slow every start), and collects the
 * JSON report it writes to fd 3. Asynchronous on purpose: the AWS stand-ins the child calls live in
 * this process and must keep answering while it runs.
 */
import { spawn } from "node:child_process";

export interface ChildRun<T> {
  report: T;
  /** The end of what the child wrote to stderr. */
  stderr: string;
}

const STDERR_KEPT = 64 * 1024;

export function runChild<T>(
  script: string,
  args: string[],
  env: Record<string, string>,
  options: { keepStdout?: boolean } = {},
): Promise<ChildRun<T>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", options.keepStdout ? "pipe" : "ignore", "pipe", "pipe"],
    });
    let report = "";
    let stderr = "";
    let stdout = "";
    child.stdio[3]?.on("data", (chunk: Buffer) => {
      report += chunk.toString("utf8");
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-STDERR_KEPT);
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout = (stdout + chunk.toString("utf8")).slice(-STDERR_KEPT);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0 || report === "") {
        reject(new Error(`${script} exited with ${code}: ${(stderr || stdout).trim().slice(-2_000)}`));
        return;
      }
      try {
        resolve({ report: JSON.parse(report) as T, stderr });
      } catch (error) {
        reject(new Error(`${script}: unreadable report (${(error as Error).message})`));
      }
    });
  });
}
