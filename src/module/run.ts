/**
 * The pipeline of one module run (style.md §2): args file -> validation -> limits -> desired image ->
 * reconcile -> one Ansible result. Every failure becomes a result value here; main.ts only prints.
 */
import type { EcsApi, CloudConfig } from "../cloud/ecs-api";
import {
  ACTION_VERBS,
  CancelledError,
  CloudConfigError,
  CloudError,
  WaitFailedError,
  WaitTimeoutError,
} from "../cloud/errors";
import type { CancelSignal } from "../cloud/wait";
import type { Clock } from "../common/clock";
import type { DesiredImage, ImageState } from "../common/types";
import { PartialFailureError, PlanRefusedError } from "../reconcile/errors";
import { readImage } from "../reconcile/observe";
import type { ImageView } from "../reconcile/plan";
import type { SnapshotCleanup } from "../reconcile/snapshots";
import type { StepEvent } from "../reconcile/apply";
import { reconcileImage, type Outcome, type ReconcileOptions } from "../reconcile/reconcile";
import { readArgsFile } from "./args";
import { ECS_AMI_MODULE } from "./options";
import { toDesiredImage } from "./desired";
import { checkLimits, type ConnectionParams } from "./limits";
import { validateParams, type ControlFlags, type Env, type Params } from "./params";
import {
  exitJson,
  failJson,
  failParams,
  imageFacts,
  moduleArgsOf,
  type JsonObject,
  type ResultContext,
} from "./result";

/** What a run needs from the outside world, injectable for tests. */
export interface RunDependencies {
  readonly env: Env;
  readonly clock: Clock;
  /** Builds the cloud gateway; loaded lazily so that a validation failure never loads the SDK. */
  readonly createApi: (config: CloudConfig) => Promise<EcsApi>;
  /** Aborted on SIGTERM/SIGINT: waits end at once and the run reports what it knows. */
  readonly signal?: CancelSignal;
  /** Called after each completed step, e.g. so that a signal handler knows the image id. */
  readonly onStep?: (event: StepEvent) => void;
  /**
   * A value unique to this run: a create without image_name must make a new image every run, so its
   * ClientToken mixes this in (retries within the run still share the token).
   */
  readonly runNonce: string;
  /** Called as soon as the secrets are known, so a crash handler can still mask them. */
  readonly onSecrets?: (noLogValues: readonly string[]) => void;
}

/** The printed result and the exit code (0 success, 1 failure). */
export interface RunOutput {
  readonly result: JsonObject;
  readonly exitCode: 0 | 1;
}

/** Wraps a result object with its exit code. */
function output(result: JsonObject): RunOutput {
  return { result, exitCode: result.failed === true ? 1 : 0 };
}

/** Everything a validated run carries to build its result. */
interface RunContext {
  readonly params: Params;
  readonly control: ControlFlags;
  readonly desired: DesiredImage;
  readonly result: ResultContext;
}

/**
 * Runs the module on an args file path and returns the result to print; never throws for bad input,
 * cloud errors or timeouts (only a bug escapes, and main.ts reports it).
 */
export async function runModule(argsPath: string | undefined, deps: RunDependencies): Promise<RunOutput> {
  const args = readArgsFile(argsPath, ECS_AMI_MODULE.name);
  if (!args.ok)
    return output(failJson(args.error.msg, {}, { moduleArgs: {}, warnings: [], noLogValues: [] }));
  const validated = validateParams(args.args, deps.env);
  if (!validated.ok) return output(failParams(validated.error));
  deps.onSecrets?.(validated.noLogValues);
  const { params, control } = validated;
  const result: ResultContext = {
    moduleArgs: moduleArgsOf(params),
    warnings: validated.warnings,
    noLogValues: validated.noLogValues,
  };
  const limit = checkLimits(params);
  if (limit !== undefined) return output(failJson(limit.msg, {}, result));
  const region = params.region ?? "";
  const context: RunContext = { params, control, desired: toDesiredImage(params, region), result };
  let api: EcsApi;
  try {
    api = await deps.createApi(cloudConfigOf(params, region));
  } catch (error: unknown) {
    return output(failureResult(error, context, undefined));
  }
  try {
    const outcome = await reconcileImage(context.desired, reconcileOptions(api, control, deps));
    return output(successResult(outcome, context));
  } catch (error: unknown) {
    return output(failureResult(error, context, await imageAfterFailure(error, api, region)));
  }
}

/** The reconcile options of a run, without undefined values. */
function reconcileOptions(api: EcsApi, control: ControlFlags, deps: RunDependencies): ReconcileOptions {
  return {
    api,
    clock: deps.clock,
    checkMode: control.checkMode,
    runNonce: deps.runNonce,
    ...(deps.signal === undefined ? {} : { signal: deps.signal }),
    ...(deps.onStep === undefined ? {} : { onStep: deps.onStep }),
  };
}

/**
 * The image a failure result describes: the one the plan saw when it refused, else one best-effort read (plus
 * the share list of a shared image) when the failure knows an image id (a timed-out or failed build, a failure
 * after create).
 */
async function imageAfterFailure(
  error: unknown,
  api: EcsApi,
  region: string,
): Promise<ImageState | undefined> {
  if (error instanceof PlanRefusedError) return error.image;
  const imageId = failedImageId(error);
  if (imageId === undefined) return undefined;
  return readImage(api, { region, imageId }).catch(() => undefined);
}

/** The image id a failure knows, if any. */
function failedImageId(error: unknown): string | undefined {
  if (error instanceof PartialFailureError || error instanceof CancelledError) return error.imageId;
  if (error instanceof WaitTimeoutError || error instanceof WaitFailedError) return error.imageId;
  return undefined;
}

