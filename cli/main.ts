/**
 * The `cognito-triggers` command: replay | audit | local | generate-event (and --version, --help). Each command is loaded when it is run, so
 * that one command's dependencies never stop another: the local pool's emulators are development
 * dependencies, absent from a runtime-only install (local-pool-requirements.ts).
 */
import { readFileSync } from "node:fs";
import { localPoolRequirementsMessage, missingLocalPoolPackages } from "./local-pool-requirements.ts";
import { closest, unknownOptionMessage } from "./options.ts";
import { UsageError } from "./usage-error.ts";

export const USAGE = `Usage: cognito-triggers <command> [options]

Commands:
  replay <file|dir>...   replay sample events through the handlers and check their expected results
  audit <query|summary|report>
                         query, summarise and report on the audit table
  local                  run the suite on an emulated user pool (npm start)
  generate-event <triggerSource> [--version 1|2|3]   print a sample event, as Cognito sends it

Options:
  -v, --version          print the version of cognito-triggers
  -h, --help             this help

Run "cognito-triggers <command> --help" for a command's options.`;

const COMMANDS = ["replay", "audit", "local", "generate-event", "help"];

/**
 * The package's version, from the package.json one level above this module's folder: the repository's
 * beside cli/, or the installed package's (whose compiled cli/ sits beside its package.json).
 */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return manifest.version;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "replay":
        return await (await import("./replay/command.ts")).replayCommand(rest);
      case "audit":
        return await (await import("./audit/command.ts")).auditCommand(rest);
      case "generate-event":
        return await (await import("./generate-event/command.ts")).generateEventCommand(rest);
      case undefined:
        // A usage error: the usage goes to stderr, so nothing reaches a pipe.
        console.error(USAGE);
        return 2;
      case "help":
      case "--help":
      case "-h":
        console.log(USAGE);
        return 0;
      case "--version":
      case "-v":
        console.log(packageVersion());
        return 0;
      case "local": {
        const missing = missingLocalPoolPackages();
        if (rest.includes("--help") || rest.includes("-h")) {
          console.log((await import("./local/usage.ts")).LOCAL_USAGE);
          return 0;
        }
        if (missing.length > 0) {
          console.error(localPoolRequirementsMessage(missing));
          return 1;
        }
        return await (await import("./local/command.ts")).localCommand(rest);
      }
      default: {
        if (command.startsWith("-")) {
          throw new UsageError(unknownOptionMessage(command, "cognito-triggers", ["--version", "--help"]));
        }
        const suggestion = closest(command, COMMANDS);
        throw new UsageError(
          `unknown command ${JSON.stringify(command)} (${suggestion ? `did you mean ${suggestion}?` : "try --help"})`,
        );
      }
    }
  } catch (error) {
    // parseArgs reports unknown options and missing values with codes starting ERR_PARSE_ARGS
    // (commands parsing through options.ts turn unknown options into a UsageError with a suggestion).
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const flag = /'(-[^']*)'/.exec((error as Error).message)?.[1] ?? "";
      console.error(`cognito-triggers: unknown option ${flag} for ${command}`);
      return 2;
    }
    if (error instanceof UsageError || code.startsWith("ERR_PARSE_ARGS")) {
      console.error(`cognito-triggers: ${(error as Error).message}`);
      return 2;
    }
    throw error;
  }
}
