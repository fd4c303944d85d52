/**
 * Views of the store: `inspectStore` (JSON for `GET /_emulator/state`, no secrets) and
 * `exportStore`/`importStore` (a full round trip for `--state`, credentials included). Builds keep
 * absolute timestamps, so an imported Creating image goes on progressing by the clock.
 */
import {
  expectArray,
  expectBoolean,
  expectInteger,
  expectNumber,
  expectOneOf,
  expectRecord,
  expectString,
  expectStringArray,
  INSTANCE_STATUSES,
} from "./fixtures";
import { createIdGenerator } from "./ids";
import type { Phase } from "./lifecycle";
import {
  ARCHITECTURES,
  BOOT_MODES,
  imagesUsingSnapshot,
  imageStatusOf,
  type DiskMapping,
  type ImageRecord,
  type InstanceRecord,
  type RegionState,
  type SnapshotRecord,
  type Store,
} from "./store";

/** Marks exported state so a wrong file is recognised at once. */
const STATE_FORMAT = "ecs-emulator-state/1";
const DISK_TYPES = ["system", "data"] as const;
const SNAPSHOT_STATUSES = ["progressing", "accomplished", "failed"] as const;
const SETTLED_STATUSES = ["Available", "CreateFailed", "Deprecated", "UnAvailable"] as const;

function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

// ---- inspect ----

/** A JSON-safe view of all state per region, plus image_create_seconds; never a secret. */
export function inspectStore(store: Store, nowMs: number): unknown {
  const regions: Record<string, unknown> = {};
  for (const [regionId, region] of store.regions) {
    regions[regionId] = {
      images: [...region.images.values()].map((image) => inspectImage(image, nowMs)),
      snapshots: [...region.snapshots.values()].map((snapshot) => inspectSnapshot(region, snapshot)),
      instances: [...region.instances.values()].map(inspectInstance),
    };
  }
  return {
    image_create_seconds: store.imageCreateSeconds,
    image_quota: store.imageQuota,
    failing_image_names: [...store.failingNames],
    accounts: store.credentials.map((credential) => credential.account_id),
    regions,
  };
}

function inspectImage(image: ImageRecord, nowMs: number): Record<string, unknown> {
  const { status, progress } = imageStatusOf(image, nowMs);
  return {
    id: image.id,
    name: image.name,
    owner: image.ownerAccountId,
    status,
    progress,
    description: image.description,
    version: image.version,
    tags: Object.fromEntries(image.tags),
    shared_with: [...image.sharedWith.keys()],
    disk_mappings: image.disks.map((disk) => ({
      device: disk.device,
      type: disk.type,
      size: disk.sizeGiB,
      snapshot_id: disk.snapshotId ?? null,
    })),
    in_use: image.inUse,
    creation_time: isoTime(image.creationTimeMs),
  };
}

function inspectSnapshot(region: RegionState, snapshot: SnapshotRecord): Record<string, unknown> {
  return {
    id: snapshot.id,
    disk_type: snapshot.diskType,
    size: snapshot.sizeGiB,
    status: snapshot.status,
    instance_id: snapshot.instanceId,
    used_by_images: imagesUsingSnapshot(region, snapshot.id).map((image) => image.id),
    tags: Object.fromEntries(snapshot.tags),
    creation_time: isoTime(snapshot.creationTimeMs),
  };
}

function inspectInstance(instance: InstanceRecord): Record<string, unknown> {
  return {
    id: instance.id,
    status: instance.status,
    lock_reason: instance.lockReason ?? null,
    disks: instance.disks.map((disk) => ({ device: disk.device, type: disk.type, size: disk.sizeGiB })),
  };
}

// ---- export ----

