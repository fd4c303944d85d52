import { isLoopbackHost, parseEndpoint } from "../../../src/cloud/endpoint";
import { CloudConfigError } from "../../../src/cloud/errors";

describe("parseEndpoint()", () => {
  test.each([
    ["ecs.cn-hangzhou.aliyuncs.com", "ecs.cn-hangzhou.aliyuncs.com", "HTTPS"],
    ["ecs.example.com:8443", "ecs.example.com:8443", "HTTPS"],
    ["https://ecs.example.com", "ecs.example.com", "HTTPS"],
    ["HTTPS://ecs.example.com:443/", "ecs.example.com", "HTTPS"],
    ["https://ecs.example.com:9443", "ecs.example.com:9443", "HTTPS"],
    ["127.0.0.1:8080", "127.0.0.1:8080", "HTTP"],
    ["localhost:9000", "localhost:9000", "HTTP"],
    ["https://127.0.0.1:8443", "127.0.0.1:8443", "HTTPS"],
    ["10.0.0.1:8080", "10.0.0.1:8080", "HTTPS"],
    ["http://127.0.0.1:8080", "127.0.0.1:8080", "HTTP"],
    ["http://127.1.2.3:8080", "127.1.2.3:8080", "HTTP"],
    ["http://localhost:9000", "localhost:9000", "HTTP"],
    ["http://[::1]:9000", "[::1]:9000", "HTTP"],
    ["  http://127.0.0.1:1  ", "127.0.0.1:1", "HTTP"],
  ])("parseEndpoint() accepts %j", (text, host, protocol) => {
    expect(parseEndpoint(text)).toEqual({ host, protocol });
  });

  test.each([
    ["", /must not be empty/],
    ["   ", /must not be empty/],
    ["http://ecs.example.com", /plain HTTP to a host that is not loopback/],
    ["http://10.0.0.1:8080", /plain HTTP to a host that is not loopback/],
    ["http://128.0.0.1", /plain HTTP to a host that is not loopback/],
    ["http://localhost.evil.com", /plain HTTP to a host that is not loopback/],
    ["ftp://ecs.example.com", /has scheme ftp/],
    ["https://ecs.example.com/path", /no path/],
    ["https://user:pw@ecs.example.com", /no path/],
    ["https://ecs.example.com?x=1", /no path/],
    ["http://", /not a valid/],
  ])("parseEndpoint() refuses %j", (text, message) => {
    expect(() => parseEndpoint(text)).toThrow(CloudConfigError);
    expect(() => parseEndpoint(text)).toThrow(message);
  });

  test("parseEndpoint() errors name the option", () => {
    try {
      parseEndpoint("http://example.com");
      throw new Error("no error");
    } catch (error: unknown) {
      expect(error).toBeInstanceOf(CloudConfigError);
      expect((error as CloudConfigError).option).toBe("endpoint");
    }
  });

  test.each([
    ["127.0.0.1", true],
    ["127.255.255.254", true],
    ["localhost", true],
    ["LOCALHOST", true],
    ["::1", true],
    ["[::1]", true],
    ["10.0.0.1", false],
    ["example.com", false],
    ["127.0.0.1.example.com", false],
  ])("isLoopbackHost(%j) is %j", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
