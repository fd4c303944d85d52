/**
 * The pipeline of one run (style.md §4): observe -> plan -> (check mode stops) -> apply -> observe again ->
 * outcome. The edge (src/module) turns the outcome, or the typed error thrown, into Ansible JSON.
 */
import { NAME_TAKEN_CODES } from "../cloud/classify";
import type { EcsApi } from "../cloud/ecs-api";
import { CloudError } from "../cloud/errors";
import type { CancelSignal } from "../cloud/wait";
import { DEFAULT_NOT_FOUND_GRACE_MS } from "../cloud/wait";
import type { Clock } from "../common/clock";
import type { DesiredImage, ImageState } from "../common/types";
import type { ApplyResult, StepEvent, WaitTuning } from "./apply";
import type { SnapshotCleanup } from "./snapshots";
import { applyPlan } from "./apply";
import { PlanRefusedError } from "./errors";
import type { Observed } from "./observe";
import { observeImage, readImage, withLaunchPermission } from "./observe";
import type { ImageView, Plan, Step, StepKind } from "./plan";
import { isWriteStep, planImage } from "./plan";

/** What a run needs besides the desired image. */
export interface ReconcileOptions {
  readonly api: EcsApi;
  readonly clock: Clock;
  /** Stop after the plan: the same decisions, no write call. */
  readonly checkMode: boolean;
  readonly signal?: CancelSignal;
  readonly wait?: WaitTuning;
  /** Called after each completed step (the image id becomes known after `create`). */
  readonly onStep?: (event: StepEvent) => void;
  /**
   * A per-run random value (e.g. a UUID from the edge): mixed into the ClientToken of creates without
   * image_name only, so each such run makes a new image as documented; named creates stay deterministic.
   */
  readonly runNonce?: string;
}

/** The result of one run, in our terms. */
export interface Outcome {
  readonly changed: boolean;
  /** The image as it is after the run (as it was, in check mode); undefined when there is none. */
  readonly image: ImageState | undefined;
  readonly imageId: string | undefined;
  readonly msg: string;
  readonly warnings: readonly string[];
  readonly diff: { readonly before: ImageView | undefined; readonly after: ImageView | undefined };
  readonly completed: readonly StepKind[];
  readonly plan: Plan;
  /** What deleting the image's snapshots did (delete_snapshots); undefined when not asked. */
  readonly snapshots?: SnapshotCleanup;
}

/** Names of the user's options a step changed, for messages. */
function changedOptions(steps: readonly Step[]): string[] {
  const names: string[] = [];
  for (const step of steps) {
    if (step.kind === "setAttributes") {
      if (step.changes.imageName !== undefined) names.push("image_name");
      if (step.changes.description !== undefined) names.push("description");
      if (step.changes.bootMode !== undefined) names.push("boot_mode");
      if (step.changes.imageFamily !== undefined) names.push("image_family");
    }
    if (step.kind === "tag" || step.kind === "untag") names.push("tags");
    if (step.kind === "share" || step.kind === "unshare") names.push("launch_permission");
  }
  return [...new Set(names)];
}

/** The final message of a real run. */
export function outcomeMessage(plan: Plan, imageId: string | undefined): string {
  const where = `in region ${plan.region}`;
  switch (plan.action) {
    case "create":
      return `Created image ${imageId ?? "(id unknown)"} ${where}`;
    case "update":
      return `Updated ${changedOptions(plan.steps).join(", ")} of image ${imageId ?? ""} ${where}`;
    case "delete":
      return `Deleted image ${imageId ?? ""} ${where}`;
    case "none":
      return plan.msg;
  }
}

/** The outcome of a check-mode run: the plan's decision, nothing sent. */
function checkOutcome(plan: Plan, image: ImageState | undefined): Outcome {
  return {
    changed: plan.changed,
    image,
    imageId: plan.imageId,
    msg: plan.changed ? `Check mode: ${plan.msg}` : plan.msg,
    warnings: plan.warnings,
    diff: { before: plan.before, after: plan.after },
    completed: [],
    plan,
  };
}

/** True when a create lost a race on the name (another run created it first). */
function isNameTaken(error: unknown): boolean {
  return error instanceof CloudError && error.action === "CreateImage" && NAME_TAKEN_CODES.has(error.code);
}

