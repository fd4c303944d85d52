import Ecs from "@alicloud/ecs20140526";
import { $OpenApiUtil } from "@alicloud/openapi-core";

/** Credentials for a client, in the emulator's snake_case spelling. */
export interface ClientCredentials {
  readonly access_key_id: string;
  readonly access_key_secret: string;
  readonly security_token?: string;
}

/** Options of makeEcsClient. */
export interface EcsClientOptions {
  /** Default cn-hangzhou (only selects the endpoint; every request carries its own RegionId). */
  readonly regionId?: string;
  /** Read and connect timeout in ms (both must be set, see reference/ecs-api.md §4); default 10000. */
  readonly timeoutMs?: number;
}

/** The real `@alicloud/ecs20140526` client, pointed at an emulator endpoint (`127.0.0.1:PORT`) over HTTP. */
export function makeEcsClient(
  endpoint: string,
  credentials: ClientCredentials,
  options: EcsClientOptions = {},
): Ecs {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const config = new $OpenApiUtil.Config({
    endpoint,
    protocol: "HTTP",
    regionId: options.regionId ?? "cn-hangzhou",
    accessKeyId: credentials.access_key_id,
    accessKeySecret: credentials.access_key_secret,
    readTimeout: timeoutMs,
    connectTimeout: timeoutMs,
  });
  if (credentials.security_token !== undefined) {
    config.securityToken = credentials.security_token;
  }
  return new Ecs(config);
}

/** The fields of an SDK v7 error that tests assert on. */
export interface SdkError {
  readonly name: string;
  readonly code: string | undefined;
  readonly statusCode: number | undefined;
  readonly data: Record<string, unknown> | undefined;
  readonly retryAfter: number | undefined;
  readonly message: string;
}

/** Awaits a call that must fail and returns the SDK error's fields; fails the test when it succeeds. */
export async function sdkError(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (error) {
    return sdkErrorFields(error);
  }
  throw new Error("Expected the call to fail, but it succeeded");
}

/** Reads the fields by duck typing: errors raised inside node core come from another realm than jest's. */
function sdkErrorFields(error: unknown): SdkError {
  if (typeof error !== "object" || error === null) {
    throw new Error(`Expected an error object, got ${String(error)}`);
  }
  const fields = error as Partial<
    Record<"name" | "message" | "code" | "statusCode" | "data" | "retryAfter", unknown>
  >;
  return {
    name: typeof fields.name === "string" ? fields.name : "",
    code: typeof fields.code === "string" ? fields.code : undefined,
    statusCode: typeof fields.statusCode === "number" ? fields.statusCode : undefined,
    data:
      typeof fields.data === "object" && fields.data !== null
        ? (fields.data as Record<string, unknown>)
        : undefined,
    retryAfter: typeof fields.retryAfter === "number" ? fields.retryAfter : undefined,
    message: typeof fields.message === "string" ? fields.message : "",
  };
}
