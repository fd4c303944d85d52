/**
 * The shape of the built module bundles (scripts/bundle-layout.mjs, issue 6): one file, a small loader, then
 * the program and the SDK as comment lines with V8 code caches. These tests read the built files and run them
 * as Ansible does; they prove the caches really apply on this Node, and that a Node which rejects them, or is
 * too old for the program, still gets a correct answer.
 */
import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "../../src/emulator/server";
import { INFO_BUNDLE, MODULE_BUNDLE, runModuleText } from "../helpers/run-module";
import { REGRESSION_FIXTURES } from "./harness";

const REGION = "cn-hangzhou";
const GOLDEN = "m-bp1golden00000000001";
/** The part tags of a payload line `//<tag> <text>`, in file order. */
const PART_ORDER = ["M", "m", "S", "s", "R"];
/** A V8 flag that changes V8's flag hash, so that every code cache made without it is rejected. */
const CACHE_REJECTING_FLAG = "--stack-size=2000";

let emulator: RunningEmulator;
let workDir: string;

beforeAll(async () => {
  emulator = await startEmulator({ fixtures: REGRESSION_FIXTURES, host: "127.0.0.1", port: 0 });
  workDir = mkdtempSync(join(tmpdir(), "ecs-ami-layout-"));
});

afterAll(async () => {
  await emulator.stop();
  rmSync(workDir, { recursive: true, force: true });
});

/** Module options reaching the test emulator with its first credential. */
function connection(): Record<string, unknown> {
  const credential = REGRESSION_FIXTURES.credentials?.[0];
  return {
    acs_access_key: credential?.access_key_id,
    acs_secret_access_key: credential?.access_key_secret,
    region: REGION,
    endpoint: emulator.endpoint,
  };
}

/** The payload lines of a bundle: `[tag, text]` in file order, from inside its one payload function. */
function payloadLines(text: string): [string, string][] {
  const body = /\nfunction __ecsAmiPayload\(\) \{\n([\s\S]*)\n\}\n$/.exec(text)?.[1];
  if (body === undefined) throw new Error("No payload function at the end of the bundle");
  return body.split("\n").map((line) => {
    const match = /^\/\/([A-Za-z]) ([\s\S]*)$/.exec(line);
    if (match?.[1] === undefined || match[2] === undefined)
      throw new Error(`Not a payload line: ${line.slice(0, 80)}`);
    return [match[1], match[2]];
  });
}

/**
 * Checks in a fresh node (the flags of this test process are not those of a module run) whether the caches of a
 * bundle apply: compiles each part the way the loader does, with its cache. Prints `{ main, sdk }` as
 * cachedDataRejected, each true or false.
 */