/** Everything needed to resume later, JSON-safe (credentials included). */
export function exportStore(store: Store): unknown {
  const regions: Record<string, unknown> = {};
  for (const [regionId, region] of store.regions) {
    regions[regionId] = {
      instances: [...region.instances.values()].map(exportInstance),
      snapshots: [...region.snapshots.values()].map(exportSnapshot),
      images: [...region.images.values()].map(exportImage),
    };
  }
  return {
    format: STATE_FORMAT,
    credentials: store.credentials,
    known_accounts: [...store.knownAccounts],
    image_create_seconds: store.imageCreateSeconds,
    image_quota: store.imageQuota,
    id_state: store.ids.state(),
    failing_image_names: [...store.failingNames],
    client_tokens: [...store.clientTokens].map(([key, record]) => ({
      key,
      fingerprint: record.fingerprint,
      image_id: record.imageId,
    })),
    regions,
  };
}

function exportInstance(instance: InstanceRecord): Record<string, unknown> {
  return {
    id: instance.id,
    status: instance.status,
    lock_reason: instance.lockReason ?? null,
    creation_time_ms: instance.creationTimeMs,
    disks: instance.disks.map((disk) => ({
      disk_id: disk.diskId,
      device: disk.device,
      type: disk.type,
      size: disk.sizeGiB,
    })),
  };
}

function exportSnapshot(snapshot: SnapshotRecord): Record<string, unknown> {
  return {
    id: snapshot.id,
    disk_type: snapshot.diskType,
    size: snapshot.sizeGiB,
    status: snapshot.status,
    creation_time_ms: snapshot.creationTimeMs,
    source_disk_id: snapshot.sourceDiskId,
    instance_id: snapshot.instanceId,
    tags: [...snapshot.tags],
  };
}

function exportImage(image: ImageRecord): Record<string, unknown> {
  return {
    id: image.id,
    owner: image.ownerAccountId,
    name: image.name,
    description: image.description,
    version: image.version,
    phase: image.phase,
    creation_time_ms: image.creationTimeMs,
    size: image.sizeGiB,
    architecture: image.architecture,
    platform: image.platform,
    boot_mode: image.bootMode,
    image_family: image.imageFamily,
    resource_group_id: image.resourceGroupId,
    in_use: image.inUse,
    tags: [...image.tags],
    shared_with: [...image.sharedWith],
    disks: image.disks.map((disk) => ({
      device: disk.device,
      type: disk.type,
      size: disk.sizeGiB,
      snapshot_id: disk.snapshotId ?? null,
    })),
  };
}

// ---- import ----

/** Rebuilds a store from what exportStore produced; throws an Error naming the first bad path. */
export function importStore(value: unknown): Store {
  const record = expectRecord(value, "state");
  if (record["format"] !== STATE_FORMAT) throw new Error(`state.format must be "${STATE_FORMAT}"`);
  const regions = new Map<string, RegionState>();
  for (const [regionId, regionValue] of Object.entries(expectRecord(record["regions"], "state.regions"))) {
    regions.set(regionId, importRegion(regionValue, { regionId, path: `state.regions.${regionId}` }));
  }
  return {
    regions,
    credentials: expectArray(record["credentials"], "state.credentials").map((item, i) =>
      importCredential(item, `state.credentials[${i}]`),
    ),
    knownAccounts: new Set(expectStringArray(record["known_accounts"], "state.known_accounts")),
    imageCreateSeconds: expectNumber(record["image_create_seconds"], "state.image_create_seconds", 0),
    imageQuota: expectInteger(record["image_quota"], "state.image_quota", 0),
    clientTokens: new Map(
      expectArray(record["client_tokens"], "state.client_tokens").map((item, i) => {
        const token = expectRecord(item, `state.client_tokens[${i}]`);
        const path = `state.client_tokens[${i}]`;
        return [
          expectString(token["key"], `${path}.key`),
          {
            fingerprint: expectString(token["fingerprint"], `${path}.fingerprint`),
            imageId: expectString(token["image_id"], `${path}.image_id`),
          },
        ];
      }),
    ),
    failingNames: new Set(expectStringArray(record["failing_image_names"], "state.failing_image_names")),
    ids: createIdGenerator(expectInteger(record["id_state"], "state.id_state", 0)),
  };
}

