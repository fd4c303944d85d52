/**
 * Entry point of dist/ecs_ami.js: read the args file named by Ansible, run, print exactly one JSON
 * object, exit 0 on success and 1 on failure. The only place that catches everything.
 */
import { randomRunNonce } from "./cloud/client-token";
import type { CloudConfig, EcsApi } from "./cloud/ecs-api";
import { SYSTEM_CLOCK } from "./common/clock";
import { runModule } from "./module/run";
import { failJson, type JsonObject } from "./module/result";

/** Secrets learnt from the arguments, so that even a crash report masks them. */
let knownSecrets: readonly string[] = [];
let printed = false;

/** Prints the one result object; a second call (a crash after the result) prints nothing. */
function printOnce(result: JsonObject, exitCode: 0 | 1): void {
  if (printed) return;
  printed = true;
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exitCode = exitCode;
}

/** A bug reached the top: report it as an Ansible failure, masked, without a stack trace. */
function reportCrash(error: unknown): void {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const msg = `Internal error in ecs_ami (please report it): ${detail}`;
  printOnce(failJson(msg, {}, { moduleArgs: {}, warnings: [], noLogValues: knownSecrets }), 1);
}

/** Loads the SDK adapter only when a run gets as far as the cloud (validation failures never pay for it). */
async function createApi(config: CloudConfig): Promise<EcsApi> {
  const { createEcsApi } = await import("./cloud/ecs-api.js");
  return createEcsApi(config);
}

/** This run's nonce, made on first use. */
let runNonce: string | undefined;

/** Runs the module once for the args file in argv[2]. */
async function main(): Promise<void> {
  const output = await runModule(process.argv[2], {
    env: process.env,
    clock: SYSTEM_CLOCK,
    createApi,
    // A getter, so node:crypto loads only when a run reaches the cloud (validation failures never do).
    get runNonce(): string {
      runNonce ??= randomRunNonce();
      return runNonce;
    },
    onSecrets: (secrets) => {
      knownSecrets = secrets;
    },
  });
  printOnce(output.result, output.exitCode);
}

process.on("uncaughtException", reportCrash);
process.on("unhandledRejection", reportCrash);
main().catch(reportCrash);