function cacheRejections(bundle: string, nodeArgs: readonly string[] = []): { main: boolean; sdk: boolean } {
  const probe = `
    const { readFileSync } = require("fs");
    const { Script } = require("vm");
    const { brotliDecompressSync } = require("zlib");
    const text = readFileSync(${JSON.stringify(bundle)}, "latin1");
    const constant = (name) => JSON.parse(new RegExp("var " + name + " = (\\".*?\\");").exec(text)[1]);
    const part = (tag) => text.split("\\n").filter((l) => l.startsWith("//" + tag + " ")).map((l) => l.slice(3 + tag.length));
    const unpack = (tag) => brotliDecompressSync(Buffer.from(part(tag).join(""), "base64"));
    const main = new Script(constant("MAIN_HEAD") + part("M").join("\\n") + constant("TAIL"), {
      cachedData: Buffer.from(part("m").join(""), "base64"),
    });
    const sdk = new Script(constant("SDK_HEAD") + unpack("S").toString("latin1") + constant("TAIL"), {
      cachedData: unpack("s"),
    });
    process.stdout.write(JSON.stringify({ main: main.cachedDataRejected, sdk: sdk.cachedDataRejected }));
  `;
  const run = spawnSync(process.execPath, [...nodeArgs, "-e", probe], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "" },
  });
  if (run.status !== 0) throw new Error(`Cache probe failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as { main: boolean; sdk: boolean };
}

describe.each([
  ["ecs_ami", MODULE_BUNDLE],
  ["ecs_ami_info", INFO_BUNDLE],
])("the %s bundle", (_name, bundle) => {
  const text = (): string => readFileSync(bundle, "latin1");

  test("is one ASCII script: shebang, WANT_JSON, loader, then every part as comment lines in order", () => {
    const source = text();
    expect(/[\u0080-\uffff]/.test(source)).toBe(false);
    expect(source.split("\n").slice(0, 2)).toEqual([
      "#!/usr/bin/env node",
      "// WANT_JSON: Ansible passes the module arguments as a JSON file",
    ]);
    const tags = payloadLines(source).map(([tag]) => tag);
    expect([...new Set(tags)]).toEqual(PART_ORDER);
    // Only the program spans several lines; each other part is one line.
    for (const tag of PART_ORDER.slice(1)) expect(tags.filter((item) => item === tag)).toHaveLength(1);
  });

  test("carries code caches that this Node accepts for the program and for the SDK", () => {
    expect(cacheRejections(bundle)).toEqual({ main: false, sdk: false });
  });
});

describe("a damaged bundle", () => {
  test.each([
    ["the program", /^\/\/[Mm] /, "The program part"],
    ["the SDK", /^\/\/[Ss] /, "The SDK part"],
  ])("without %s still answers with one Ansible failure, no stack trace", async (what, lines, missing) => {
    const bundle = join(workDir, `without-${what.replace(/\W/g, "-")}.js`);
    const kept = readFileSync(MODULE_BUNDLE, "latin1")
      .split("\n")
      .filter((line) => !lines.test(line));
    writeFileSync(bundle, kept.join("\n"), "latin1");
    const args = JSON.stringify({ ...connection(), status: "present", image_id: GOLDEN });
    const run = await runModuleText(args, {}, bundle);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe("");
    expect(run.result).toMatchObject({
      failed: true,
      changed: false,
      msg: expect.stringContaining(`${missing} of ${bundle} is missing: rebuild it with npm run build`),
    });
  });
});

describe("when the code caches do not apply", () => {
  test("the probe can tell: a V8 flag the build did not use makes V8 reject both caches", () => {
    expect(cacheRejections(MODULE_BUNDLE, [CACHE_REJECTING_FLAG])).toEqual({ main: true, sdk: true });
  });

  test("a validation failure reads the same without them", async () => {
    const args = JSON.stringify({ status: "bogus" });
    const cached = await runModuleText(args);
    const uncached = await runModuleText(args, {}, MODULE_BUNDLE, [CACHE_REJECTING_FLAG]);
    expect(uncached.exitCode).toBe(1);
    expect(uncached.stdout).toBe(cached.stdout);
    expect(uncached.result).toMatchObject({
      msg: "value of status must be one of: present, absent, got: bogus",
    });
  });

  test("a no-op run against the emulator reads the same without them", async () => {
    const args = JSON.stringify({ ...connection(), status: "present", image_id: GOLDEN });
    const cached = await runModuleText(args);
    const uncached = await runModuleText(args, {}, MODULE_BUNDLE, [CACHE_REJECTING_FLAG]);
    expect(cached.result).toMatchObject({ changed: false, failed: false, image_id: GOLDEN });
    expect(uncached.exitCode).toBe(0);
    expect(uncached.stdout).toBe(cached.stdout);
  });
});

describe("on a Node older than the bundle supports", () => {
  /** A preload that makes node report an older version, as an old Node would. */
  function pretendVersion(version: string): string {
    const file = join(workDir, `pretend-${version}.cjs`);
    writeFileSync(
      file,
      `Object.defineProperty(process, "version", { value: "v${version}" });\n` +
        `Object.defineProperty(process.versions, "node", { value: "${version}" });\n`,
    );
    return file;
  }

  test.each([
    ["ecs_ami", MODULE_BUNDLE],
    ["ecs_ami_info", INFO_BUNDLE],
  ])("%s prints one Ansible failure naming both versions and how to fix it", async (name, bundle) => {
    const run = await runModuleText(JSON.stringify({ status: "present" }), {}, bundle, [
      "--require",
      pretendVersion("18.19.0"),
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe("");
    expect(run.result).toEqual({
      failed: true,
      changed: false,
      msg: `${name} needs Node.js 20 or later, but ${process.execPath} is v18.19.0: install a newer Node.js or point ECS_AMI_NODE at one`,
    });
  });

  test("the minimum itself is accepted", async () => {
    const run = await runModuleText(JSON.stringify({ status: "bogus" }), {}, MODULE_BUNDLE, [
      "--require",
      pretendVersion("20.0.0"),
    ]);
    expect(run.result).toMatchObject({ msg: "value of status must be one of: present, absent, got: bogus" });
  });
});

describe("the rest of the SDK, decoded only when something requires it", () => {
  /** A loopback endpoint that answers every call as some gateways do: an XML error, 403 (never retried). */
  async function xmlErrorEndpoint(): Promise<{ server: Server; endpoint: string }> {
    const body =
      '<?xml version="1.0" encoding="UTF-8"?><Error><RequestId>RID-XML-0001</RequestId>' +
      "<HostId>ecs.aliyuncs.com</HostId><Code>Forbidden.RAM</Code>" +
      "<Message>User not authorized to operate on the specified resource.</Message></Error>";
    const server = createServer((request, response) => {
      request.resume();
      request.on("end", () => {
        response.writeHead(403, { "content-type": "text/xml;charset=utf-8" });
        response.end(body);
      });
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("No port");
    return { server, endpoint: `127.0.0.1:${address.port}` };
  }

  test("an error answered as XML is read through it (the SDK parses XML errors with xml2js)", async () => {
    const { server, endpoint } = await xmlErrorEndpoint();
    try {
      const run = await runModuleText(
        JSON.stringify({ ...connection(), endpoint, status: "present", image_id: GOLDEN }),
      );
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toBe("");
      expect(run.result).toMatchObject({
        failed: true,
        msg: expect.stringContaining("User not authorized to operate on the specified resource."),
        error: { code: "Forbidden.RAM", request_id: "RID-XML-0001" },
      });
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});
