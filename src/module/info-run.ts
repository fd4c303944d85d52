/**
 * The pipeline of one ecs_ami_info run: args file -> validation (the shared option machinery, its own table)
 * -> connection checks -> one filtered listing -> `images`, a list of the same facts ecs_ami returns as
 * `image`. Read-only: `changed` is always false, and check mode changes nothing.
 */
import type { EcsApi, ImageListFilter, ImageOwner } from "../cloud/ecs-api";
import { CloudConfigError, CloudError } from "../cloud/errors";
import type { ImageState } from "../common/types";
import { withLaunchPermission } from "../reconcile/observe";
import { readArgsFile } from "./args";
import { ECS_AMI_INFO_MODULE } from "./info-options";
import { checkConnection } from "./limits";
import { validateModuleParams, type Env } from "./params";
import { exitJson, failJson, failParams, imageFacts, type JsonObject, type ResultContext } from "./result";
import type { RunDependencies, RunOutput } from "./run";
import { cloudConfigOf } from "./run";
import { infoSchemaValidator } from "./schema-validator";

/** The validated options of ecs_ami_info, canonical snake_case names; null when not given. */
export type InfoParams = {
  readonly acs_access_key: string | null;
  readonly acs_secret_access_key: string | null;
  readonly security_token: string | null;
  readonly region: string | null;
  readonly endpoint: string | null;
  readonly image_ids: readonly string[] | null;
  readonly image_names: readonly string[] | null;
  readonly tags: Readonly<Record<string, string>> | null;
  readonly owner: ImageOwner;
};

/** What an info run needs from the outside world (a subset of ecs_ami's). */
export type InfoDependencies = Pick<RunDependencies, "createApi" | "onSecrets"> & { readonly env: Env };

/** Wraps a result object with its exit code. */
function output(result: JsonObject): RunOutput {
  return { result, exitCode: result.failed === true ? 1 : 0 };
}

/** The listings one run makes: one per exact name (the API's name filter is fuzzy), else one. */
function listFilters(params: InfoParams, region: string): ImageListFilter[] {
  const base: ImageListFilter = {
    region,
    owner: params.owner,
    ...(params.image_ids === null ? {} : { imageIds: params.image_ids }),
    ...(params.tags === null ? {} : { tags: params.tags }),
  };
  if (params.image_names === null) return [base];
  return [...new Set(params.image_names)].map((imageName) => ({ ...base, imageName }));
}

/**
 * Lists the images, each once, oldest first, with their share accounts (one call per shared image).
 * @throws CloudError when a read fails
 */
export async function listImageFacts(api: EcsApi, params: InfoParams, region: string): Promise<ImageState[]> {
  if (params.image_ids?.length === 0 || params.image_names?.length === 0) return [];
  const byId = new Map<string, ImageState>();
  for (const filter of listFilters(params, region)) {
    for (const image of await api.listImages(filter)) byId.set(image.imageId, image);
  }
  const images = [...byId.values()].sort((a, b) => (a.creationTime < b.creationTime ? -1 : 1));
  if (params.owner !== "self") return images;
  return Promise.all(images.map((image) => withLaunchPermission(api, image)));
}

/** The failure result of a cloud or configuration error. */
function infoFailure(error: unknown, region: string, context: ResultContext): JsonObject {
  if (error instanceof CloudConfigError) return failJson(error.message, {}, context);
  if (!(error instanceof CloudError)) throw error;
  const msg = `Failed to list images in region ${region}: ${error.code}: ${error.message}`;
  const cloud = {
    code: error.code,
    message: error.message,
    request_id: error.requestId ?? null,
    http_status: error.httpStatus ?? null,
    action: error.action,
    attempts: error.attempts,
  };
  return failJson(msg, { error: cloud }, context);
}

/**
 * Runs ecs_ami_info on an args file path and returns the result to print; never throws for bad input or
 * cloud errors (only a bug escapes).
 */
export async function runInfoModule(
  argsPath: string | undefined,
  deps: InfoDependencies,
): Promise<RunOutput> {
  const args = readArgsFile(argsPath, ECS_AMI_INFO_MODULE.name);
  if (!args.ok)
    return output(failJson(args.error.msg, {}, { moduleArgs: {}, warnings: [], noLogValues: [] }));
  const validated = validateModuleParams<InfoParams>(args.args, deps.env, {
    definition: ECS_AMI_INFO_MODULE,
    validator: infoSchemaValidator,
  });
  if (!validated.ok) return output(failParams(validated.error));
  deps.onSecrets?.(validated.noLogValues);
  const { params } = validated;
  const context: ResultContext = {
    moduleArgs: { ...params },
    warnings: validated.warnings,
    noLogValues: validated.noLogValues,
  };
  const limit = checkConnection(params);
  if (limit !== undefined) return output(failJson(limit.msg, {}, context));
  const region = params.region ?? "";
  try {
    const api = await deps.createApi(cloudConfigOf(params, region));
    const images = await listImageFacts(api, params, region);
    const msg = `Found ${images.length} image(s) in region ${region}`;
    return output(exitJson({ changed: false, msg, images: images.map(imageFacts) }, context));
  } catch (error: unknown) {
    return output(infoFailure(error, region, context));
  }
}
