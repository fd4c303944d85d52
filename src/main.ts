/**
 * Entry point of dist/ecs_ami.js: read the args file named by Ansible, run, print exactly one JSON
 * object, exit 0 on success and 1 on failure. The only place that catches everything.
 *
 * SIGTERM and SIGINT abort the run's signal: a wait ends at once and the run reports a failure carrying the
 * image id it knows (the next run adopts that image). A run stuck in a call gets a grace period, then the
 * same kind of failure is printed here from what the steps reported.
 */
import { randomRunNonce } from "./cloud/client-token";
import type { CloudConfig, EcsApi } from "./cloud/ecs-api";
import { SYSTEM_CLOCK } from "./common/clock";
import { writeStdoutSync } from "./common/stdout";
import { runModule } from "./module/run";
import { failJson, type JsonObject } from "./module/result";

/** Secrets learnt from the arguments, so that even a crash report masks them. */
let knownSecrets: readonly string[] = [];
let printed = false;
/** The image id the run's steps reported last (for a failure printed after a signal). */
let knownImageId: string | undefined;
/** Aborted by SIGTERM/SIGINT. */
const interruption = new AbortController();

/** How long a signalled run may take to wind down (end a call in flight, read the image) before we exit. */
const SIGNAL_GRACE_MS = 3_000;

/** Prints the one result object; a second call (a crash after the result) prints nothing. */
function printOnce(result: JsonObject, exitCode: 0 | 1): void {
  if (printed) return;
  printed = true;
  process.exitCode = exitCode;
  writeStdoutSync(`${JSON.stringify(result)}\n`);
  // After a signal, exit now that the output is written: an open keep-alive socket must not keep us alive.
  if (interruption.signal.aborted) process.exit(exitCode);
}

/** The failure printed when a signalled run did not wind down within the grace period. */
function reportInterrupted(signalName: string): void {
  const where = knownImageId === undefined ? "" : ` (image ${knownImageId} was created and is kept)`;
  const msg = `Interrupted by ${signalName} before the run finished${where}`;
  const extra = knownImageId === undefined ? {} : { changed: true, image_id: knownImageId };
  printOnce(failJson(msg, extra, { moduleArgs: {}, warnings: [], noLogValues: knownSecrets }), 1);
}

/** On SIGTERM/SIGINT: abort the run's waits now, and print a failure ourselves if it does not end in time. */
function onSignal(signalName: NodeJS.Signals): void {
  if (interruption.signal.aborted) return;
  interruption.abort(signalName);
  setTimeout(() => {
    reportInterrupted(signalName);
  }, SIGNAL_GRACE_MS).unref();
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
    signal: interruption.signal,
    onStep: (event) => {
      knownImageId = event.imageId ?? knownImageId;
    },
  });
  printOnce(output.result, output.exitCode);
}

process.on("SIGTERM", onSignal);
process.on("SIGINT", onSignal);
process.on("uncaughtException", reportCrash);
process.on("unhandledRejection", reportCrash);
main().catch(reportCrash);
