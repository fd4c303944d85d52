import type { SnapshotInfo } from "../../../src/cloud/ecs-api";
import type { DesiredImage, ImageState } from "../../../src/common/types";
import type { Observed } from "../../../src/reconcile/observe";
import type { Plan, PlanErrorCode, StepKind } from "../../../src/reconcile/plan";
import { planImage, toCreateInput } from "../../../src/reconcile/plan";
import { image } from "./fake-ecs-api";
import { desiredImage } from "../../helpers/desired";

const REGION = "cn-hangzhou";

function desired(fields: Partial<DesiredImage> = {}): DesiredImage {
  return desiredImage({ region: REGION, ...fields });
}

function observed(
  img: ImageState | undefined,
  lookup: Observed["lookup"],
  duplicates: string[] = [],
): Observed {
  return { image: img, lookup, duplicates };
}

function withInstance(status: string, lockReasons: string[] = []): Observed {
  return {
    ...observed(undefined, "name"),
    source: { kind: "instance", instanceId: "i-1", instance: { instanceId: "i-1", status, lockReasons } },
  };
}

function withSnapshot(fields: Partial<SnapshotInfo> | undefined): Observed {
  const snapshot: SnapshotInfo | undefined =
    fields === undefined
      ? undefined
      : {
          snapshotId: "s-1",
          status: "accomplished",
          diskType: "system",
          sizeGiB: 40,
          creationTime: "2025-01-01T00:00:00Z",
          ...fields,
        };
  return { ...observed(undefined, "name"), source: { kind: "snapshot", snapshotId: "s-1", snapshot } };
}

const SNAPSHOT = { kind: "snapshot", snapshotId: "s-1" } as const;

const INSTANCE = { kind: "instance", instanceId: "i-1" } as const;
const GOLDEN = image({
  imageId: "m-golden",
  imageName: "golden-1",
  description: "first build",
  tags: { team: "platform" },
});
const CREATING = image({ imageId: "m-creating", imageName: "web-2", status: "Creating", progress: "40%" });
const FAILED = image({ imageId: "m-failed", imageName: "broken-1", status: "CreateFailed" });
const IN_USE = image({ imageId: "m-inuse", imageName: "in-use-1", inUse: true, launchPermission: [] });
const SHARED = image({
  imageId: "m-shared",
  imageName: "shared-1",
  inUse: false,
  launchPermission: ["1100000000000001"],
});
const TWELVE = Array.from({ length: 12 }, (_, i) => `11000000000000${String(i + 1).padStart(2, "0")}`);

interface Row {
  readonly name: string;
  readonly desired: DesiredImage;
  readonly observed: Observed;
  readonly changed: boolean;
  readonly steps: readonly StepKind[];
  readonly error?: PlanErrorCode;
  readonly msg?: RegExp;
  readonly warning?: RegExp;
}

