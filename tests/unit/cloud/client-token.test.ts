import { canonicalJson, clientTokenFor, MAX_CLIENT_TOKEN_LENGTH } from "../../../src/cloud/client-token";
import type { ClientTokenRequest } from "../../../src/cloud/client-token";

const BASE: ClientTokenRequest = {
  region: "cn-hangzhou",
  imageName: "web-1",
  imageVersion: "1",
  description: "d",
  tags: { a: "1", b: "2" },
  source: { kind: "instance", instanceId: "i-1" },
};

describe("clientTokenFor()", () => {
  test("clientTokenFor() is deterministic and at most 64 ASCII characters", () => {
    const token = clientTokenFor(BASE);
    expect(clientTokenFor({ ...BASE })).toBe(token);
    expect(token.length).toBeLessThanOrEqual(MAX_CLIENT_TOKEN_LENGTH);
    expect(token).toMatch(/^[\x21-\x7e]+$/);
  });

  test("clientTokenFor() ignores the order of tags", () => {
    expect(clientTokenFor({ ...BASE, tags: { b: "2", a: "1" } })).toBe(clientTokenFor(BASE));
  });

  test.each<[string, Partial<ClientTokenRequest>]>([
    ["region", { region: "cn-shanghai" }],
    ["name", { imageName: "web-2" }],
    ["no name", { imageName: undefined }],
    ["version", { imageVersion: "2" }],
    ["description", { description: "e" }],
    ["tag value", { tags: { a: "1", b: "3" } }],
    ["source", { source: { kind: "snapshot", snapshotId: "s-1" } }],
  ])("clientTokenFor() changes with the %s", (_what, change) => {
    expect(clientTokenFor({ ...BASE, ...change })).not.toBe(clientTokenFor(BASE));
  });

  test("canonicalJson() sorts keys at every level and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"x":2,"y":1}]},"b":1}',
    );
  });
});
