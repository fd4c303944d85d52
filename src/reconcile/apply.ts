/**
 * Executes a plan's steps in order through `EcsApi` (style.md §4): one API call or one wait per step. Keeps the
 * completed steps and the image id once known; a failure after a write becomes a `PartialFailureError`.
 */
import { isNotFound, isRetriable } from "../cloud/classify";
import type { CreateImageInput, EcsApi, ImageRef } from "../cloud/ecs-api";
import { CancelledError, CloudError } from "../cloud/errors";
import type { CancelSignal } from "../cloud/wait";
import { DEFAULT_NOT_FOUND_GRACE_MS, waitForStatus } from "../cloud/wait";
import type { Clock } from "../common/clock";
import type { ImageState } from "../common/types";
import { PartialFailureError } from "./errors";
import { deleteSnapshots, tagSnapshots, type SnapshotCleanup } from "./snapshots";
import type { Plan, Step, StepKind } from "./plan";
import { FAILED_IMAGE_STATUSES, isWriteStep, PENDING_IMAGE_STATUSES } from "./plan";

/** Poll tuning passed to every wait (defaults from cloud/wait.ts). */
export interface WaitTuning {
  readonly initialIntervalMs?: number;
  readonly maxIntervalMs?: number;
  /** How long "not found" right after a create counts as pending. @default DEFAULT_NOT_FOUND_GRACE_MS */
  readonly notFoundGraceMs?: number;
}

/** Progress after each completed step, so that an interrupted run can still report the image id. */
export interface StepEvent {
  readonly step: StepKind;
  readonly imageId: string | undefined;
  readonly completed: readonly StepKind[];
}

/** What apply needs. */
export interface ApplyOptions {
  readonly api: EcsApi;
  readonly clock: Clock;
  readonly signal?: CancelSignal;
  readonly wait?: WaitTuning;
  /** Called after each completed step (e.g. to remember the new image id for a SIGTERM handler). */
  readonly onStep?: (event: StepEvent) => void;
}

/** What apply did. */
export interface ApplyResult {
  readonly imageId: string | undefined;
  readonly completed: readonly StepKind[];
  /** The image as the last wait saw it (saves a read when the wait already has it). */
  readonly lastSeen: ImageState | undefined;
  /** What a `deleteSnapshots` step did; undefined when the plan had none. */
  readonly snapshots?: SnapshotCleanup;
}

/** Mutable progress of one apply run. */
interface ApplyState {
  imageId: string | undefined;
  created: boolean;
  lastSeen: ImageState | undefined;
  readonly completed: StepKind[];
  snapshots?: SnapshotCleanup;
}

/** The image reference for a step that needs one. */
function refOf(state: ApplyState, region: string): ImageRef {
  if (state.imageId === undefined) throw new Error("No image id is known for this step (plan bug)");
  return { region, imageId: state.imageId };
}

/** Waits until the image is Available, failing fast on CreateFailed. */
async function waitAvailable(
  state: ApplyState,
  region: string,
  timeoutMs: number,
  options: ApplyOptions,
): Promise<void> {
  const ref = refOf(state, region);
  const tuning = options.wait ?? {};
  const result = await waitForStatus<ImageState>({
    read: () => options.api.findImageById(ref.region, ref.imageId),
    isDone: (image) => image?.status === "Available",
    isFailed: (image) => FAILED_IMAGE_STATUSES.has(image.status),
    statusOf: (image) => image.status,
    imageId: ref.imageId,
    region,
    target: "Available",
    timeoutMs,
    clock: options.clock,
    notFoundGraceMs: state.created ? (tuning.notFoundGraceMs ?? DEFAULT_NOT_FOUND_GRACE_MS) : 0,
    ...pollTuning(tuning, options.signal),
  });
  state.lastSeen = result.value;
}

/** The optional poll fields of a wait, without undefined values. */
function pollTuning(
  tuning: WaitTuning,
  signal: CancelSignal | undefined,
): { initialIntervalMs?: number; maxIntervalMs?: number; signal?: CancelSignal } {
  return {
    ...(tuning.initialIntervalMs === undefined ? {} : { initialIntervalMs: tuning.initialIntervalMs }),
    ...(tuning.maxIntervalMs === undefined ? {} : { maxIntervalMs: tuning.maxIntervalMs }),
    ...(signal === undefined ? {} : { signal }),
  };
}

/** Waits until a build has ended, however it ended (Available or CreateFailed), or the image is gone. */
async function waitBuilt(
  state: ApplyState,
  region: string,
  timeoutMs: number,
  options: ApplyOptions,
): Promise<void> {
  const ref = refOf(state, region);
  const result = await waitForStatus<ImageState>({
    read: () => options.api.findImageById(ref.region, ref.imageId),
    isDone: (image) => image === undefined || !PENDING_IMAGE_STATUSES.has(image.status),
    isFailed: () => false,
    statusOf: (image) => image.status,
    imageId: ref.imageId,
    region,
    target: "built",
    timeoutMs,
    clock: options.clock,
    ...pollTuning(options.wait ?? {}, options.signal),
  });
  state.lastSeen = result.value;
}

