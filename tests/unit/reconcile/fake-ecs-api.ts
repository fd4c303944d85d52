import type {
  CreateImageInput,
  EcsApi,
  ImageRef,
  InstanceInfo,
  SnapshotInfo,
} from "../../../src/cloud/ecs-api";
import { CloudError } from "../../../src/cloud/errors";
import type { ImageState, ImageStatus } from "../../../src/common/types";

/** One recorded call: the EcsApi method and its arguments. */
export interface FakeCall {
  readonly method: keyof EcsApi;
  readonly args: readonly unknown[];
}

/** A stored image of the fake cloud. */
export interface FakeImage {
  state: ImageState;
  shares: string[];
  /** Statuses to report on successive reads (the last one sticks), e.g. ["Creating", "Creating", "Available"]. */
  statusScript: ImageStatus[];
  /** Reads for which the image is still invisible (eventual consistency). */
  invisibleReads: number;
}

/** A fake EcsApi over an in-memory store, recording every call; failures are scripted per method. */
export interface FakeEcsApi extends EcsApi {
  readonly calls: FakeCall[];
  readonly images: Map<string, FakeImage>;
  /** Errors to throw, in order, on the next calls of a method. */
  readonly failures: Map<keyof EcsApi, Error[]>;
  /** Instances by id (default: i-bp1running000000001 Running, i-1 Running). */
  readonly instances: Map<string, InstanceInfo>;
  /** Snapshots by id (default: s-system accomplished system disk, s-1 likewise). */
  readonly snapshots: Map<string, SnapshotInfo>;
  /** Tags of snapshots by id (a snapshot listed here exists for describeSnapshotTags). */
  readonly snapshotTags: Map<string, Record<string, string>>;
  /** Status script for the next created image. */
  createScript: ImageStatus[];
  /** How many reads a new image stays invisible. */
  createInvisibleReads: number;
  /** Calls that write. */
  writes(): FakeCall[];
}

/** Write methods of EcsApi. */
const WRITE_METHODS: ReadonlySet<keyof EcsApi> = new Set([
  "createImage",
  "modifyImageAttribute",
  "addLaunchPermission",
  "removeLaunchPermission",
  "tagImage",
  "untagImage",
  "deleteImage",
  "deleteSnapshot",
  "tagSnapshots",
  "untagSnapshots",
]);

/** An image with defaults, for tests. */
export function image(fields: Partial<ImageState> & { imageId: string }): ImageState {
  return {
    imageName: "",
    imageVersion: "",
    description: "",
    status: "Available",
    progress: "100%",
    sizeGiB: 40,
    creationTime: "2025-01-01T00:00:00Z",
    architecture: "x86_64",
    platform: "Others Linux",
    osName: "Linux",
    tags: {},
    diskDeviceMappings: [],
    launchPermission: undefined,
    region: "cn-hangzhou",
    ...fields,
  };
}

/** A cloud error shaped as the adapter throws it. */
export function cloudError(code: string, action: CloudError["action"], httpStatus = 400): CloudError {
  return new CloudError({ code, message: `${code} message`, requestId: "RID-1", httpStatus, action });
}

/** Reads an image as the cloud would show it now (advancing its status script). */
function readFake(stored: FakeImage): ImageState | undefined {
  if (stored.invisibleReads > 0) {
    stored.invisibleReads -= 1;
    return undefined;
  }
  const next = stored.statusScript.length > 1 ? stored.statusScript.shift() : stored.statusScript[0];
  if (next !== undefined) stored.state = { ...stored.state, status: next };
  return shown(stored);
}

/** An image as DescribeImages shows it: `IsSelfShared` set, so an unshared image's accounts are known to be []. */
function shown(stored: FakeImage): ImageState {
  const shared = stored.shares.length > 0;
  return { ...stored.state, isShared: shared, launchPermission: shared ? undefined : [] };
}

