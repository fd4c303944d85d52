import * as $Ecs from "@alicloud/ecs20140526";

import { mulberry32, NO_FAULTS, parseFaultSettings } from "../../src/emulator/faults";
import type { RunningEmulator } from "../../src/emulator/server";
import { makeEcsClient, sdkError } from "../helpers/sdk-client";
import { control, startTestEmulator, stopTestEmulators } from "../helpers/start-emulator";

const REGION = "cn-hangzhou";
const RUNNING_INSTANCE = "i-bp1demorunning00001";

afterEach(stopTestEmulators);

function clientFor(emulator: RunningEmulator): ReturnType<typeof makeEcsClient> {
  return makeEcsClient(emulator.endpoint, emulator.credentials, { timeoutMs: 5000 });
}

function describeImages(
  emulator: RunningEmulator,
  status = "Available",
): ReturnType<ReturnType<typeof makeEcsClient>["describeImages"]> {
  return clientFor(emulator).describeImages(new $Ecs.DescribeImagesRequest({ regionId: REGION, status }));
}

function createImage(
  emulator: RunningEmulator,
  imageName: string,
): ReturnType<ReturnType<typeof makeEcsClient>["createImage"]> {
  return clientFor(emulator).createImage(
    new $Ecs.CreateImageRequest({ regionId: REGION, instanceId: RUNNING_INSTANCE, imageName }),
  );
}

async function setFaults(emulator: RunningEmulator, body: unknown): Promise<void> {
  const response = await control(emulator, "POST", "/_emulator/faults", body);
  expect(response.status).toBe(200);
}

/** Outcome of one DescribeImages call: "ok" or the error code. */
async function outcome(emulator: RunningEmulator): Promise<string> {
  try {
    await describeImages(emulator);
    return "ok";
  } catch (error) {
    return String((error as { code?: unknown }).code);
  }
}

async function outcomes(emulator: RunningEmulator, count: number): Promise<string[]> {
  const results: string[] = [];
  for (let i = 0; i < count; i += 1) {
    results.push(await outcome(emulator));
  }
  return results;
}

async function imageNames(emulator: RunningEmulator, status: string): Promise<string[]> {
  const response = await describeImages(emulator, status);
  return (response.body?.images?.image ?? []).map((image) => image.imageName ?? "");
}

async function firstLogEntry(emulator: RunningEmulator): Promise<unknown> {
  const log = await control(emulator, "GET", "/_emulator/requests");
  return (log.body as { requests: unknown[] }).requests[0];
}

describe("POST /_emulator/faults: transport and service faults", () => {
  test("throttle_rate 1 gives the SDK's ThrottlingError with code Throttling.User and retryAfter", async () => {
    const emulator = await startTestEmulator();
    await setFaults(emulator, { throttle_rate: 1 });
    const error = await sdkError(describeImages(emulator));
    expect(error).toMatchObject({
      name: "ThrottlingError",
      code: "Throttling.User",
      statusCode: 400,
      retryAfter: 100,
    });
    expect(error.data).toMatchObject({ Message: "Request was denied due to user flow control." });
    const log = await control(emulator, "GET", "/_emulator/requests");
    expect(log.body).toMatchObject({
      requests: [{ http_status: 400, error_code: "Throttling.User", fault: "throttle" }],
    });
  });

  test("server_error_rate 1 gives ServiceUnavailable (503) as the SDK's ServerError", async () => {
    const emulator = await startTestEmulator();
    await setFaults(emulator, { server_error_rate: 1 });
    const error = await sdkError(describeImages(emulator));
    expect(error).toMatchObject({ name: "ServerError", code: "ServiceUnavailable", statusCode: 503 });
    expect(error.data).toMatchObject({
      Message: "The request has failed due to a temporary failure of the server.",
    });
  });

  test("latency_ms delays every answer by at least that long", async () => {
    const emulator = await startTestEmulator();
    await setFaults(emulator, { latency_ms: 150 });
    const started = Date.now();
    await describeImages(emulator);
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
  });

  test("reset_connection_rate 1 destroys the socket before the action runs", async () => {
    const emulator = await startTestEmulator();
    await setFaults(emulator, { reset_connection_rate: 1 });
    const error = await sdkError(createImage(emulator, "never-created"));
    expect(error.name).not.toMatch(/ClientError|ServerError|ThrottlingError/);
    expect(error.message).toMatch(/socket hang up|ECONNRESET/);
    await setFaults(emulator, {});
    expect(await imageNames(emulator, "Creating,Available")).not.toContain("never-created");
    expect(await firstLogEntry(emulator)).toMatchObject({
      action: "CreateImage",
      http_status: null,
      fault: "reset_connection",
    });
  });

  test("drop_response_rate 1 carries the action out but sends no response", async () => {
    const emulator = await startTestEmulator();
    await setFaults(emulator, { drop_response_rate: 1 });
    const error = await sdkError(createImage(emulator, "dropped-answer"));
    expect(error.message).toMatch(/socket hang up|ECONNRESET/);
    await setFaults(emulator, {});
    expect(await imageNames(emulator, "Creating")).toEqual(["dropped-answer"]);
    expect(await firstLogEntry(emulator)).toMatchObject({
      action: "CreateImage",
      http_status: null,
      fault: "drop_response",
    });
  });

  test("actions limits the faults to the listed actions", async () => {
    const emulator = await startTestEmulator();
    await setFaults(emulator, { throttle_rate: 1, actions: ["CreateImage"] });
    expect((await describeImages(emulator)).statusCode).toBe(200);
    expect((await sdkError(createImage(emulator, "throttled"))).code).toBe("Throttling.User");
  });

  test("{} clears every fault", async () => {
    const emulator = await startTestEmulator();
    await setFaults(emulator, { throttle_rate: 1, server_error_rate: 1, latency_ms: 10 });
    await setFaults(emulator, {});
    expect(await control(emulator, "GET", "/_emulator/faults")).toEqual({ status: 200, body: NO_FAULTS });
    expect(await outcome(emulator)).toBe("ok");
  });
});

