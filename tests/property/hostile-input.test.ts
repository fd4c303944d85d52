/**
 * Hostile input (issue 5, point 6): random JSON at every option, random extra keys, nested garbage, and a
 * corpus of broken args files. Every run prints exactly one JSON object, a failure says `failed: true` with a
 * clear `msg` and exit 1, no stack trace is printed, and invalid input makes no API call at all.
 * Most properties run in-process against runModule with a fake gateway (fast); a small sample spawns the
 * real bundle against the emulator and reads its request log.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import type { EcsApi } from "../../src/cloud/ecs-api";
import type { RunningEmulator } from "../../src/emulator/server";
import { startEmulator } from "../../src/emulator/server";
import { OPTIONS } from "../../src/module/options";
import { runModule, type RunOutput } from "../../src/module/run";
import { emulatorEnv, requestLog, spawnBundle, oneJsonObject } from "../e2e/reliability-harness";
import { fakeClock } from "../helpers/fake-clock";
import { fakeEcsApi, type FakeEcsApi } from "../unit/reconcile/fake-ecs-api";

/** Every option name and alias the module documents. */
const OPTION_NAMES: readonly string[] = OPTIONS.flatMap((option) => [option.name, ...option.aliases]);
const STACK_TRACE = /\n\s+at |\.ts:\d+|\.js:\d+/;

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ecs-ami-prop-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** What one in-process run did: the output, and whether (and how) the cloud gateway was used. */
interface InProcessRun {
  readonly output: RunOutput;
  readonly apiCreated: boolean;
  readonly api: FakeEcsApi | undefined;
}

let fileCounter = 0;

/** Runs the module in-process on raw args text with a fake gateway that records every call. */
async function runInProcess(text: string | Buffer): Promise<InProcessRun> {
  fileCounter += 1;
  const path = join(dir, `args-${fileCounter}.json`);
  writeFileSync(path, text);
  let api: FakeEcsApi | undefined;
  const output = await runModule(path, {
    env: { ACS_ENDPOINT: "127.0.0.1:1", ACS_REGION: "cn-hangzhou" },
    clock: fakeClock(),
    runNonce: "nonce",
    createApi: (): Promise<EcsApi> => {
      api = fakeEcsApi();
      return Promise.resolve(api);
    },
  });
  rmSync(path, { force: true });
  return { output, apiCreated: api !== undefined, api };
}

/** The output contract every run keeps, success or failure. */
function expectOneCleanResult(output: RunOutput): void {
  const text = JSON.stringify(output.result);
  expect(JSON.parse(text)).toEqual(output.result);
  expect(text).not.toMatch(STACK_TRACE);
  expect(typeof output.result.msg === "string" || output.result.failed !== true).toBe(true);
  expect(output.exitCode).toBe(output.result.failed === true ? 1 : 0);
}

/** The contract of a rejected run: failed, a clear message, exit 1, no call of any kind. */
function expectCleanRejection(run: InProcessRun): void {
  expectOneCleanResult(run.output);
  expect(run.output.result).toMatchObject({ failed: true, changed: false });
  // Words, though not always spaces: a no_log value of " " masks every space, exactly as Ansible does.
  expect(run.output.result.msg).toEqual(expect.stringMatching(/[A-Za-z]{3,}.*[A-Za-z]{3,}/));
  expect(run.output.exitCode).toBe(1);
  expect(run.apiCreated).toBe(false);
}

/** Any JSON value, nested a few levels (fast-check's own arbitrary). */
const anyJson = fc.jsonValue({ maxDepth: 4 });
/** A key that is neither a documented option nor an Ansible control key. */
const strangeKey = fc
  .string({ minLength: 1, maxLength: 20 })
  .filter((key) => !OPTION_NAMES.includes(key) && !key.startsWith("_ansible_") && key !== "__proto__");
/** Random values under random documented options. */
const randomOptions = fc.dictionary(fc.constantFrom(...OPTION_NAMES), anyJson, { maxKeys: 8 });
/** A value that is never a valid option value: an object full of nested garbage. */
const garbageObject = fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { minKeys: 1, maxKeys: 4 });

