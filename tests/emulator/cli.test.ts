import * as $Ecs from "@alicloud/ecs20140526";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { DEFAULT_FIXTURES } from "../../src/emulator/default-fixtures";
import { makeEcsClient } from "../helpers/sdk-client";

const ROOT = resolve(__dirname, "../..");
const BUNDLE = join(ROOT, "dist/ecs-emulator.js");
const DEFAULT_CREDENTIAL = DEFAULT_FIXTURES.credentials![0]!;

/** The one line the emulator prints when ready. */
interface ReadyLine {
  readonly endpoint: string;
  readonly access_key_id: string;
  readonly access_key_secret: string;
}

/** A spawned emulator process. */
interface EmulatorProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<ReadyLine>;
  readonly exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

const children = new Set<ChildProcess>();
let workDir = "";

beforeAll(() => {
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT, stdio: "pipe" });
}, 60_000);

beforeEach(() => {
  workDir = mkdtempSync(join(tmpdir(), "ecs-emulator-cli-"));
});

afterEach(() => {
  for (const child of children) {
    child.kill("SIGKILL");
  }
  children.clear();
  rmSync(workDir, { recursive: true, force: true });
});

/** Spawns the built emulator with the given arguments. */
function spawnEmulator(args: readonly string[]): EmulatorProcess {
  const child = spawn(process.execPath, [BUNDLE, ...args], {
    cwd: workDir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = new Promise<ReadyLine>((resolveReady, rejectReady) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf("\n");
      if (newline !== -1) {
        resolveReady(parseReadyLine(stdout.slice(0, newline)));
      }
    });
    child.once("exit", () => {
      rejectReady(new Error(`The emulator exited before it was ready: ${stderr}`));
    });
  });
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolveExit) => {
    child.once("exit", (code) => {
      children.delete(child);
      resolveExit({ code, stdout, stderr });
    });
  });
  ready.catch(() => undefined);
  return { child, ready, exited };
}

/** Parses the ready line; anything else (e.g. --help text) rejects the ready promise. */
function parseReadyLine(line: string): Promise<ReadyLine> {
  try {
    return Promise.resolve(JSON.parse(line) as ReadyLine);
  } catch {
    return Promise.reject(new Error(`Not a ready line: ${line}`));
  }
}

function describeRequest(status = "Available"): $Ecs.DescribeImagesRequest {
  return new $Ecs.DescribeImagesRequest({ regionId: "cn-hangzhou", status });
}

describe("ecs-emulator CLI", () => {
  test("prints exactly one JSON ready line, serves the SDK, and exits 0 on SIGTERM", async () => {
    const emulator = spawnEmulator(["--port", "0"]);
    const ready = await emulator.ready;
    expect(Object.keys(ready)).toEqual(["endpoint", "access_key_id", "access_key_secret"]);
    expect(ready.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(ready).toMatchObject({
      access_key_id: DEFAULT_CREDENTIAL.access_key_id,
      access_key_secret: DEFAULT_CREDENTIAL.access_key_secret,
    });
    const response = await makeEcsClient(ready.endpoint, ready).describeImages(describeRequest());
    expect(response.statusCode).toBe(200);
    emulator.child.kill("SIGTERM");
    const exit = await emulator.exited;
    expect(exit).toEqual({ code: 0, stdout: `${JSON.stringify(ready)}\n`, stderr: "" });
  });

  test("exits 0 on SIGINT too", async () => {
    const emulator = spawnEmulator([]);
    await emulator.ready;
    emulator.child.kill("SIGINT");
    expect((await emulator.exited).code).toBe(0);
  });

  test("--state saves on SIGTERM (owner-only file) and restores on the next start", async () => {
    const stateFile = join(workDir, "state.json");
    const first = spawnEmulator(["--state", stateFile]);
    const ready = await first.ready;
    const client = makeEcsClient(ready.endpoint, ready);
    const created = await client.createImage(
      new $Ecs.CreateImageRequest({
        regionId: "cn-hangzhou",
        instanceId: "i-bp1demorunning00001",
        imageName: "kept",
      }),
    );
    first.child.kill("SIGTERM");
    expect((await first.exited).code).toBe(0);
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
    const second = spawnEmulator(["--state", stateFile]);
    const again = await second.ready;
    const images = await makeEcsClient(again.endpoint, again).describeImages(
      new $Ecs.DescribeImagesRequest({
        regionId: "cn-hangzhou",
        imageId: created.body?.imageId,
        status: "Creating,Available",
      }),
    );
    expect(images.body?.images?.image?.map((image) => image.imageName)).toEqual(["kept"]);
  });

  test("--fixtures chooses the credentials it prints", async () => {
    const fixturesFile = join(workDir, "fixtures.json");
    const credential = {
      access_key_id: "LTAIcliKey",
      access_key_secret: "cli-secret",
      account_id: "3000000000000003",
    };
    writeFileSync(fixturesFile, JSON.stringify({ credentials: [credential] }));
    const ready = await spawnEmulator(["--fixtures", fixturesFile, "--port=0"]).ready;
    expect(ready).toMatchObject({ access_key_id: "LTAIcliKey", access_key_secret: "cli-secret" });
  });

  test.each(["0.0.0.0", "192.168.1.10", "::", "example.com"])(
    "refuses the non-loopback host %s with one line on stderr and exit 2",
    async (host) => {
      const exit = await spawnEmulator(["--host", host]).exited;
      expect(exit).toEqual({
        code: 2,
        stdout: "",
        stderr: `ecs-emulator: Refusing to bind to ${host}: the emulator listens on a loopback address only (127.0.0.1, ::1 or localhost)\n`,
      });
    },
  );

  test.each([
    [["--port", "http"], "ecs-emulator: Option --port must be a whole number from 0 to 65535, got http\n"],
    [["--port", "70000"], "ecs-emulator: Option --port must be a whole number from 0 to 65535, got 70000\n"],
    [["--verbose"], "ecs-emulator: Unknown argument --verbose; see --help\n"],
    [["--fixtures"], "ecs-emulator: Option --fixtures needs a value\n"],
  ])("refuses bad arguments %j with exit 2", async (args, stderr) => {
    expect(await spawnEmulator(args).exited).toEqual({ code: 2, stdout: "", stderr });
  });

  test("refuses a fixtures file that is not valid, naming the file", async () => {
    const fixturesFile = join(workDir, "bad.json");
    writeFileSync(fixturesFile, JSON.stringify({ credentials: "none" }));
    const exit = await spawnEmulator(["--fixtures", fixturesFile]).exited;
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(new RegExp(`^ecs-emulator: Invalid fixtures in ${fixturesFile}: .+\\n$`));
  });

  test("refuses a state file that is not JSON without quoting it", async () => {
    const stateFile = join(workDir, "state.json");
    writeFileSync(stateFile, '{"credentials": [{"access_key_secret": "leak-me" oops');
    expect(await spawnEmulator(["--state", stateFile]).exited).toEqual({
      code: 2,
      stdout: "",
      stderr: `ecs-emulator: The state file ${stateFile} is not valid JSON\n`,
    });
  });

  test("--help prints the usage and exits 0", async () => {
    const exit = await spawnEmulator(["--help"]).exited;
    expect(exit.code).toBe(0);
    expect(exit.stdout).toMatch(/^Usage: node dist\/ecs-emulator\.js \[--host 127\.0\.0\.1\]/);
  });
});
