import * as $Ecs from "@alicloud/ecs20140526";

import type { RunningEmulator } from "../../src/emulator/server";
import {
  canonicalQueryString,
  createNonceStore,
  parseAcsDate,
  parseAuthorization,
  percentEncode,
} from "../../src/emulator/signature";
import { makeEcsClient, sdkError } from "../helpers/sdk-client";
import {
  acsDate,
  sendRaw,
  signatureOf,
  signRequest,
  type SignInput,
  type SignedRequest,
} from "../helpers/signer";
import { control, startTestEmulator, stopTestEmulators } from "../helpers/start-emulator";

const DESCRIBE_PARAMS = { RegionId: "cn-hangzhou", Status: "Available" };
const SDK_DESCRIBE = { regionId: "cn-hangzhou", status: "Available" };
const MINUTE_MS = 60_000;

afterEach(stopTestEmulators);

function signFor(emulator: RunningEmulator, overrides: Partial<SignInput> = {}): SignedRequest {
  return signRequest({
    endpoint: emulator.endpoint,
    action: "DescribeImages",
    params: DESCRIBE_PARAMS,
    accessKeyId: emulator.credentials.access_key_id,
    accessKeySecret: emulator.credentials.access_key_secret,
    ...overrides,
  });
}

/** Asserts an error body: exact code, message and status, and nothing that could leak a secret. */
function expectError(
  emulator: RunningEmulator,
  response: { status: number; text: string; json: Record<string, unknown> | undefined },
  expected: { status: number; code: string; message: string },
): void {
  expect(response.status).toBe(expected.status);
  expect(response.json).toMatchObject({
    Code: expected.code,
    Message: expected.message,
    HostId: "ecs.aliyuncs.com",
  });
  expect(response.text).not.toContain(emulator.credentials.access_key_secret);
  expect(response.text).not.toContain("ACS3-HMAC-SHA256\n");
}

describe("verifyRequest() through the real SDK", () => {
  test("accepts a call signed by the SDK", async () => {
    const emulator = await startTestEmulator();
    const client = makeEcsClient(emulator.endpoint, emulator.credentials);
    const response = await client.describeImages(new $Ecs.DescribeImagesRequest(SDK_DESCRIBE));
    expect(response.statusCode).toBe(200);
    expect(response.body?.requestId).toMatch(
      /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/,
    );
  });

  test("answers SignatureDoesNotMatch (400) for a wrong secret", async () => {
    const emulator = await startTestEmulator();
    const client = makeEcsClient(emulator.endpoint, {
      ...emulator.credentials,
      access_key_secret: "wrong-secret",
    });
    const error = await sdkError(client.describeImages(new $Ecs.DescribeImagesRequest(SDK_DESCRIBE)));
    expect(error).toMatchObject({ name: "ClientError", code: "SignatureDoesNotMatch", statusCode: 400 });
    expect(error.data).toMatchObject({ Message: "Specified signature is not matched with our calculation." });
    expect(JSON.stringify(error.data)).not.toContain("wrong-secret");
  });

  test("answers InvalidAccessKeyId.NotFound (404) for an unknown key", async () => {
    const emulator = await startTestEmulator();
    const client = makeEcsClient(emulator.endpoint, { access_key_id: "LTAIunknown", access_key_secret: "x" });
    const error = await sdkError(client.describeImages(new $Ecs.DescribeImagesRequest(SDK_DESCRIBE)));
    expect(error).toMatchObject({
      name: "ClientError",
      code: "InvalidAccessKeyId.NotFound",
      statusCode: 404,
    });
    expect(error.data).toMatchObject({ Message: "Specified access key is not found." });
  });

  test("accepts the STS variant and records that a token was used, never the token", async () => {
    const emulator = await startTestEmulator();
    const token = "CAISsts-token-value-for-the-test";
    const client = makeEcsClient(emulator.endpoint, { ...emulator.credentials, security_token: token });
    const response = await client.describeImages(new $Ecs.DescribeImagesRequest(SDK_DESCRIBE));
    expect(response.statusCode).toBe(200);
    const log = await control(emulator, "GET", "/_emulator/requests");
    expect(log.body).toMatchObject({ requests: [{ action: "DescribeImages", used_security_token: true }] });
    expect(JSON.stringify(log.body)).not.toContain(token);
  });

  test("answers InvalidTimeStamp.Expired when the emulator clock is 16 minutes ahead", async () => {
    const emulator = await startTestEmulator({ clock: { now: () => Date.now() + 16 * MINUTE_MS } });
    const client = makeEcsClient(emulator.endpoint, emulator.credentials);
    const error = await sdkError(client.describeImages(new $Ecs.DescribeImagesRequest(SDK_DESCRIBE)));
    expect(error).toMatchObject({ code: "InvalidTimeStamp.Expired", statusCode: 400 });
  });
});