/** Plans, refusing with a typed error. */
function planOrThrow(desired: DesiredImage, observed: Observed, options: ReconcileOptions): Plan {
  const plan = planImage(
    desired,
    observed,
    options.runNonce === undefined ? {} : { runNonce: options.runNonce },
  );
  if (plan.error === undefined) return plan;
  throw new PlanRefusedError(
    {
      code: plan.error.code,
      region: plan.region,
      imageId: plan.imageId,
      image: observed.image,
      warnings: plan.warnings,
    },
    plan.error.message,
  );
}

/** The image after apply: gone after a delete; the wait's last view if nothing was written; else read again. */
async function finalImage(
  desired: DesiredImage,
  plan: Plan,
  result: ApplyResult,
  api: EcsApi,
): Promise<ImageState | undefined> {
  if (plan.action === "delete" || result.imageId === undefined) return undefined;
  const sharesAsked = desired.launchPermission !== undefined;
  const lastSeen = result.lastSeen;
  if (!plan.steps.some(isWriteStep) && lastSeen !== undefined && !sharesAsked) {
    return withLaunchPermission(api, lastSeen);
  }
  return readImage(api, { region: plan.region, imageId: result.imageId });
}

/** How often the loser of a name race looks for the winner's image while it is not listed yet. */
export const RACE_REOBSERVE_INTERVAL_MS = 1_000;

/**
 * Plans again after a lost name race. The winner's image may not be listed yet (eventual consistency), so a
 * plan that still says "create" is retried for a short window before the name-taken error is reported.
 */
async function replanAfterRace(desired: DesiredImage, options: ReconcileOptions): Promise<Plan | undefined> {
  const graceMs = options.wait?.notFoundGraceMs ?? DEFAULT_NOT_FOUND_GRACE_MS;
  const deadlineMs = options.clock.now() + graceMs;
  for (;;) {
    const again = planOrThrow(desired, await observeImage(desired, options.api), options);
    if (again.action !== "create") return again;
    if (options.clock.now() >= deadlineMs || options.signal?.aborted === true) return undefined;
    await options.clock.sleep(RACE_REOBSERVE_INTERVAL_MS, options.signal);
  }
}

/** Applies a plan; when a create loses a race on the name, observes again and adopts the winner (once). */
async function applyWithRace(
  desired: DesiredImage,
  plan: Plan,
  options: ReconcileOptions,
): Promise<{ plan: Plan; result: ApplyResult }> {
  try {
    return { plan, result: await applyPlan(plan, options) };
  } catch (error: unknown) {
    if (!isNameTaken(error) || desired.imageName === undefined) throw error;
    const again = await replanAfterRace(desired, options);
    if (again === undefined) throw error;
    return { plan: again, result: await applyPlan(again, options) };
  }
}

/**
 * Reconciles one image: observe, plan, and unless check mode, apply and observe again.
 * @throws PlanRefusedError when the plan refuses (no write was made)
 * @throws PartialFailureError when a step fails after a write (image id and completed steps kept)
 * @throws CloudError | WaitTimeoutError | WaitFailedError | CancelledError when the first write or a read fails
 */
export async function reconcileImage(desired: DesiredImage, options: ReconcileOptions): Promise<Outcome> {
  const observed = await observeImage(desired, options.api);
  const firstPlan = planOrThrow(desired, observed, options);
  if (options.checkMode) return checkOutcome(firstPlan, observed.image);
  if (firstPlan.steps.length === 0) return { ...checkOutcome(firstPlan, observed.image), msg: firstPlan.msg };
  const { plan, result } = await applyWithRace(desired, firstPlan, options);
  const image = await finalImage(desired, plan, result, options.api);
  const imageId = result.imageId ?? plan.imageId;
  return {
    changed: plan.changed,
    image,
    imageId: plan.action === "delete" ? plan.imageId : imageId,
    msg: outcomeMessage(plan, imageId),
    warnings: plan.warnings,
    diff: { before: plan.before, after: plan.after === undefined ? undefined : { ...plan.after, imageId } },
    completed: result.completed,
    plan,
    ...(result.snapshots === undefined ? {} : { snapshots: result.snapshots }),
  };
}
