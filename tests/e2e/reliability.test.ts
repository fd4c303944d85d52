/**
 * Reliability of the built bundle against the emulator (issue 5): retries with attempt counts read from the
 * request log, the ClientToken after a lost answer, concurrent runs, eventual consistency, SIGTERM, and
 * transport safety.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mulberry32 } from "../../src/emulator/faults";
import type { RunningEmulator } from "../../src/emulator/server";
import { startEmulator } from "../../src/emulator/server";
import { REGRESSION_FIXTURES } from "./harness";
import {
  controlCall,
  emulatorEnv,
  imagesIn,
  oneJsonObject,
  requestLog,
  setFaults,
  spawnBundle,
  until,
  WRITE_ACTIONS,
} from "./reliability-harness";

const RUNNING = "i-bp1running000000001";
const SNAPSHOT = "s-bp1system40000000001";

let emulator: RunningEmulator;

beforeEach(async () => {
  emulator = await startEmulator({ fixtures: REGRESSION_FIXTURES });
});

afterEach(async () => {
  await emulator.stop();
});

/** Runs one task to the end and returns its parsed result with the raw output. */
async function task(args: Record<string, unknown>, env: Record<string, string> = emulatorEnv(emulator)) {
  const run = await spawnBundle(args, env).done;
  return { ...run, result: oneJsonObject(run.stdout) };
}

/** The log entries of one action. */
async function entriesOf(action: string) {
  return (await requestLog(emulator)).filter((entry) => entry.action === action);
}

/** A seed whose first fault draw hits and second misses at `rate` (one action targeted, one rate set). */
function seedHittingFirstOnly(rate: number): number {
  for (let seed = 1; ; seed += 1) {
    const random = mulberry32(seed);
    if (random() < rate && random() >= rate) return seed;
  }
}