describe("verifyRequest() on hand-signed requests", () => {
  test("accepts the independent signer's request, with special characters in values", async () => {
    const emulator = await startTestEmulator();
    const params = { ...DESCRIBE_PARAMS, ImageName: "a b!'()*~+&=/中文" };
    const response = await sendRaw(emulator.endpoint, signFor(emulator, { params }));
    expect(response.status).toBe(200);
  });

  test("answers SignatureDoesNotMatch when one query value is tampered with", async () => {
    const emulator = await startTestEmulator();
    const request = signFor(emulator);
    request.query = request.query.replace("RegionId=cn-hangzhou", "RegionId=cn-shanghai");
    expectError(emulator, await sendRaw(emulator.endpoint, request), {
      status: 400,
      code: "SignatureDoesNotMatch",
      message: "Specified signature is not matched with our calculation.",
    });
  });

  test("answers SignatureDoesNotMatch when a signed header is tampered with", async () => {
    const emulator = await startTestEmulator();
    const request = signFor(emulator);
    request.headers["x-acs-action"] = "DeleteImage";
    expectError(emulator, await sendRaw(emulator.endpoint, request), {
      status: 400,
      code: "SignatureDoesNotMatch",
      message: "Specified signature is not matched with our calculation.",
    });
  });

  test("answers InvalidTimeStamp.Expired for a date 16 minutes old or ahead, accepts 14 minutes", async () => {
    const emulator = await startTestEmulator();
    const expired = {
      status: 400,
      code: "InvalidTimeStamp.Expired",
      message: "Specified time stamp or date value is expired.",
    };
    const old = signFor(emulator, { date: acsDate(Date.now() - 16 * MINUTE_MS) });
    expectError(emulator, await sendRaw(emulator.endpoint, old), expired);
    const ahead = signFor(emulator, { date: acsDate(Date.now() + 16 * MINUTE_MS) });
    expectError(emulator, await sendRaw(emulator.endpoint, ahead), expired);
    const recent = signFor(emulator, { date: acsDate(Date.now() - 14 * MINUTE_MS) });
    expect((await sendRaw(emulator.endpoint, recent)).status).toBe(200);
  });

  test("answers InvalidTimeStamp.Expired for a tampered date (checked before the signature)", async () => {
    const emulator = await startTestEmulator();
    const request = signFor(emulator);
    request.headers["x-acs-date"] = acsDate(Date.now() - 60 * MINUTE_MS);
    expect((await sendRaw(emulator.endpoint, request)).json).toMatchObject({
      Code: "InvalidTimeStamp.Expired",
    });
  });

  test("answers InvalidTimeStamp.Format for an unparseable date and MissingParameter for none", async () => {
    const emulator = await startTestEmulator();
    const garbled = signFor(emulator, { date: "yesterday" });
    expectError(emulator, await sendRaw(emulator.endpoint, garbled), {
      status: 400,
      code: "InvalidTimeStamp.Format",
      message: "Specified time stamp or date value is not well formatted.",
    });
    const missing = signFor(emulator);
    delete missing.headers["x-acs-date"];
    expectError(emulator, await sendRaw(emulator.endpoint, missing), {
      status: 400,
      code: "MissingParameter",
      message:
        'The input parameter "x-acs-date" that is mandatory for processing this request is not supplied.',
    });
  });

  test("answers SignatureNonceUsed when a request is replayed, even re-signed", async () => {
    const emulator = await startTestEmulator();
    const request = signFor(emulator, { nonce: "nonce-under-test" });
    expect((await sendRaw(emulator.endpoint, request)).status).toBe(200);
    const used = {
      status: 400,
      code: "SignatureNonceUsed",
      message: "Specified signature nonce was used already.",
    };
    expectError(emulator, await sendRaw(emulator.endpoint, request), used);
    const resigned = signFor(emulator, { nonce: "nonce-under-test", params: { RegionId: "cn-shanghai" } });
    expectError(emulator, await sendRaw(emulator.endpoint, resigned), used);
  });

  test("does not burn the nonce of a request whose signature fails", async () => {
    const emulator = await startTestEmulator();
    const forged = signFor(emulator, { nonce: "n-1", accessKeySecret: "not-the-secret" });
    expect((await sendRaw(emulator.endpoint, forged)).json).toMatchObject({ Code: "SignatureDoesNotMatch" });
    expect((await sendRaw(emulator.endpoint, signFor(emulator, { nonce: "n-1" }))).status).toBe(200);
  });

  test("answers MissingParameter (400) without an Authorization header", async () => {
    const emulator = await startTestEmulator();
    const request = signFor(emulator);
    delete request.headers.authorization;
    expectError(emulator, await sendRaw(emulator.endpoint, request), {
      status: 400,
      code: "MissingParameter",
      message:
        'The input parameter "Authorization" that is mandatory for processing this request is not supplied.',
    });
  });

  test.each([
    ["another scheme", "AWS4-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature=00"],
    ["no signature", "ACS3-HMAC-SHA256 Credential=LTAI,SignedHeaders=host;x-acs-date"],
    [
      "a signature that is not hex",
      `ACS3-HMAC-SHA256 Credential=LTAI,SignedHeaders=host,Signature=${"z".repeat(64)}`,
    ],
    ["garbage", "!!!"],
  ])("answers IncompleteSignature (400) for a garbled Authorization header: %s", async (_name, header) => {
    const emulator = await startTestEmulator();
    const request = signFor(emulator);
    request.headers.authorization = header;
    const response = await sendRaw(emulator.endpoint, request);
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ Code: "IncompleteSignature" });
    expect(response.json?.Message).toMatch(/^The request signature does not conform to Aliyun standards\. /);
  });

  test("answers IncompleteSignature when a required header is left out of SignedHeaders", async () => {
    const emulator = await startTestEmulator();
    const request = signFor(emulator);
    request.headers.authorization = request.headers.authorization!.replace(";x-acs-signature-nonce", "");
    const response = await sendRaw(emulator.endpoint, request);
    expect(response.json).toMatchObject({
      Code: "IncompleteSignature",
      Message:
        "The request signature does not conform to Aliyun standards. SignedHeaders must include x-acs-signature-nonce",
    });
  });

  test("answers InvalidParameter when the body does not hash to x-acs-content-sha256", async () => {
    const emulator = await startTestEmulator();
    const request = signFor(emulator);
    request.body = "tampered body";
    const response = await sendRaw(emulator.endpoint, request);
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      Code: "InvalidParameter",
      Message: "The x-acs-content-sha256 header does not match the SHA-256 of the request body.",
    });
  });

  test("answers InvalidAccessKeyId.NotFound for an unknown key", async () => {
    const emulator = await startTestEmulator();
    const response = await sendRaw(emulator.endpoint, signFor(emulator, { accessKeyId: "LTAInobody" }));
    expectError(emulator, response, {
      status: 404,
      code: "InvalidAccessKeyId.NotFound",
      message: "Specified access key is not found.",
    });
  });

  test("never puts the signature into the response", async () => {
    const emulator = await startTestEmulator();
    const request = signFor(emulator, { accessKeySecret: "wrong" });
    const response = await sendRaw(emulator.endpoint, request);
    expect(response.text).not.toContain(signatureOf(request));
  });
});