const ROWS: readonly Row[] = [
  {
    name: "present: create from a Stopped instance passes the pre-flight check",
    desired: desired({ imageName: "web-1", source: INSTANCE }),
    observed: withInstance("Stopped"),
    changed: true,
    steps: ["create"],
  },
  {
    name: "present: create from a missing instance is refused before any write",
    desired: desired({ imageName: "web-1", source: INSTANCE }),
    observed: {
      ...observed(undefined, "name"),
      source: { kind: "instance", instanceId: "i-1", instance: undefined },
    },
    changed: false,
    steps: [],
    error: "SourceNotFound",
    msg: /^Instance i-1 \(instance_id\) not found in region cn-hangzhou$/,
  },
  {
    name: "present: create from a Starting instance is refused before any write",
    desired: desired({ imageName: "web-1", source: INSTANCE }),
    observed: withInstance("Starting"),
    changed: false,
    steps: [],
    error: "SourceNotReady",
    msg: /is Starting: an image can be made only from a Running or Stopped instance/,
  },
  {
    name: "present: create from an instance locked for security is refused",
    desired: desired({ imageName: "web-1", source: INSTANCE }),
    observed: withInstance("Running", ["security"]),
    changed: false,
    steps: [],
    error: "SourceNotReady",
  },
  {
    name: "present: create from an accomplished system snapshot passes",
    desired: desired({ imageName: "web-1", source: SNAPSHOT }),
    observed: withSnapshot({}),
    changed: true,
    steps: ["create"],
  },
  {
    name: "present: create from a missing snapshot is refused",
    desired: desired({ imageName: "web-1", source: SNAPSHOT }),
    observed: withSnapshot(undefined),
    changed: false,
    steps: [],
    error: "SourceNotFound",
    msg: /Snapshot s-1 \(snapshot_id\) not found in region cn-hangzhou/,
  },
  {
    name: "present: create from a snapshot still in progress is refused",
    desired: desired({ imageName: "web-1", source: SNAPSHOT }),
    observed: withSnapshot({ status: "progressing" }),
    changed: false,
    steps: [],
    error: "SourceNotReady",
  },
  {
    name: "present: create from a data disk snapshot is refused",
    desired: desired({ imageName: "web-1", source: SNAPSHOT }),
    observed: withSnapshot({ diskType: "data" }),
    changed: false,
    steps: [],
    error: "SourceInvalid",
    msg: /data disk/,
  },
  {
    name: "present: create from a snapshot older than 2013-07-16 is refused",
    desired: desired({ imageName: "web-1", source: SNAPSHOT }),
    observed: withSnapshot({ creationTime: "2013-07-15T00:00:00Z" }),
    changed: false,
    steps: [],
    error: "SourceInvalid",
  },
  {
    name: "present by id: adopts an existing image and never creates",
    desired: desired({ imageId: "m-golden", source: INSTANCE }),
    observed: observed(GOLDEN, "id"),
    changed: false,
    steps: [],
    msg: /m-golden in region cn-hangzhou is up to date/,
  },
  {
    name: "present by id: not found is an error naming the region",
    desired: desired({ imageId: "m-123", source: INSTANCE }),
    observed: observed(undefined, "id"),
    changed: false,
    steps: [],
    error: "ImageNotFound",
    msg: /^Image m-123 not found in region cn-hangzhou$/,
  },
  {
    name: "present by id: renames when the name differs",
    desired: desired({ imageId: "m-golden", imageName: "golden-2" }),
    observed: observed(GOLDEN, "id"),
    changed: true,
    steps: ["setAttributes"],
  },
  {
    name: "present by name: found (any status) is reconciled, no create",
    desired: desired({ imageName: "web-2", source: INSTANCE }),
    observed: observed(CREATING, "name"),
    changed: false,
    steps: [],
  },
  {
    name: "present by name: still creating with wait adds a wait only (not a change)",
    desired: desired({ imageName: "web-2", source: INSTANCE, wait: true }),
    observed: observed(CREATING, "name"),
    changed: false,
    steps: ["waitAvailable"],
  },
  {
    name: "present by name: CreateFailed with wait is refused before any write",
    desired: desired({ imageName: "broken-1", wait: true }),
    observed: observed(FAILED, "name"),
    changed: false,
    steps: [],
    error: "ImageCreateFailed",
    msg: /m-failed in region cn-hangzhou is in status CreateFailed/,
  },
  {
    name: "present by name: not found creates from the one source",
    desired: desired({ imageName: "web-1", source: INSTANCE }),
    observed: observed(undefined, "name"),
    changed: true,
    steps: ["create"],
  },
  {
    name: "present by name: not found and no source is an error naming the source options",
    desired: desired({ imageName: "never-built-1" }),
    observed: observed(undefined, "name"),
    changed: false,
    steps: [],
    error: "MissingSource",
    msg: /never-built-1 not found in region cn-hangzhou .*instance_id, snapshot_id or disk_mapping/,
  },
  {
    name: "present with neither id nor name: creates each run with a warning",
    desired: desired({ source: INSTANCE }),
    observed: observed(undefined, "none"),
    changed: true,
    steps: ["create"],
    warning: /not idempotent.*image_name/,
  },
  {
    name: "present with neither id nor name nor source: error",
    desired: desired(),
    observed: observed(undefined, "none"),
    changed: false,
    steps: [],
    error: "MissingSource",
  },
  {
    name: "present by name: never renames an image found by name",
    desired: desired({ imageName: "golden-1" }),
    observed: observed(GOLDEN, "name"),
    changed: false,
    steps: [],
  },
  {
    name: "present: description differs: set in place",
    desired: desired({ imageName: "golden-1", description: "second build", source: INSTANCE }),
    observed: observed(GOLDEN, "name"),
    changed: true,
    steps: ["setAttributes"],
    msg: /will be updated/,
  },
  {
    name: "present: empty description is a value, not 'unmanaged'",
    desired: desired({ imageName: "golden-1", description: "" }),
    observed: observed(GOLDEN, "name"),
    changed: true,
    steps: ["setAttributes"],
  },
  {
    name: "present: tags already there: no-op",
    desired: desired({ imageName: "golden-1", tags: { team: "platform" } }),
    observed: observed(GOLDEN, "name"),
    changed: false,
    steps: [],
  },
  {
    name: "present: missing tag: tag only that one",
    desired: desired({ imageName: "golden-1", tags: { team: "platform", env: "prod" } }),
    observed: observed(GOLDEN, "name"),
    changed: true,
    steps: ["tag"],
  },
  {
    name: "present: tags over 20 in total are refused before any write",
    desired: desired({
      imageName: "golden-1",
      tags: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, "v"])),
    }),
    observed: observed(GOLDEN, "name"),
    changed: false,
    steps: [],
    error: "TooManyTags",
    msg: /21 tags, more than the limit of 20/,
  },
  {
    name: "present: missing share accounts: added in batches of 10",
    desired: desired({ imageName: "golden-1", launchPermission: TWELVE }),
    observed: observed({ ...GOLDEN, launchPermission: [] }, "name"),
    changed: true,
    steps: ["share", "share"],
  },
  {
    name: "present: share accounts already there: no-op",
    desired: desired({ imageName: "shared-1", launchPermission: ["1100000000000001"] }),
    observed: observed(SHARED, "name"),
    changed: false,
    steps: [],
  },
  {
    name: "present: sharing a Creating image waits first even without wait, with a warning",
    desired: desired({ imageName: "web-2", launchPermission: ["1100000000000001"] }),
    observed: observed({ ...CREATING, launchPermission: [] }, "name"),
    changed: true,
    steps: ["waitAvailable", "share"],
    warning: /must be Available before it can be shared/,
  },
  {
    name: "present: image_version differs on an existing image is refused (create-only)",
    desired: desired({ imageName: "golden-1", imageVersion: "2" }),
    observed: observed({ ...GOLDEN, imageVersion: "1" }, "name"),
    changed: false,
    steps: [],
    error: "CreateOnlyAttributeChanged",
    msg: /image_version 1, which cannot be changed to 2/,
  },
  {
    name: "present: same image_version is fine",
    desired: desired({ imageName: "golden-1", imageVersion: "1" }),
    observed: observed({ ...GOLDEN, imageVersion: "1" }, "name"),
    changed: false,
    steps: [],
  },
  {
    name: "present: create with wait and 12 accounts: create, wait, 2 share calls",
    desired: desired({ imageName: "shared-many-1", source: INSTANCE, wait: true, launchPermission: TWELVE }),
    observed: observed(undefined, "name"),
    changed: true,
    steps: ["create", "waitAvailable", "share", "share"],
  },
  {
    name: "present: create with 51 accounts is refused",
    desired: desired({
      imageName: "x",
      source: INSTANCE,
      launchPermission: Array.from({ length: 51 }, (_, i) => `12${String(i).padStart(14, "0")}`),
    }),
    observed: observed(undefined, "name"),
    changed: false,
    steps: [],
    error: "TooManySharedAccounts",
    msg: /51 accounts, more than the limit of 50/,
  },
  {
    name: "present: create without wait does not wait (tags go in the create call)",
    desired: desired({ imageName: "tagged-1", source: INSTANCE, tags: { team: "data" } }),
    observed: observed(undefined, "name"),
    changed: true,
    steps: ["create"],
  },
  {
    name: "present: duplicates of a name give a warning",
    desired: desired({ imageName: "golden-1" }),
    observed: observed(GOLDEN, "name", ["m-other"]),
    changed: false,
    steps: [],
    warning:
      /Found 2 images named golden-1 in region cn-hangzhou: using the oldest, m-golden, and ignoring m-other/,
  },
  {
    name: "absent: missing image by id is changed false naming the region",
    desired: desired({ state: "absent", imageId: "m-gone" }),
    observed: observed(undefined, "id"),
    changed: false,
    steps: [],
    msg: /^Image m-gone not found in region cn-hangzhou, nothing to delete$/,
  },
  {
    name: "absent: missing image by name is changed false naming the region",
    desired: desired({ state: "absent", imageName: "nope" }),
    observed: observed(undefined, "name"),
    changed: false,
    steps: [],
    msg: /Image named nope not found in region cn-hangzhou/,
  },
  {
    name: "absent: existing unused image is deleted",
    desired: desired({ state: "absent", imageId: "m-golden" }),
    observed: observed({ ...GOLDEN, inUse: false, launchPermission: [] }, "id"),
    changed: true,
    steps: ["delete"],
  },
  {
    name: "absent with wait: delete then wait until gone",
    desired: desired({ state: "absent", imageName: "golden-1", wait: true }),
    observed: observed({ ...GOLDEN, launchPermission: [] }, "name"),
    changed: true,
    steps: ["delete", "waitDeleted"],
  },
  {
    name: "absent: an image still being built is refused without wait, saying what to do",
    desired: desired({ state: "absent", imageId: "m-golden" }),
    observed: observed({ ...GOLDEN, status: "Creating", launchPermission: [] }, "id"),
    changed: false,
    steps: [],
    error: "ImageBuilding",
    msg: /^Image m-golden in region cn-hangzhou is still being built \(Creating\) and cannot be deleted yet: set wait/,
  },
  {
    name: "absent with wait: an image still being built is waited for, then deleted",
    desired: desired({ state: "absent", imageId: "m-golden", wait: true }),
    observed: observed({ ...GOLDEN, status: "Creating", launchPermission: [] }, "id"),
    changed: true,
    steps: ["waitBuilt", "delete", "waitDeleted"],
  },
  {
    name: "absent: in use without force is refused naming the cause",
    desired: desired({ state: "absent", imageId: "m-inuse" }),
    observed: observed(IN_USE, "id"),
    changed: false,
    steps: [],
    error: "ImageInUse",
    msg: /in use by instances \(ImageUsingByInstance\): set force/,
  },
  {
    name: "absent: in use with force is deleted with Force",
    desired: desired({ state: "absent", imageId: "m-inuse", force: true }),
    observed: observed(IN_USE, "id"),
    changed: true,
    steps: ["delete"],
  },
  {
    name: "absent: shared without force is refused naming the cause",
    desired: desired({ state: "absent", imageId: "m-shared" }),
    observed: observed(SHARED, "id"),
    changed: false,
    steps: [],
    error: "ImageShared",
    msg: /shared with 1 account\(s\).*set force/,
  },
  {
    name: "absent: shared with force: unshare all, then delete",
    desired: desired({ state: "absent", imageId: "m-shared", force: true }),
    observed: observed(SHARED, "id"),
    changed: true,
    steps: ["unshare", "delete"],
  },
  {
    name: "absent with neither id nor name: error",
    desired: desired({ state: "absent" }),
    observed: observed(undefined, "none"),
    changed: false,
    steps: [],
    error: "MissingIdentity",
  },
];