describe("retries against the emulator", () => {
  test("a throttled call is retried until it passes; the log shows every attempt", async () => {
    await setFaults(emulator, { throttle_rate: 0.6, actions: ["DescribeImages"], seed: 3 });
    const run = await task({ image_name: "throttled-1", instance_id: RUNNING });
    expect(run.result).toMatchObject({ failed: false, changed: true });
    const describes = await entriesOf("DescribeImages");
    const throttled = describes.filter((entry) => entry.error_code === "Throttling.User");
    expect(throttled.length).toBeGreaterThan(0);
    expect(describes.filter((entry) => entry.http_status === 200).length).toBeGreaterThan(0);
    expect((await imagesIn(emulator)).filter((image) => image.name === "throttled-1")).toHaveLength(1);
  }, 60_000);

  test("a 5xx is retried within a bounded budget of 5 attempts, then reported with the count", async () => {
    await setFaults(emulator, { server_error_rate: 1, actions: ["DescribeImages"] });
    const run = await task({ image_name: "unavailable-1", instance_id: RUNNING });
    expect(run.exitCode).toBe(1);
    expect(run.result).toMatchObject({
      failed: true,
      msg: expect.stringMatching(/ServiceUnavailable/),
      error: { code: "ServiceUnavailable", http_status: 503, attempts: 5 },
    });
    expect(await entriesOf("DescribeImages")).toHaveLength(5);
    expect((await requestLog(emulator)).filter((entry) => WRITE_ACTIONS.has(entry.action ?? ""))).toEqual([]);
  }, 60_000);

  test("a connection reset is retried: 5 attempts in the log, a clear ECONNRESET failure", async () => {
    await setFaults(emulator, { reset_connection_rate: 1, actions: ["DescribeImages"] });
    const run = await task({ image_name: "reset-1", instance_id: RUNNING });
    expect(run.result).toMatchObject({ failed: true, error: { code: "ECONNRESET", attempts: 5 } });
    const describes = await entriesOf("DescribeImages");
    expect(describes.map((entry) => entry.fault)).toEqual(Array(5).fill("reset_connection"));
  }, 60_000);

  test("a non-throttling 4xx is never retried: one request", async () => {
    const env = { ...emulatorEnv(emulator), ACS_SECRET_ACCESS_KEY: "wrong-secret-0000" };
    const run = await task({ image_name: "bad-key-1", instance_id: RUNNING }, env);
    expect(run.result).toMatchObject({ failed: true, error: { code: "SignatureDoesNotMatch", attempts: 1 } });
    expect(await requestLog(emulator)).toHaveLength(1);
  });

  test("a non-JSON 5xx body (an HTML 502 page) is retried 5 times and reported as NonJsonResponse", async () => {
    let hits = 0;
    const server: Server = createServer((_req, res) => {
      hits += 1;
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html><body>502 Bad Gateway</body></html>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const env = { ...emulatorEnv(emulator), ACS_ENDPOINT: `127.0.0.1:${port}` };
      const run = await task({ image_name: "html-1", instance_id: RUNNING }, env);
      expect(run.result).toMatchObject({ failed: true, error: { code: "NonJsonResponse", attempts: 5 } });
      expect(hits).toBe(5);
      expect(run.stdout + run.stderr).not.toMatch(/\n\s+at |<html>/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);
});

describe("create is retried only thanks to its ClientToken", () => {
  test("a lost CreateImage answer is retried with the same token and returns the same image", async () => {
    const before = new Set((await imagesIn(emulator)).map((image) => image.id));
    await setFaults(emulator, {
      drop_response_rate: 0.5,
      actions: ["CreateImage"],
      seed: seedHittingFirstOnly(0.5),
    });
    // No image_name: the name lookup cannot rescue this run, only the ClientToken can.
    const run = await task({ instance_id: RUNNING, description: "lost answer, no name" });
    expect(run.result).toMatchObject({ failed: false, changed: true });
    const creates = await entriesOf("CreateImage");
    expect(creates.map((entry) => entry.fault)).toEqual(["drop_response", null]);
    const tokens = new Set(creates.map((entry) => entry.params.ClientToken));
    expect(tokens.size).toBe(1);
    expect([...tokens][0]).toMatch(/^[0-9a-f]{64}$/);
    const made = (await imagesIn(emulator)).filter((image) => !before.has(image.id));
    expect(made.map((image) => image.id)).toEqual([run.result?.image_id]);
  }, 60_000);
});

describe("concurrent runs for one image_name", () => {
  test("4 identical runs at once end with exactly one image and the same image_id", async () => {
    await setFaults(emulator, { latency_ms: 150 });
    const runs = await Promise.all(
      [1, 2, 3, 4].map(() => task({ image_name: "race-same-1", instance_id: RUNNING })),
    );
    const ids = new Set(runs.map((run) => run.result?.image_id));
    expect(runs.every((run) => run.result?.failed === false)).toBe(true);
    expect(ids.size).toBe(1);
    expect((await imagesIn(emulator)).filter((image) => image.name === "race-same-1")).toHaveLength(1);
  }, 60_000);

  test("4 different requests for one name: one image; the losers adopt it with changed false", async () => {
    await setFaults(emulator, { latency_ms: 400 });
    const sources = [
      { instance_id: RUNNING },
      { snapshot_id: SNAPSHOT },
      { disk_mapping: [{ device: "/dev/xvda", snapshot_id: SNAPSHOT }] },
      { disk_mapping: [{ device: "/dev/xvda", snapshot_id: SNAPSHOT, disk_size: 40 }] },
    ];
    const runs = await Promise.all(sources.map((source) => task({ image_name: "race-diff-1", ...source })));
    expect(runs.map((run) => run.result?.failed)).toEqual([false, false, false, false]);
    const images = (await imagesIn(emulator)).filter((image) => image.name === "race-diff-1");
    expect(images).toHaveLength(1);
    expect(new Set(runs.map((run) => run.result?.image_id))).toEqual(new Set([images[0]?.id]));
    const changed = runs.filter((run) => run.result?.changed === true);
    expect(changed).toHaveLength(1);
    const creates = await entriesOf("CreateImage");
    expect(creates.filter((entry) => entry.http_status === 200)).toHaveLength(1);
    // With 400 ms per call, the losers' lookups run before the winner's create: they lose on the name.
    const duplicated = creates.filter((entry) => entry.error_code === "InvalidImageName.Duplicated");
    expect(duplicated.length).toBeGreaterThanOrEqual(1);
  }, 60_000);
});

describe("eventual consistency (fault invisible_for_seconds)", () => {
  test("a wait tolerates a new image missing from DescribeImages for a while", async () => {
    await setFaults(emulator, { invisible_for_seconds: 2 });
    const run = await task({ image_name: "late-1", instance_id: RUNNING, wait: true });
    expect(run.result).toMatchObject({ failed: false, changed: true, image: { status: "Available" } });
    const describes = await entriesOf("DescribeImages");
    expect(describes.length).toBeGreaterThanOrEqual(3);
    expect((await entriesOf("CreateImage")).length).toBe(1);
    expect((await imagesIn(emulator)).filter((image) => image.name === "late-1")).toHaveLength(1);
  }, 60_000);

  test("a re-run while the image is still unlisted creates nothing new", async () => {
    await setFaults(emulator, { invisible_for_seconds: 30 });
    const first = await task({ image_name: "late-2", instance_id: RUNNING });
    const second = await task({ image_name: "late-2", instance_id: RUNNING });
    expect(first.result).toMatchObject({ failed: false, changed: true });
    expect(second.result).toMatchObject({ failed: false, image_id: first.result?.image_id });
    expect((await imagesIn(emulator)).filter((image) => image.name === "late-2")).toHaveLength(1);
  }, 60_000);

  test("a lost name race waits for the winner's image to be listed, then adopts it", async () => {
    await setFaults(emulator, { invisible_for_seconds: 2 });
    const first = await task({ image_name: "late-3", instance_id: RUNNING });
    const second = await task({ image_name: "late-3", snapshot_id: SNAPSHOT });
    expect(second.result).toMatchObject({ failed: false, changed: false, image_id: first.result?.image_id });
    expect((await imagesIn(emulator)).filter((image) => image.name === "late-3")).toHaveLength(1);
  }, 60_000);
});

describe("interruption", () => {
  test("SIGTERM during a wait prints one JSON failure with the image id; the next run adopts it", async () => {
    await controlCall(emulator, "POST", "reset", { ...REGRESSION_FIXTURES, image_create_seconds: 600 });
    const spawned = spawnBundle(
      { image_name: "interrupted-1", instance_id: RUNNING, wait: true, wait_timeout: 600 },
      emulatorEnv(emulator),
    );
    await until(async () => {
      const log = await requestLog(emulator);
      const created = log.findIndex((entry) => entry.action === "CreateImage");
      return created >= 0 && log.slice(created + 1).some((entry) => entry.action === "DescribeImages");
    }, 20_000);
    const signalledAt = Date.now();
    spawned.child.kill("SIGTERM");
    const run = await spawned.done;
    expect(Date.now() - signalledAt).toBeLessThan(2_000);
    expect(run.exitCode).toBe(1);
    const result = oneJsonObject(run.stdout);
    const [image] = await imagesIn(emulator).then((all) => all.filter((i) => i.name === "interrupted-1"));
    expect(result).toMatchObject({
      failed: true,
      changed: true,
      image_id: image?.id,
      msg: expect.stringMatching(/^Cancelled while waiting for image m-\S+ in region cn-hangzhou/),
    });
    expect(run.stderr).toBe("");
    const again = await task({ image_name: "interrupted-1", instance_id: RUNNING });
    expect(again.result).toMatchObject({ failed: false, changed: false, image_id: image?.id });
    expect((await imagesIn(emulator)).filter((i) => i.name === "interrupted-1")).toHaveLength(1);
  }, 60_000);

  test("SIGTERM in the middle of a slow call still ends within the grace period with the image id", async () => {
    await controlCall(emulator, "POST", "reset", { ...REGRESSION_FIXTURES, image_create_seconds: 600 });
    const spawned = spawnBundle(
      { image_name: "interrupted-3", instance_id: RUNNING, wait: true },
      emulatorEnv(emulator),
    );
    await until(async () => (await requestLog(emulator)).some((e) => e.action === "CreateImage"), 20_000);
    await setFaults(emulator, { latency_ms: 30_000, actions: ["DescribeImages"] });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const signalledAt = Date.now();
    spawned.child.kill("SIGTERM");
    const run = await spawned.done;
    expect(Date.now() - signalledAt).toBeLessThan(5_000);
    expect(run.exitCode).toBe(1);
    expect(oneJsonObject(run.stdout)).toMatchObject({
      failed: true,
      changed: true,
      image_id: expect.stringMatching(/^m-/),
      msg: expect.stringMatching(
        /^Interrupted by SIGTERM before the run finished \(image m-\S+ was created and is kept\)$/,
      ),
    });
  }, 60_000);

  test("SIGINT works the same way", async () => {
    await controlCall(emulator, "POST", "reset", { ...REGRESSION_FIXTURES, image_create_seconds: 600 });
    const spawned = spawnBundle(
      { image_name: "interrupted-2", instance_id: RUNNING, wait: true },
      emulatorEnv(emulator),
    );
    await until(async () => (await requestLog(emulator)).some((e) => e.action === "CreateImage"), 20_000);
    await until(
      async () => (await requestLog(emulator)).filter((e) => e.action === "DescribeImages").length >= 2,
      20_000,
    );
    spawned.child.kill("SIGINT");
    const run = await spawned.done;
    expect(oneJsonObject(run.stdout)).toMatchObject({ failed: true, image_id: expect.stringMatching(/^m-/) });
  }, 60_000);
});

describe("transport safety", () => {
  test("plain http:// to a host that is not loopback is refused before any request", async () => {
    const env = { ...emulatorEnv(emulator), ACS_ENDPOINT: "http://10.0.0.1:8080" };
    const run = await task({ image_name: "insecure-1", instance_id: RUNNING }, env);
    expect(run.exitCode).toBe(1);
    expect(run.result).toMatchObject({
      failed: true,
      msg: expect.stringMatching(/plain HTTP to a host that is not loopback; use https:\/\//),
    });
  });

  test("https:// is used when asked, even on loopback (the plain emulator never sees a request)", async () => {
    const env = { ...emulatorEnv(emulator), ACS_ENDPOINT: `https://${emulator.endpoint}` };
    const run = await task({ image_name: "tls-1", instance_id: RUNNING }, env);
    expect(run.result).toMatchObject({ failed: true });
    expect(await requestLog(emulator)).toEqual([]);
  }, 60_000);
});