/** Builds the fake over the given images (shares from their launchPermission). */
export function fakeEcsApi(initial: readonly ImageState[] = []): FakeEcsApi {
  const images = new Map<string, FakeImage>();
  for (const state of initial) {
    images.set(state.imageId, {
      state: { ...state, launchPermission: undefined },
      shares: [...(state.launchPermission ?? [])],
      statusScript: [],
      invisibleReads: 0,
    });
  }
  const instances = new Map<string, InstanceInfo>(
    ["i-bp1running000000001", "i-1"].map((instanceId) => [
      instanceId,
      { instanceId, status: "Running", lockReasons: [] },
    ]),
  );
  const snapshots = new Map<string, SnapshotInfo>(
    ["s-system", "s-1"].map((snapshotId) => [
      snapshotId,
      {
        snapshotId,
        status: "accomplished",
        diskType: "system",
        sizeGiB: 40,
        creationTime: "2025-06-01T00:00:00Z",
      },
    ]),
  );
  const snapshotTags = new Map<string, Record<string, string>>();
  const calls: FakeCall[] = [];
  const failures = new Map<keyof EcsApi, Error[]>();
  let counter = 0;

  function record(method: keyof EcsApi, args: readonly unknown[]): void {
    calls.push({ method, args });
    const queue = failures.get(method);
    const failure = queue?.shift();
    if (failure instanceof Error) throw failure;
  }

  function stored(ref: ImageRef, action: CloudError["action"]): FakeImage {
    const found = images.get(ref.imageId);
    if (found === undefined) throw cloudError("InvalidImageId.NotFound", action, 404);
    return found;
  }

  const api: FakeEcsApi = {
    calls,
    images,
    failures,
    instances,
    snapshots,
    snapshotTags,
    createScript: ["Available"],
    createInvisibleReads: 0,
    writes: () => calls.filter((call) => WRITE_METHODS.has(call.method)),
    findImageById(region, imageId) {
      record("findImageById", [region, imageId]);
      const found = images.get(imageId);
      return Promise.resolve(found === undefined ? undefined : readFake(found));
    },
    findImagesByName(region, imageName) {
      record("findImagesByName", [region, imageName]);
      const found = [...images.values()].filter(
        (img) => img.state.imageName === imageName && img.invisibleReads === 0,
      );
      return Promise.resolve(found.map(shown));
    },
    createImage(input: CreateImageInput) {
      record("createImage", [input]);
      counter += 1;
      const imageId = `m-new${String(counter).padStart(4, "0")}`;
      const state = image({
        imageId,
        imageName: input.imageName ?? "",
        imageVersion: input.imageVersion ?? "",
        description: input.description ?? "",
        status: "Creating",
        tags: { ...(input.tags ?? {}) },
        region: input.region,
      });
      images.set(imageId, {
        state,
        shares: [],
        statusScript: [...api.createScript],
        invisibleReads: api.createInvisibleReads,
      });
      return Promise.resolve(imageId);
    },
    modifyImageAttribute(ref, changes) {
      record("modifyImageAttribute", [ref, changes]);
      const target = stored(ref, "ModifyImageAttribute");
      target.state = { ...target.state, ...changes };
      return Promise.resolve();
    },
    addLaunchPermission(ref, accounts) {
      record("addLaunchPermission", [ref, accounts]);
      const target = stored(ref, "ModifyImageSharePermission");
      target.shares = [...new Set([...target.shares, ...accounts])];
      return Promise.resolve();
    },
    removeLaunchPermission(ref, accounts) {
      record("removeLaunchPermission", [ref, accounts]);
      const target = stored(ref, "ModifyImageSharePermission");
      target.shares = target.shares.filter((account) => !accounts.includes(account));
      return Promise.resolve();
    },
    describeLaunchPermission(ref) {
      record("describeLaunchPermission", [ref]);
      return Promise.resolve([...stored(ref, "DescribeImageSharePermission").shares]);
    },
    tagImage(ref, tags) {
      record("tagImage", [ref, tags]);
      const target = stored(ref, "TagResources");
      target.state = { ...target.state, tags: { ...target.state.tags, ...tags } };
      return Promise.resolve();
    },
    untagImage(ref, keys) {
      record("untagImage", [ref, keys]);
      const target = stored(ref, "UntagResources");
      target.state = {
        ...target.state,
        tags: Object.fromEntries(Object.entries(target.state.tags).filter(([k]) => !keys.includes(k))),
      };
      return Promise.resolve();
    },
    deleteImage(ref, options) {
      record("deleteImage", [ref, options]);
      const target = stored(ref, "DeleteImage");
      if (target.state.inUse === true && !options.force)
        throw cloudError("ImageUsingByInstance", "DeleteImage", 403);
      images.delete(ref.imageId);
      return Promise.resolve();
    },
    describeInstance(region, instanceId) {
      record("describeInstance", [region, instanceId]);
      return Promise.resolve(instances.get(instanceId));
    },
    describeSnapshot(region, snapshotId) {
      record("describeSnapshot", [region, snapshotId]);
      return Promise.resolve(snapshots.get(snapshotId));
    },
    deleteSnapshot(region, snapshotId) {
      record("deleteSnapshot", [region, snapshotId]);
      return Promise.resolve();
    },
    listImages(filter) {
      record("listImages", [filter]);
      const found = [...images.values()].filter(
        (img) =>
          (filter.imageIds === undefined || filter.imageIds.includes(img.state.imageId)) &&
          (filter.imageName === undefined || img.state.imageName === filter.imageName),
      );
      return Promise.resolve(found.map(shown));
    },
    tagSnapshots(region, snapshotIds, tags) {
      record("tagSnapshots", [region, snapshotIds, tags]);
      for (const id of snapshotIds) snapshotTags.set(id, { ...snapshotTags.get(id), ...tags });
      return Promise.resolve();
    },
    untagSnapshots(region, snapshotIds, keys) {
      record("untagSnapshots", [region, snapshotIds, keys]);
      for (const id of snapshotIds) {
        const kept = Object.entries(snapshotTags.get(id) ?? {}).filter(([key]) => !keys.includes(key));
        snapshotTags.set(id, Object.fromEntries(kept));
      }
      return Promise.resolve();
    },
    describeSnapshotTags(region, snapshotIds) {
      record("describeSnapshotTags", [region, snapshotIds]);
      const found = snapshotIds.flatMap((id) => {
        const tags = snapshotTags.get(id);
        return tags === undefined ? [] : [[id, { ...tags }] as const];
      });
      return Promise.resolve(Object.fromEntries(found));
    },
  };
  return api;
}