describe("planImage()", () => {
  test.each(ROWS.map((row) => [row.name, row] as const))("%s", (_name, row) => {
    const plan = planImage(row.desired, row.observed);
    expect(plan.steps.map((step) => step.kind)).toEqual(row.steps);
    expect(plan.changed).toBe(row.changed);
    expect(plan.error?.code).toBe(row.error);
    if (row.msg !== undefined) expect(plan.error?.message ?? plan.msg).toMatch(row.msg);
    if (row.warning !== undefined) expect(plan.warnings.join("\n")).toMatch(row.warning);
    else expect(plan.warnings).toEqual([]);
  });

  test("planImage() is pure: the same inputs give the same plan (check mode decides as the real run)", () => {
    for (const row of ROWS) {
      const first = planImage(row.desired, row.observed);
      const second = planImage(structuredClone(row.desired), structuredClone(row.observed));
      expect(second).toEqual(first);
    }
  });

  test("planImage() messages are sentence case with no trailing period", () => {
    for (const row of ROWS) {
      const plan = planImage(row.desired, row.observed);
      for (const text of [plan.msg, ...plan.warnings]) {
        expect(text).toMatch(/^[A-Z]/);
        expect(text).not.toMatch(/\.$/);
      }
    }
  });

  test("planImage() puts tags, version, description and a ClientToken in the create step", () => {
    const plan = planImage(
      desired({
        imageName: "web-1",
        imageVersion: "4",
        description: "d",
        tags: { a: "b" },
        source: INSTANCE,
      }),
      observed(undefined, "name"),
    );
    const step = plan.steps[0];
    expect(step?.kind).toBe("create");
    if (step?.kind !== "create") return;
    expect(step.input).toMatchObject({
      region: REGION,
      imageName: "web-1",
      imageVersion: "4",
      description: "d",
      tags: { a: "b" },
      source: INSTANCE,
    });
    expect(step.input.clientToken).toMatch(/^[0-9a-f]{64}$/);
  });

  test("planImage() sends only the fields that differ", () => {
    const plan = planImage(
      desired({ imageId: "m-golden", imageName: "golden-1", description: "new" }),
      observed(GOLDEN, "id"),
    );
    expect(plan.steps).toEqual([{ kind: "setAttributes", changes: { description: "new" } }]);
  });

  test("planImage() tags only the missing or different keys", () => {
    const plan = planImage(
      desired({ imageName: "golden-1", tags: { team: "platform", env: "prod" } }),
      observed(GOLDEN, "name"),
    );
    expect(plan.steps).toEqual([{ kind: "tag", tags: { env: "prod" } }]);
  });

  test("planImage() shares 12 accounts in 2 batches (10 + 2) after the wait", () => {
    const plan = planImage(
      desired({
        imageName: "s",
        source: INSTANCE,
        wait: true,
        waitTimeoutSeconds: 60,
        launchPermission: TWELVE,
      }),
      observed(undefined, "name"),
    );
    expect(plan.steps.slice(1)).toEqual([
      { kind: "waitAvailable", timeoutMs: 60_000 },
      { kind: "share", accounts: TWELVE.slice(0, 10) },
      { kind: "share", accounts: TWELVE.slice(10) },
    ]);
  });

  test("planImage() deletes with Force only when force is set", () => {
    const plain = planImage(
      desired({ state: "absent", imageId: "m-golden" }),
      observed({ ...GOLDEN, launchPermission: [] }, "id"),
    );
    const forced = planImage(
      desired({ state: "absent", imageId: "m-inuse", force: true }),
      observed(IN_USE, "id"),
    );
    expect(plain.steps).toEqual([{ kind: "delete", force: false }]);
    expect(forced.steps).toEqual([{ kind: "delete", force: true }]);
  });

  test("planImage() gives before and after for diff mode", () => {
    const plan: Plan = planImage(
      desired({ imageName: "golden-1", description: "second build", tags: { env: "prod" } }),
      observed(GOLDEN, "name"),
    );
    expect(plan.before).toMatchObject({
      imageId: "m-golden",
      description: "first build",
      tags: { team: "platform" },
    });
    expect(plan.after).toMatchObject({
      imageId: "m-golden",
      description: "second build",
      tags: { team: "platform", env: "prod" },
    });
    const create = planImage(desired({ imageName: "n", source: INSTANCE }), observed(undefined, "name"));
    expect(create.before).toBeUndefined();
    expect(create.after).toMatchObject({ imageName: "n", imageId: undefined });
    const absent = planImage(
      desired({ state: "absent", imageId: "m-golden" }),
      observed({ ...GOLDEN, launchPermission: [] }, "id"),
    );
    expect(absent.after).toBeUndefined();
  });

  test("toCreateInput() gives the same ClientToken for the same request", () => {
    const a = toCreateInput(desired({ imageName: "x", tags: { a: "1", b: "2" } }), INSTANCE);
    const b = toCreateInput(desired({ imageName: "x", tags: { b: "2", a: "1" } }), INSTANCE);
    const c = toCreateInput(desired({ imageName: "y" }), INSTANCE);
    expect(a.clientToken).toBe(b.clientToken);
    expect(c.clientToken).not.toBe(a.clientToken);
  });
});

describe("planImage() ClientToken", () => {
  test("planImage() mixes the run nonce into the token of a nameless create only", () => {
    const nameless = desired({ source: INSTANCE });
    const token = (nonce: string, want: DesiredImage): string => {
      const step = planImage(want, observed(undefined, want.imageName === undefined ? "none" : "name"), {
        runNonce: nonce,
      }).steps[0];
      return step?.kind === "create" ? step.input.clientToken : "";
    };
    expect(token("run-1", nameless)).not.toBe(token("run-2", nameless));
    expect(token("run-1", nameless)).toBe(token("run-1", nameless));
    const named = desired({ imageName: "web-1", source: INSTANCE });
    expect(token("run-1", named)).toBe(token("run-2", named));
  });
});
