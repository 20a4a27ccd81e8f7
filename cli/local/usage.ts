/** `cognito-triggers local --help`: its own module, so that help needs none of the emulators. */
export const LOCAL_USAGE = `Usage: cognito-triggers local [options]

Starts an emulated user pool (cognito-local) with the seven core triggers attached, on local DynamoDB
(dynalite) and SES (aws-ses-v2-local) stand-ins. Data is kept under --data-dir between runs.

Options:
  --demo                 run the scripted walk through the suite: against the suite already running
                         from --data-dir if there is one, otherwise on a suite started (and stopped) for it
  --data-dir <dir>       where data is kept (default .local)
  --env-file <file>      the handlers' configuration (default cli/local/local.env)
  --reset                delete the data folder first
  --port <n>             the Cognito endpoint's port (default 9229); DynamoDB, SES and Lambda use
                         n+1..n+3, the local KMS n+4
  --custom-email-sender  attach the custom email sender: the pool encrypts every email's code with a
                         local KMS key and the suite's sender delivers it to SES (instead of Custom message)
  -h, --help             this help (answered without loading the emulators)`;

/** The options local accepts (parsed in command.ts): each must be listed in LOCAL_USAGE. */
export const LOCAL_OPTIONS = {
  demo: { type: "boolean", default: false },
  "data-dir": { type: "string", default: ".local" },
  "env-file": { type: "string" },
  reset: { type: "boolean", default: false },
  port: { type: "string", default: "9229" },
  "custom-email-sender": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;
