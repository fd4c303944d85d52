/**
 * Standard output without `process.stdout`. Why: creating that stream loads Node's net, stream and tty code,
 * about 4 ms of every run's start-up when stdout is a pipe (as under Ansible), for one write of one line.
 */
import { writeSync } from "node:fs";

/** How long to wait before retrying a write to a full non-blocking pipe. */
const FULL_PIPE_RETRY_MS = 1;

/** Blocks the thread for `ms` without spinning (the process has nothing else to do while its output waits). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Writes all of `text` to file descriptor 1 before returning, so that exiting right after loses nothing.
 * A full non-blocking pipe (EAGAIN) is retried until its reader catches up; any other error is thrown.
 */
export function writeStdoutSync(text: string): void {
  const data = Buffer.from(text, "utf8");
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += writeSync(1, data, offset, data.length - offset);
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      pause(FULL_PIPE_RETRY_MS);
    }
  }
}