describe("POST /_emulator/faults: reproducibility", () => {
  test("the same seed gives the same sequence of faults; another seed gives another", async () => {
    const emulator = await startTestEmulator();
    await setFaults(emulator, { throttle_rate: 0.5, seed: 42 });
    const first = await outcomes(emulator, 16);
    await setFaults(emulator, { throttle_rate: 0.5, seed: 42 });
    expect(await outcomes(emulator, 16)).toEqual(first);
    expect(first).toContain("ok");
    expect(first).toContain("Throttling.User");
    await setFaults(emulator, { throttle_rate: 0.5, seed: 7 });
    expect(await outcomes(emulator, 16)).not.toEqual(first);
  });

  test("without a seed the default seed still makes runs reproducible", async () => {
    const emulator = await startTestEmulator();
    await setFaults(emulator, { server_error_rate: 0.5 });
    const first = await outcomes(emulator, 12);
    await setFaults(emulator, { server_error_rate: 0.5 });
    expect(await outcomes(emulator, 12)).toEqual(first);
  });

  test("mulberry32() is deterministic and stays in [0, 1)", () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    const draws = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(draws);
    expect(draws.every((value) => value >= 0 && value < 1)).toBe(true);
  });
});

describe("POST /_emulator/faults: fail_image_names", () => {
  test("an image with a failing name ends CreateFailed", async () => {
    const emulator = await startTestEmulator();
    await setFaults(emulator, { fail_image_names: ["doomed-image"] });
    await createImage(emulator, "doomed-image");
    await createImage(emulator, "healthy-image");
    await control(emulator, "POST", "/_emulator/complete");
    expect(await imageNames(emulator, "CreateFailed")).toEqual(["doomed-image"]);
    expect(await imageNames(emulator, "Available")).toContain("healthy-image");
  });
});

describe("POST /_emulator/faults: validation", () => {
  test.each([
    [{ throttle_rate: 2 }, "throttle_rate must be a number between 0 and 1, got 2"],
    [{ drop_response_rate: "0.5" }, 'drop_response_rate must be a number between 0 and 1, got "0.5"'],
    [{ latency_ms: -1 }, "latency_ms must be a whole number from 0 to 60000, got -1"],
    [{ actions: "CreateImage" }, 'actions must be a list of non-empty strings, got "CreateImage"'],
    [{ fail_image_names: [1] }, "fail_image_names must be a list of non-empty strings, got [1]"],
    [{ seed: 1.5 }, "seed must be a whole number from 0 to 4294967295, got 1.5"],
    [[], "The faults body must be a JSON object"],
    [
      { throttle: 1 },
      "Unknown fault setting throttle; known settings are throttle_rate, server_error_rate, reset_connection_rate, drop_response_rate, latency_ms, fail_image_names, actions, seed, invisible_for_seconds",
    ],
  ])("a bad body %j answers 400 with a clear message", async (body, message) => {
    const emulator = await startTestEmulator();
    expect(await control(emulator, "POST", "/_emulator/faults", body)).toEqual({
      status: 400,
      body: { error: message },
    });
  });

  test("a body that is not JSON answers 400", async () => {
    const emulator = await startTestEmulator();
    const response = await control(emulator, "POST", "/_emulator/faults", "rate=1");
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: expect.stringMatching(/^The request body is not valid JSON: /) as unknown,
    });
  });

  test("parseFaultSettings() fills defaults for a partial body", () => {
    expect(parseFaultSettings({ latency_ms: 5, actions: ["DeleteImage"] })).toEqual({
      ...NO_FAULTS,
      latency_ms: 5,
      actions: ["DeleteImage"],
    });
  });
});
