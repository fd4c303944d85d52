/**
 * The cloud side of the emulator (contract.ts `EmulatorCore`): dispatches each call through a typed
 * action table to its handler, turns ECS errors thrown by the store into error outcomes, and owns the
 * store's life (reset, lifecycle control, inspection, export and import).
 */
import type {
  ApiCall,
  ApiOutcome,
  EmulatorClock,
  EmulatorCore,
  FixtureCredential,
  Fixtures,
} from "./contract";
import {
  EcsFailureError,
  invalidActionNotFound,
  missingParameter,
  missingParameterTagAction,
  raise,
} from "./errors";
import {
  createImageHandler,
  deleteImageHandler,
  describeImagesHandler,
  modifyImageAttributeHandler,
} from "./handlers/images";
import { describeInstancesHandler } from "./handlers/instances";
import { describeImageSharePermissionHandler, modifyImageSharePermissionHandler } from "./handlers/share";
import { deleteSnapshotHandler, describeSnapshotsHandler } from "./handlers/snapshots";
import { listTagResourcesHandler, tagResourcesHandler, untagResourcesHandler } from "./handlers/tags";
import { exportStore, importStore, inspectStore } from "./persistence";
import { optionalString } from "./request-params";
import {
  completeAllCreating,
  createStore,
  regionOf,
  setFailingNames,
  setInvisibleFor,
  settleImages,
  type Store,
} from "./store";

/** Every action the emulator implements. */
export type ActionName =
  | "CreateImage"
  | "DescribeImages"
  | "DeleteImage"
  | "ModifyImageAttribute"
  | "ModifyImageSharePermission"
  | "DescribeImageSharePermission"
  | "TagResources"
  | "UntagResources"
  | "ListTagResources"
  | "DescribeInstances"
  | "DescribeSnapshots"
  | "DeleteSnapshot";

/** What a handler gets: the store, the call, the current time and the (checked) region ("" for DeleteSnapshot without one). */
export interface HandlerContext {
  readonly store: Store;
  readonly call: ApiCall;
  readonly nowMs: number;
  readonly regionId: string;
}

/** Reads params, calls the store, shapes the response body (without RequestId). */
export type Handler = (context: HandlerContext) => Readonly<Record<string, unknown>>;

/** The dispatch table: one handler per action, nothing looked up by string tricks. */
export const ACTION_HANDLERS: Readonly<Record<ActionName, Handler>> = {
  CreateImage: createImageHandler,
  DescribeImages: describeImagesHandler,
  DeleteImage: deleteImageHandler,
  ModifyImageAttribute: modifyImageAttributeHandler,
  ModifyImageSharePermission: modifyImageSharePermissionHandler,
  DescribeImageSharePermission: describeImageSharePermissionHandler,
  TagResources: tagResourcesHandler,
  UntagResources: untagResourcesHandler,
  ListTagResources: listTagResourcesHandler,
  DescribeInstances: describeInstancesHandler,
  DescribeSnapshots: describeSnapshotsHandler,
  DeleteSnapshot: deleteSnapshotHandler,
};

/** The tag actions report a missing RegionId as `MissingParameter.RegionId` (404), the others as `MissingParameter` (400). */
const TAG_ACTIONS: ReadonlySet<ActionName> = new Set(["TagResources", "UntagResources", "ListTagResources"]);

/** Actions whose request has no RegionId at all. */
const REGIONLESS_ACTIONS: ReadonlySet<ActionName> = new Set(["DeleteSnapshot"]);

/** Seed of the ID generator: fixed, so a fresh emulator mints the same IDs each run. */
const DEFAULT_ID_SEED = 20140526;

/** Whether `action` names an implemented action. */
function isActionName(action: string): action is ActionName {
  return Object.hasOwn(ACTION_HANDLERS, action);
}

/** Options of createEmulatorCore. */
export interface EmulatorCoreOptions {
  /** The only time source of the core. */
  readonly clock: EmulatorClock;
  /** Seed of generated IDs (default fixed, so runs are reproducible); reset() reuses it. */
  readonly seed?: number;
}

/** Creates the cloud side from fixtures, reading time only from `options.clock`. */
export function createEmulatorCore(fixtures: Fixtures, options: EmulatorCoreOptions): EmulatorCore {
  const { clock } = options;
  const seed = options.seed ?? DEFAULT_ID_SEED;
  let store = createStore(fixtures, seed);
  return {
    handle(call) {
      return handleCall(store, call, clock.now());
    },
    findCredential(accessKeyId) {
      return findCredential(store.credentials, accessKeyId);
    },
    reset(next) {
      store = createStore(next, seed);
    },
    completeCreating() {
      return completeAllCreating(store, clock.now());
    },
    setFailingImageNames(names) {
      setFailingNames(store, names, clock.now());
    },
    setInvisibleForSeconds(seconds) {
      setInvisibleFor(store, seconds);
    },
    inspect() {
      return inspectStore(store, clock.now());
    },
    exportState() {
      return exportStore(store);
    },
    importState(state) {
      store = importStore(state);
    },
  };
}

function findCredential(
  credentials: readonly FixtureCredential[],
  accessKeyId: string,
): FixtureCredential | undefined {
  return credentials.find((credential) => credential.access_key_id === accessKeyId);
}

/** Answers one call: unknown action, region checks, then the action's handler. */
function handleCall(store: Store, call: ApiCall, nowMs: number): ApiOutcome {
  try {
    const action = call.action;
    if (!isActionName(action)) return raise(invalidActionNotFound());
    settleImages(store, nowMs);
    const regionId = requireRegion(store, { action, params: call.params });
    const body = ACTION_HANDLERS[action]({ store, call, nowMs, regionId });
    return { kind: "ok", body };
  } catch (error) {
    if (error instanceof EcsFailureError) return { kind: "error", error: error.ecsError };
    throw error;
  }
}

/**
 * RegionId is mandatory for every action but DeleteSnapshot (whose request model has no RegionId:
 * snapshot IDs are global) and must name a region that exists (see store.regionOf). For
 * DeleteSnapshot the context carries the given RegionId or "".
 */
function requireRegion(
  store: Store,
  call: { readonly action: ActionName; readonly params: ApiCall["params"] },
): string {
  const regionId = optionalString(call.params, "RegionId");
  if (regionId === undefined || regionId === "") {
    if (REGIONLESS_ACTIONS.has(call.action)) return "";
    raise(
      TAG_ACTIONS.has(call.action) ? missingParameterTagAction("RegionId") : missingParameter("RegionId"),
    );
  }
  regionOf(store, regionId);
  return regionId;
}