describe("hostile input, in-process (runModule with a recording fake gateway)", () => {
  test("random extra keys next to random option values are refused without any call", async () => {
    await fc.assert(
      fc.asyncProperty(
        randomOptions,
        fc.dictionary(strangeKey, anyJson, { minKeys: 1, maxKeys: 3 }),
        async (options, extra) => {
          expectCleanRejection(await runInProcess(JSON.stringify({ ...options, ...extra })));
        },
      ),
      { numRuns: 150 },
    );
  });

  test("nested garbage at any option (except free text converted like Ansible does) is refused without any call", async () => {
    const typedOptions = OPTIONS.filter((option) => option.type !== "str").flatMap((option) => [
      option.name,
      ...option.aliases,
    ]);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...typedOptions), garbageObject, async (name, value) => {
        expectCleanRejection(await runInProcess(JSON.stringify({ [name]: value })));
      }),
      { numRuns: 150 },
    );
  });

  test("random JSON at every option: one clean result; a write only in a run that reports a change", async () => {
    await fc.assert(
      fc.asyncProperty(randomOptions, async (options) => {
        const run = await runInProcess(JSON.stringify(options));
        expectOneCleanResult(run.output);
        const writes = run.api?.writes() ?? [];
        if (writes.length > 0) expect(run.output.result.changed).toBe(true);
        if (run.output.result.failed === true) expect(run.output.result.msg).toEqual(expect.any(String));
      }),
      { numRuns: 200 },
    );
  });

  test("random top-level JSON that is not an object is refused without any call", async () => {
    await fc.assert(
      fc.asyncProperty(
        anyJson.filter((value) => typeof value !== "object" || value === null || Array.isArray(value)),
        async (value) => {
          expectCleanRejection(await runInProcess(JSON.stringify(value)));
        },
      ),
      { numRuns: 100 },
    );
  });

  test("random bytes are refused without any call", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 200 }), async (bytes) => {
        const run = await runInProcess(Buffer.from(bytes));
        expectOneCleanResult(run.output);
        // A few byte strings are valid JSON objects ("{}"): those may reach validation, never a write.
        if (run.output.result.failed === true) expect(run.apiCreated).toBe(false);
        expect(run.api?.writes() ?? []).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});

/** The broken-file corpus: name, file content (undefined: the file does not exist). */
const BROKEN_FILES: readonly (readonly [string, string | Buffer | undefined])[] = [
  ["a missing file", undefined],
  ["an empty file", ""],
  ["text that is not JSON", "status=present image_name=x"],
  ["binary bytes", Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 0x7b])],
  ["a 50 MB file", `{"image_name": "${"a".repeat(50 * 1024 * 1024)}"}`],
  ["a deeply nested value", `{"image_name": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`],
  ["a JSON array", '[{"image_name": "x"}]'],
  ["duplicate keys (the last, invalid, one wins)", '{"status": "present", "status": "bogus"}'],
  ["a truncated object", '{"image_name": "x", "instance_id": '],
  ["a UTF-16 file", Buffer.from('{"image_name": "x"}', "utf16le")],
];

describe("broken args files, in-process", () => {
  test.each(BROKEN_FILES)("%s is refused without any call", async (_name, content) => {
    if (content === undefined) {
      let created = false;
      const output = await runModule(join(dir, "does-not-exist.json"), {
        env: {},
        clock: fakeClock(),
        runNonce: "nonce",
        createApi: () => {
          created = true;
          return Promise.resolve(fakeEcsApi());
        },
      });
      expectCleanRejection({ output, apiCreated: created, api: undefined });
      return;
    }
    expectCleanRejection(await runInProcess(content));
  });
});

describe("hostile input against the real bundle and the emulator (a small sample)", () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator();
  });

  afterAll(async () => {
    await emulator.stop();
  });

  /** Spawns the bundle on an args file with the given content, then checks the output and the request log. */
  async function expectBundleRejects(content: string | Buffer): Promise<void> {
    const path = join(dir, `bundle-${String((fileCounter += 1))}.json`);
    writeFileSync(path, content);
    const run = await spawnBundle({}, emulatorEnv(emulator), { argsFile: path }).done;
    expect(run.exitCode).toBe(1);
    expect(oneJsonObject(run.stdout)).toMatchObject({ failed: true, msg: expect.any(String) });
    expect(run.stdout + run.stderr).not.toMatch(STACK_TRACE);
    expect(await requestLog(emulator)).toEqual([]);
  }

  test("random options with extra keys, spawned: one JSON failure, exit 1, no request", async () => {
    const samples = fc.sample(
      fc.tuple(randomOptions, fc.dictionary(strangeKey, anyJson, { minKeys: 1, maxKeys: 2 })),
      { numRuns: 4, seed: 5 },
    );
    for (const [options, extra] of samples)
      await expectBundleRejects(JSON.stringify({ ...options, ...extra }));
  }, 30_000);

  test.each(BROKEN_FILES.filter(([, content]) => content !== undefined))(
    "%s, spawned: one JSON failure, exit 1, no request",
    async (_name, content) => {
      await expectBundleRejects(content ?? "");
    },
    30_000,
  );
});