function importCredential(
  value: unknown,
  path: string,
): { access_key_id: string; access_key_secret: string; account_id: string } {
  const record = expectRecord(value, path);
  return {
    access_key_id: expectString(record["access_key_id"], `${path}.access_key_id`),
    access_key_secret: expectString(record["access_key_secret"], `${path}.access_key_secret`),
    account_id: expectString(record["account_id"], `${path}.account_id`),
  };
}

function importRegion(value: unknown, where: { regionId: string; path: string }): RegionState {
  const record = expectRecord(value, where.path);
  const region: RegionState = { instances: new Map(), snapshots: new Map(), images: new Map() };
  expectArray(record["instances"], `${where.path}.instances`).forEach((item, i) => {
    const instance = importInstance(item, {
      regionId: where.regionId,
      path: `${where.path}.instances[${i}]`,
    });
    region.instances.set(instance.id, instance);
  });
  expectArray(record["snapshots"], `${where.path}.snapshots`).forEach((item, i) => {
    const snapshot = importSnapshot(item, {
      regionId: where.regionId,
      path: `${where.path}.snapshots[${i}]`,
    });
    region.snapshots.set(snapshot.id, snapshot);
  });
  expectArray(record["images"], `${where.path}.images`).forEach((item, i) => {
    const image = importImage(item, { regionId: where.regionId, path: `${where.path}.images[${i}]` });
    region.images.set(image.id, image);
  });
  return region;
}

function importInstance(value: unknown, where: { regionId: string; path: string }): InstanceRecord {
  const record = expectRecord(value, where.path);
  const { path } = where;
  return {
    id: expectString(record["id"], `${path}.id`),
    regionId: where.regionId,
    status: expectOneOf(record["status"], INSTANCE_STATUSES, `${path}.status`),
    lockReason:
      record["lock_reason"] === null ? undefined : expectString(record["lock_reason"], `${path}.lock_reason`),
    creationTimeMs: expectInteger(
      record["creation_time_ms"],
      `${path}.creation_time_ms`,
      Number.MIN_SAFE_INTEGER,
    ),
    disks: expectArray(record["disks"], `${path}.disks`).map((item, i) => {
      const disk = expectRecord(item, `${path}.disks[${i}]`);
      const diskPath = `${path}.disks[${i}]`;
      return {
        diskId: expectString(disk["disk_id"], `${diskPath}.disk_id`),
        device: expectString(disk["device"], `${diskPath}.device`),
        type: expectOneOf(disk["type"], DISK_TYPES, `${diskPath}.type`),
        sizeGiB: expectInteger(disk["size"], `${diskPath}.size`, 1),
      };
    }),
  };
}

function importSnapshot(value: unknown, where: { regionId: string; path: string }): SnapshotRecord {
  const record = expectRecord(value, where.path);
  const { path } = where;
  return {
    id: expectString(record["id"], `${path}.id`),
    regionId: where.regionId,
    diskType: expectOneOf(record["disk_type"], DISK_TYPES, `${path}.disk_type`),
    sizeGiB: expectInteger(record["size"], `${path}.size`, 1),
    status: expectOneOf(record["status"], SNAPSHOT_STATUSES, `${path}.status`),
    creationTimeMs: expectInteger(
      record["creation_time_ms"],
      `${path}.creation_time_ms`,
      Number.MIN_SAFE_INTEGER,
    ),
    sourceDiskId: expectString(record["source_disk_id"], `${path}.source_disk_id`),
    instanceId: expectString(record["instance_id"], `${path}.instance_id`),
    tags: importPairs(record["tags"], `${path}.tags`),
  };
}