/** The credentials, region and endpoint of the cloud gateway, from the validated params (of any module). */
export function cloudConfigOf(params: ConnectionParams, region: string): CloudConfig {
  return {
    accessKeyId: params.acs_access_key ?? "",
    accessKeySecret: params.acs_secret_access_key ?? "",
    securityToken: params.security_token ?? undefined,
    region,
    endpoint: params.endpoint ?? undefined,
  };
}

/** The success result: changed, msg, image_id, image facts, diff in diff mode. */
function successResult(outcome: Outcome, context: RunContext): JsonObject {
  const fields: Record<string, JsonObject[keyof JsonObject]> = { changed: outcome.changed, msg: outcome.msg };
  if (outcome.imageId !== undefined) fields.image_id = outcome.imageId;
  if (outcome.image !== undefined) fields.image = imageFacts(outcome.image);
  if (outcome.snapshots !== undefined) Object.assign(fields, snapshotFields(outcome.snapshots));
  if (context.control.diff) {
    fields.diff = { before: diffView(outcome.diff.before), after: diffView(outcome.diff.after) };
  }
  const warnings = [...context.result.warnings, ...outcome.warnings];
  return exitJson({ changed: outcome.changed, msg: outcome.msg, ...fields }, { ...context.result, warnings });
}

/** `snapshots_deleted` and `snapshots_kept` of a deletion with delete_snapshots. */
function snapshotFields(snapshots: SnapshotCleanup): JsonObject {
  return {
    snapshots_deleted: [...snapshots.deleted],
    snapshots_kept: snapshots.kept.map((kept) => ({ snapshot_id: kept.snapshotId, reason: kept.reason })),
  };
}

/** The managed attributes in the user's spelling, for diff mode; an absent image is `{state: absent}`. */
function diffView(view: ImageView | undefined): JsonObject {
  if (view === undefined) return { state: "absent" };
  return {
    state: "present",
    image_id: view.imageId ?? null,
    image_name: view.imageName,
    image_version: view.imageVersion,
    description: view.description,
    tags: { ...view.tags },
    launch_permission: view.launchPermission === undefined ? null : [...view.launchPermission],
    boot_mode: view.bootMode ?? "",
    image_family: view.imageFamily ?? "",
  };
}

/** The image a failure is about, in words, for messages. */
function imageLabel(desired: DesiredImage, imageId: string | undefined): string {
  const id = imageId ?? desired.imageId;
  if (id !== undefined) return `image ${id}`;
  return desired.imageName === undefined ? "a new image" : `image ${desired.imageName}`;
}

/** The `error` key of a cloud failure (snake_case, like amazon.aws fail_json_aws). */
function cloudErrorFields(error: CloudError): JsonObject {
  return {
    code: error.code,
    message: error.message,
    request_id: error.requestId ?? null,
    http_status: error.httpStatus ?? null,
    action: error.action,
    attempts: error.attempts,
  };
}

/** "Failed to <verb> image <id> in region <r>: <Code>: <Message>". */
function cloudMessage(error: CloudError, desired: DesiredImage, imageId: string | undefined): string {
  const verb = ACTION_VERBS[error.action];
  return `Failed to ${verb} ${imageLabel(desired, imageId)} in region ${desired.region}: ${error.code}: ${error.message}`;
}

/** Extra keys of a failure whose cause is a wait or a cloud error. */
function causeFields(cause: unknown): Record<string, JsonObject[keyof JsonObject]> {
  if (cause instanceof CloudError) return { error: cloudErrorFields(cause) };
  if (cause instanceof WaitTimeoutError || cause instanceof WaitFailedError) {
    return {
      status: cause.lastStatus,
      polls: cause.polls,
      elapsed_seconds: Math.round(cause.elapsedMs / 1000),
    };
  }
  if (cause instanceof CancelledError)
    return cause.lastStatus === undefined ? {} : { status: cause.lastStatus };
  return {};
}

/** The failure result for anything reconcile threw, with the image's facts when it exists. */
function failureResult(error: unknown, context: RunContext, image: ImageState | undefined): JsonObject {
  const facts = image === undefined ? {} : { image: imageFacts(image) };
  const { desired, result } = context;
  if (error instanceof PlanRefusedError) {
    const warnings = [...result.warnings, ...error.warnings];
    const extra = error.imageId === undefined ? facts : { image_id: error.imageId, ...facts };
    return failJson(error.message, extra, { ...result, warnings });
  }
  if (error instanceof PartialFailureError) return partialFailure(error, context, facts);
  if (error instanceof CloudError) {
    return failJson(cloudMessage(error, desired, undefined), causeFields(error), result);
  }
  if (
    error instanceof WaitTimeoutError ||
    error instanceof WaitFailedError ||
    error instanceof CancelledError
  ) {
    const imageId = error.imageId;
    return failJson(
      error.message,
      { ...(imageId === undefined ? {} : { image_id: imageId }), ...causeFields(error), ...facts },
      result,
    );
  }
  if (error instanceof CloudConfigError) return failJson(error.message, {}, result);
  throw error;
}

/** A failure after a write: changed, the image id, the steps that were done, and the cause. */
function partialFailure(error: PartialFailureError, context: RunContext, facts: JsonObject): JsonObject {
  const cause = error.cause;
  const msg =
    cause instanceof CloudError ? cloudMessage(cause, context.desired, error.imageId) : error.message;
  const extra: Record<string, JsonObject[keyof JsonObject]> = {
    changed: true,
    completed_steps: [...error.completed],
    failed_step: error.failedStep,
    ...causeFields(cause),
    ...facts,
  };
  if (error.imageId !== undefined) extra.image_id = error.imageId;
  return failJson(msg, extra, context.result);
}