describe("signature building blocks", () => {
  test("percentEncode() encodes like the SDK: !'()* escaped, ~ literal, space as %20", () => {
    expect(percentEncode("a b!'()*~-_.中")).toBe("a%20b%21%27%28%29%2A~-_.%E4%B8%AD");
  });

  test("canonicalQueryString() sorts by code unit and keeps empty values", () => {
    expect(canonicalQueryString({ "Tag.1.Value": "", RegionId: "cn-hangzhou", "Tag.1.Key": "k" })).toBe(
      "RegionId=cn-hangzhou&Tag.1.Key=k&Tag.1.Value=",
    );
  });

  test("parseAuthorization() reads the three fields and rejects anything else", () => {
    const signature = "a".repeat(64);
    expect(
      parseAuthorization(
        `ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;x-acs-date,Signature=${signature}`,
      ),
    ).toEqual({
      accessKeyId: "AK",
      signedHeaders: ["host", "x-acs-date"],
      signature,
    });
    expect(
      parseAuthorization(`ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=Host,Signature=${signature}`),
    ).toBeUndefined();
    expect(parseAuthorization("ACS3-HMAC-SHA256 Credential=AK")).toBeUndefined();
  });

  test("parseAcsDate() accepts only YYYY-MM-DDTHH:mm:ssZ", () => {
    expect(parseAcsDate("2026-01-02T03:04:05Z")).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(parseAcsDate("2026-01-02T03:04:05.000Z")).toBeUndefined();
    expect(parseAcsDate("2026-13-45T03:04:05Z")).toBeUndefined();
  });

  test("createNonceStore() rejects a reuse, forgets after the TTL and stays bounded", () => {
    const store = createNonceStore({ ttlMs: 1000, maxEntries: 3 });
    expect(store.remember("a", 0)).toBe(true);
    expect(store.remember("a", 999)).toBe(false);
    expect(store.remember("a", 1000)).toBe(true);
    for (const nonce of ["b", "c", "d", "e"]) {
      store.remember(nonce, 1500);
    }
    expect(store.size()).toBe(3);
    expect(store.remember("e", 1500)).toBe(false);
  });
});