/** Waits until the image is gone. */
async function waitDeleted(
  state: ApplyState,
  region: string,
  timeoutMs: number,
  options: ApplyOptions,
): Promise<void> {
  const ref = refOf(state, region);
  await waitForStatus<ImageState>({
    read: () => options.api.findImageById(ref.region, ref.imageId),
    isDone: (image) => image === undefined,
    isFailed: () => false,
    statusOf: (image) => image.status,
    imageId: ref.imageId,
    region,
    target: "deleted",
    timeoutMs,
    clock: options.clock,
    ...pollTuning(options.wait ?? {}, options.signal),
  });
  state.lastSeen = undefined;
}

/** Deletes; the documented "not found" of DeleteImage means it is already gone, which is success. */
async function deleteImage(api: EcsApi, ref: ImageRef, force: boolean): Promise<void> {
  try {
    await api.deleteImage(ref, { force });
  } catch (error: unknown) {
    if (error instanceof CloudError && isNotFound(error)) return;
    throw error;
  }
}

/**
 * Creates the image. When the create call fails in a way that may still have created it (the answer was
 * lost: timeouts, resets, 5xx, after every retry), a named image is looked up once more: if it exists,
 * that is our image, and the run goes on instead of reporting "nothing changed" over a new image.
 */
async function createImage(api: EcsApi, input: CreateImageInput): Promise<string> {
  try {
    return await api.createImage(input);
  } catch (error: unknown) {
    if (!isRetriable(error) || input.imageName === undefined) throw error;
    const found = await api.findImagesByName(input.region, input.imageName).catch(() => []);
    const oldest = [...found].sort((a, b) => (a.creationTime < b.creationTime ? -1 : 1))[0];
    if (oldest === undefined) throw error;
    return oldest.imageId;
  }
}

/** Runs one step. */
async function runStep(step: Step, state: ApplyState, region: string, options: ApplyOptions): Promise<void> {
  const { api } = options;
  switch (step.kind) {
    case "create":
      state.imageId = await createImage(api, step.input);
      state.created = true;
      return;
    case "waitAvailable":
      return waitAvailable(state, region, step.timeoutMs, options);
    case "setAttributes":
      return api.modifyImageAttribute(refOf(state, region), step.changes);
    case "tag":
      return api.tagImage(refOf(state, region), step.tags);
    case "untag":
      return api.untagImage(refOf(state, region), step.keys);
    case "share":
      return api.addLaunchPermission(refOf(state, region), step.accounts);
    case "unshare":
      return api.removeLaunchPermission(refOf(state, region), step.accounts);
    case "delete":
      return deleteImage(api, refOf(state, region), step.force);
    case "waitBuilt":
      return waitBuilt(state, region, step.timeoutMs, options);
    case "waitDeleted":
      return waitDeleted(state, region, step.timeoutMs, options);
    case "deleteSnapshots":
      state.snapshots = await deleteSnapshots(api, region, step.snapshotIds);
      return;
    case "tagSnapshots":
      return tagSnapshots(state, region, step, options);
    case "untagSnapshots":
      return api.untagSnapshots(region, step.snapshotIds, step.keys);
  }
}

/** Wraps a failure: after a write it is a PartialFailureError; before any write the cause is rethrown as is. */
function wrapFailure(error: unknown, step: Step, state: ApplyState, plan: Plan): unknown {
  const wroteSomething = plan.steps.slice(0, state.completed.length).some(isWriteStep);
  if (!wroteSomething) return error;
  return new PartialFailureError({
    imageId: state.imageId,
    region: plan.region,
    completed: [...state.completed],
    failedStep: step.kind,
    cause: error,
  });
}

/**
 * Executes the plan's steps in order.
 * @throws PartialFailureError when a step fails after a write succeeded (image id and completed steps kept)
 * @throws CloudError | WaitTimeoutError | WaitFailedError | CancelledError when the first write (or a wait before it) fails
 */
export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  const state: ApplyState = { imageId: plan.imageId, created: false, lastSeen: undefined, completed: [] };
  for (const step of plan.steps) {
    try {
      if (options.signal?.aborted === true) {
        throw new CancelledError(
          { imageId: state.imageId, lastStatus: undefined },
          `Cancelled before step ${step.kind} in region ${plan.region}`,
        );
      }
      await runStep(step, state, plan.region, options);
    } catch (error: unknown) {
      throw wrapFailure(error, step, state, plan);
    }
    state.completed.push(step.kind);
    options.onStep?.({ step: step.kind, imageId: state.imageId, completed: [...state.completed] });
  }
  const result = { imageId: state.imageId, completed: state.completed, lastSeen: state.lastSeen };
  return state.snapshots === undefined ? result : { ...result, snapshots: state.snapshots };
}
