/**
 * The `cognito-triggers` command: replay | audit | local. Each command is loaded when it is run, so
 * that one command's dependencies never stop another: the local pool's emulators are development
 * dependencies, absent from a runtime-only install (local-pool-requirements.ts).
 */
import { localPoolRequirementsMessage, missingLocalPoolPackages } from "./local-pool-requirements.ts";
import { UsageError } from "./usage-error.ts";

const USAGE = `Usage: cognito-triggers <command> [options]

Commands:
  replay <file|dir>...   replay sample events through the handlers and check their expected results
  audit <query|summary|report>
                         query, summarise and report on the audit table
  local                  run the suite on an emulated user pool (npm start)

Run "cognito-triggers <command> --help" for a command's options.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "replay":
        return await (await import("./replay/command.ts")).replayCommand(rest);
      case "audit":
        return await (await import("./audit/command.ts")).auditCommand(rest);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        console.log(USAGE);
        return command === undefined ? 2 : 0;
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
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)} (try --help)`);
    }
  } catch (error) {
    // parseArgs reports unknown options and missing values with codes starting ERR_PARSE_ARGS.
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (error instanceof UsageError || code.startsWith("ERR_PARSE_ARGS")) {
      console.error(`cognito-triggers: ${(error as Error).message}`);
      return 2;
    }
    throw error;
  }
}
