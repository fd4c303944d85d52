/**
 * writeStdoutSync in a child process (it writes to file descriptor 1): all bytes arrive, in order, through a pipe
 * whose reader is slower than the writer, and the process may exit right after the call.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildSync } from "esbuild";

const MIB = 1024 * 1024;
let workDir: string;
let writer: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), "ecs-ami-stdout-"));
  writer = join(workDir, "writer.cjs");
  // The child writes `size` characters (a repeating pattern with a multi-byte one in it), then exits at once.
  const entry = join(workDir, "entry.ts");
  writeFileSync(
    entry,
    `import { writeStdoutSync } from ${JSON.stringify(resolve(__dirname, "../../../src/common/stdout"))};
const size = Number(process.argv[2]);
const pattern = "0123456789abcdé\\n";
writeStdoutSync(pattern.repeat(Math.ceil(size / pattern.length)).slice(0, size));
process.exit(0);
`,
  );
  buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "cjs",
    outfile: writer,
    logLevel: "error",
  });
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

/** Runs the writer; the parent starts reading only after `delayMs`, so the pipe fills up first. */
function runWriter(size: number, delayMs: number): Promise<{ text: string; exitCode: number | null }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [writer, String(size)], { stdio: ["ignore", "pipe", "inherit"] });
    const chunks: Buffer[] = [];
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), delayMs);
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", fail);
    child.on("close", (exitCode) => {
      done({ text: Buffer.concat(chunks).toString("utf8"), exitCode });
    });
  });
}

test.each([
  ["one short line", 40, 0],
  ["2 MiB through a pipe the reader drains late", 2 * MIB, 300],
])("%s arrives whole and in order", async (_name, size, delayMs) => {
  const pattern = "0123456789abcdé\n";
  const expected = pattern.repeat(Math.ceil(size / pattern.length)).slice(0, size);
  const run = await runWriter(size, delayMs);
  expect(run.exitCode).toBe(0);
  expect(run.text.length).toBe(expected.length);
  expect(run.text === expected).toBe(true);
});
