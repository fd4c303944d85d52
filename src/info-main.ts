/**
 * Entry point of dist/ecs_ami_info.js: read the args file named by Ansible, list the images, print exactly one
 * JSON object, exit 0 on success and 1 on failure. The only place of that program that catches everything.
 */
import type { CloudConfig, EcsApi } from "./cloud/ecs-api";
import { runInfoModule } from "./module/info-run";
import { writeStdoutSync } from "./common/stdout";
import { failJson, type JsonObject } from "./module/result";

/** Secrets learnt from the arguments, so that even a crash report masks them. */
let knownSecrets: readonly string[] = [];
let printed = false;

/** Prints the one result object; a second call (a crash after the result) prints nothing. */
function printOnce(result: JsonObject, exitCode: 0 | 1): void {
  if (printed) return;
  printed = true;
  process.exitCode = exitCode;
  writeStdoutSync(`${JSON.stringify(result)}\n`);
}

/** A bug reached the top: report it as an Ansible failure, masked, without a stack trace. */
function reportCrash(error: unknown): void {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const msg = `Internal error in ecs_ami_info (please report it): ${detail}`;
  printOnce(failJson(msg, {}, { moduleArgs: {}, warnings: [], noLogValues: knownSecrets }), 1);
}

/** Loads the SDK adapter only when a run gets as far as the cloud (validation failures never pay for it). */
async function createApi(config: CloudConfig): Promise<EcsApi> {
  const { createEcsApi } = await import("./cloud/ecs-api.js");
  return createEcsApi(config);
}

/** Runs the info module once for the args file in argv[2]. */
async function main(): Promise<void> {
  const output = await runInfoModule(process.argv[2], {
    env: process.env,
    createApi,
    onSecrets: (values) => {
      knownSecrets = values;
    },
  });
  printOnce(output.result, output.exitCode);
}

main().catch(reportCrash);