function importPairs(value: unknown, path: string): Map<string, string> {
  return new Map(
    expectArray(value, path).map((item, i) => {
      const pair = expectStringArray(item, `${path}[${i}]`);
      if (pair.length !== 2) throw new Error(`${path}[${i}] must be a [key, value] pair`);
      return [pair[0] ?? "", pair[1] ?? ""];
    }),
  );
}

function importImage(value: unknown, where: { regionId: string; path: string }): ImageRecord {
  const record = expectRecord(value, where.path);
  const { path } = where;
  return {
    id: expectString(record["id"], `${path}.id`),
    regionId: where.regionId,
    ownerAccountId: expectString(record["owner"], `${path}.owner`),
    name: expectString(record["name"], `${path}.name`),
    description: expectString(record["description"], `${path}.description`),
    version: expectString(record["version"], `${path}.version`),
    phase: importPhase(record["phase"], `${path}.phase`),
    creationTimeMs: expectInteger(
      record["creation_time_ms"],
      `${path}.creation_time_ms`,
      Number.MIN_SAFE_INTEGER,
    ),
    sizeGiB: expectInteger(record["size"], `${path}.size`, 1),
    architecture: expectOneOf(record["architecture"], ARCHITECTURES, `${path}.architecture`),
    platform: expectString(record["platform"], `${path}.platform`),
    bootMode: expectOneOf(record["boot_mode"], [...BOOT_MODES, ""], `${path}.boot_mode`),
    imageFamily: expectString(record["image_family"], `${path}.image_family`),
    resourceGroupId: expectString(record["resource_group_id"], `${path}.resource_group_id`),
    inUse: expectBoolean(record["in_use"], `${path}.in_use`),
    tags: importPairs(record["tags"], `${path}.tags`),
    sharedWith: importShares(record["shared_with"], `${path}.shared_with`),
    disks: expectArray(record["disks"], `${path}.disks`).map((item, i) =>
      importDisk(item, `${path}.disks[${i}]`),
    ),
  };
}

function importShares(value: unknown, path: string): Map<string, number> {
  return new Map(
    expectArray(value, path).map((item, i) => {
      const pair = expectArray(item, `${path}[${i}]`);
      return [
        expectString(pair[0], `${path}[${i}][0]`),
        expectInteger(pair[1], `${path}[${i}][1]`, Number.MIN_SAFE_INTEGER),
      ];
    }),
  );
}

function importDisk(value: unknown, path: string): DiskMapping {
  const disk = expectRecord(value, path);
  return {
    device: expectString(disk["device"], `${path}.device`),
    type: expectOneOf(disk["type"], DISK_TYPES, `${path}.type`),
    sizeGiB: expectInteger(disk["size"], `${path}.size`, 1),
    snapshotId:
      disk["snapshot_id"] === null ? undefined : expectString(disk["snapshot_id"], `${path}.snapshot_id`),
  };
}

function importPhase(value: unknown, path: string): Phase {
  const record = expectRecord(value, path);
  if (record["kind"] === "settled") {
    return {
      kind: "settled",
      status: expectOneOf(record["status"], SETTLED_STATUSES, `${path}.status`),
      progress: expectString(record["progress"], `${path}.progress`),
    };
  }
  if (record["kind"] !== "building") throw new Error(`${path}.kind must be "building" or "settled"`);
  const build = expectRecord(record["build"], `${path}.build`);
  const failAt = build["failAtMs"];
  return {
    kind: "building",
    build: {
      startedAtMs: expectNumber(build["startedAtMs"], `${path}.build.startedAtMs`, Number.MIN_SAFE_INTEGER),
      endsAtMs: expectNumber(build["endsAtMs"], `${path}.build.endsAtMs`, Number.MIN_SAFE_INTEGER),
      failAtMs:
        failAt === undefined || failAt === null
          ? undefined
          : expectNumber(failAt, `${path}.build.failAtMs`, Number.MIN_SAFE_INTEGER),
    },
  };
}
