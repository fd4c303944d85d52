/**
 * Entry point of dist/ecs-emulator.js:
 * `node dist/ecs-emulator.js [--host 127.0.0.1] [--port N] [--fixtures FILE] [--state FILE]`.
 * Prints one JSON line when ready, stops on SIGINT/SIGTERM and then saves its state to `--state`.
 * Exit codes: 0 after a clean stop, 2 for bad arguments or input files, 1 for anything else.
 */

import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

import type { EmulatorCore, Fixtures } from "./contract";
import { createEmulatorCore } from "./core";
import { DEFAULT_FIXTURES } from "./default-fixtures";
import { parseFixtures } from "./fixtures";
import { DEFAULT_HOST, isLoopbackHost, startEmulator, SYSTEM_CLOCK, type RunningEmulator } from "./server";

/** Parsed command line. */
interface CliOptions {
  readonly host: string;
  readonly port: number;
  readonly fixturesFile: string | undefined;
  readonly stateFile: string | undefined;
  readonly help: boolean;
}

/** An error that ends the program with a one-line message and a given exit code. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = "CliError";
  }
}

const USAGE = `Usage: node dist/ecs-emulator.js [--host 127.0.0.1] [--port N] [--fixtures FILE] [--state FILE]

Serves a local emulation of the Alibaba Cloud ECS image API on a loopback address.
  --host HOST      loopback address to bind (127.0.0.0/8, ::1 or localhost); default 127.0.0.1
  --port N         port to listen on; default 0 (any free port)
  --fixtures FILE  JSON fixtures to start from; default the built-in demo fixtures
  --state FILE     load state from FILE at start if it exists, save it there on SIGINT/SIGTERM
  --help           show this text

When ready it prints one JSON line: {"endpoint", "access_key_id", "access_key_secret"}.
`;

/** Reads the command line; throws CliError (exit 2) on anything it does not understand. */
function parseCliArgs(argv: readonly string[]): CliOptions {
  const values = new Map<string, string>();
  let help = false;
  for (let i = 0; i < argv.length; i += 1) {
    const [name, inline] = splitFlag(argv[i] ?? "");
    if (name === "--help" || name === "-h") {
      help = true;
      continue;
    }
    if (!["--host", "--port", "--fixtures", "--state"].includes(name)) {
      throw new CliError(`Unknown argument ${name}; see --help`, 2);
    }
    const value = inline ?? argv[(i += 1)];
    if (value === undefined || value === "") {
      throw new CliError(`Option ${name} needs a value`, 2);
    }
    values.set(name, value);
  }
  return {
    host: values.get("--host") ?? DEFAULT_HOST,
    port: parsePort(values.get("--port") ?? "0"),
    fixturesFile: values.get("--fixtures"),
    stateFile: values.get("--state"),
    help,
  };
}

/** Splits `--name=value`; a plain `--name` has no inline value. */
function splitFlag(arg: string): [string, string | undefined] {
  const equals = arg.indexOf("=");
  return arg.startsWith("--") && equals > 0
    ? [arg.slice(0, equals), arg.slice(equals + 1)]
    : [arg, undefined];
}

/** A port is a whole number from 0 to 65535. */
function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new CliError(`Option --port must be a whole number from 0 to 65535, got ${text}`, 2);
  }
  return port;
}

/**
 * Reads and parses a JSON file; a missing or malformed file is an input error (exit 2). The parser's
 * own message is left out because it quotes the file's text, which may hold a secret.
 */
function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(`Cannot read the ${what} file ${path}: ${errorMessage(error)}`, 2);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CliError(`The ${what} file ${path} is not valid JSON`, 2);
  }
}

/** The fixtures to start from: the file's, or the defaults. */
function loadFixtures(path: string | undefined): Fixtures {
  if (path === undefined) {
    return DEFAULT_FIXTURES;
  }
  try {
    return parseFixtures(readJsonFile(path, "fixtures"));
  } catch (error) {
    throw error instanceof CliError
      ? error
      : new CliError(`Invalid fixtures in ${path}: ${errorMessage(error)}`, 2);
  }
}

/** Restores a saved state into the core; returns the fixtures naming its credentials. */
function loadState(core: EmulatorCore, path: string, fallback: Fixtures): Fixtures {
  const state = readJsonFile(path, "state");
  try {
    core.importState(state);
  } catch (error) {
    throw new CliError(`Invalid state in ${path}: ${errorMessage(error)}`, 2);
  }
  return credentialsOfState(state) ?? fallback;
}

/** The credentials a saved state holds (exportState keeps them in the fixtures' format). */
function credentialsOfState(state: unknown): Fixtures | undefined {
  if (typeof state !== "object" || state === null || !("credentials" in state)) {
    return undefined;
  }
  try {
    return parseFixtures({ credentials: state.credentials });
  } catch {
    return undefined;
  }
}

/** Writes the state next to its target, then renames it over, so a crash never leaves half a file. */
function saveState(core: EmulatorCore, path: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  // The state holds access key secrets, so only the owner may read it.
  writeFileSync(temporary, `${JSON.stringify(core.exportState(), null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}

/** Starts the emulator as the options say. */
async function start(options: CliOptions): Promise<RunningEmulator> {
  if (!isLoopbackHost(options.host)) {
    throw new CliError(
      `Refusing to bind to ${options.host}: the emulator listens on a loopback address only (127.0.0.1, ::1 or localhost)`,
      2,
    );
  }
  let fixtures = loadFixtures(options.fixturesFile);
  const core = createEmulatorCore(fixtures, { clock: SYSTEM_CLOCK });
  if (options.stateFile !== undefined && existsSync(options.stateFile)) {
    fixtures = loadState(core, options.stateFile, fixtures);
  }
  return startEmulator({ fixtures, host: options.host, port: options.port, core });
}

/** Saves the state (if asked), closes every socket and exits 0; exits 1 if saving fails. */
function stopOnSignals(emulator: RunningEmulator, stateFile: string | undefined): void {
  let stopping = false;
  const stop = (): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    try {
      if (stateFile !== undefined) {
        saveState(emulator.core, stateFile);
      }
    } catch (error) {
      fail(new CliError(`Cannot save the state to ${stateFile ?? ""}: ${errorMessage(error)}`, 1));
      return;
    }
    emulator.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        fail(error);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/** One line on stderr and the matching exit code. */
function fail(error: unknown): void {
  process.stderr.write(`ecs-emulator: ${errorMessage(error)}\n`);
  process.exit(error instanceof CliError ? error.exitCode : 1);
}

/** The message of a thrown value. */
function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs the CLI. */
async function main(argv: readonly string[]): Promise<void> {
  const options = parseCliArgs(argv);
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  const emulator = await start(options);
  stopOnSignals(emulator, options.stateFile);
  const { access_key_id, access_key_secret } = emulator.credentials;
  process.stdout.write(
    `${JSON.stringify({ endpoint: emulator.endpoint, access_key_id, access_key_secret })}\n`,
  );
}

main(process.argv.slice(2)).catch(fail);
