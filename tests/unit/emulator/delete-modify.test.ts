import * as errors from "../../../src/emulator/errors";
import { call, createImage, describeImage, failure, makeCore, ok } from "./harness";

describe("DeleteImage", () => {
  test("deleteImage() removes the image and keeps its snapshots", () => {
    const { core } = makeCore();
    const id = createImage(core, { InstanceId: "i-running", ImageName: "del-1" });
    core.completeCreating();
    const snapshotIds = JSON.stringify(
      (
        describeImage(core, id)!["DiskDeviceMappings"] as { DiskDeviceMapping: { SnapshotId: string }[] }
      ).DiskDeviceMapping.map((m) => m.SnapshotId),
    );
    expect(ok(call(core, "DeleteImage", { ImageId: id }))).toEqual({});
    expect(describeImage(core, id)).toBeUndefined();
    const snapshots = ok(call(core, "DescribeSnapshots", { SnapshotIds: snapshotIds }));
    expect(snapshots["TotalCount"]).toBe(2);
    expect(
      (snapshots["Snapshots"] as { Snapshot: { Usage: string }[] }).Snapshot.map((s) => s.Usage),
    ).toEqual(["none", "none"]);
  });

  test("deleteImage() errors: missing, creating, in use without Force, shared even with Force", () => {
    const { core } = makeCore();
    const creating = createImage(core, { InstanceId: "i-running", ImageName: "busy-1" });
    expect(failure(call(core, "DeleteImage", { ImageId: "m-nope" }))).toEqual(
      errors.invalidImageIdNotFound(),
    );
    expect(failure(call(core, "DeleteImage", {}))).toEqual(errors.missingParameter("ImageId"));
    expect(failure(call(core, "DeleteImage", { ImageId: creating }))).toEqual(errors.imageIsCreating());
    expect(failure(call(core, "DeleteImage", { ImageId: "m-inuse" }))).toEqual(errors.imageUsingByInstance());
    expect(failure(call(core, "DeleteImage", { ImageId: "m-shared" }))).toEqual(errors.imageUseShared());
    expect(failure(call(core, "DeleteImage", { ImageId: "m-shared", Force: "true" }))).toEqual(
      errors.imageUseShared(),
    );
    expect(failure(call(core, "DeleteImage", { ImageId: "m-golden", Force: "maybe" }))).toEqual(
      errors.invalidParameter("Force"),
    );
    expect(ok(call(core, "DeleteImage", { ImageId: "m-inuse", Force: "true" }))).toEqual({});
  });

  test("deleteImage() error texts and statuses are the documented ones", () => {
    expect(errors.invalidImageIdNotFound()).toMatchObject({
      httpStatus: 404,
      code: "InvalidImageId.NotFound",
    });
    expect(errors.imageUsingByInstance()).toEqual({
      httpStatus: 403,
      code: "ImageUsingByInstance",
      message: "The specified image has been used to create instances.",
    });
    expect(errors.imageUseShared()).toEqual({
      httpStatus: 403,
      code: "ImageUseShared",
      message: "The specified image has been shared to others.",
    });
    expect(errors.imageIsCreating()).toMatchObject({ httpStatus: 403, code: "ImageIsCreating" });
    expect(errors.missingParameter("ImageId")).toEqual({
      httpStatus: 400,
      code: "MissingParameter",
      message: 'The input parameter "ImageId" that is mandatory for processing this request is not supplied.',
    });
  });

  test("deleteImage() cannot reach another account's image", () => {
    const { core } = makeCore();
    expect(failure(call(core, "DeleteImage", { ImageId: "m-golden" }, "2000000000000002"))).toEqual(
      errors.invalidImageIdNotFound(),
    );
  });
});

describe("ModifyImageAttribute", () => {
  test("modifyImageAttribute() changes only the given fields", () => {
    const { core } = makeCore();
    ok(call(core, "ModifyImageAttribute", { ImageId: "m-golden", Description: "second build" }));
    expect(describeImage(core, "m-golden")).toMatchObject({
      ImageName: "golden-1",
      Description: "second build",
    });
    ok(
      call(core, "ModifyImageAttribute", {
        ImageId: "m-golden",
        ImageName: "golden-2",
        ImageFamily: "fam-1",
        BootMode: "UEFI",
      }),
    );
    expect(describeImage(core, "m-golden")).toMatchObject({
      ImageName: "golden-2",
      Description: "second build",
      ImageFamily: "fam-1",
      BootMode: "UEFI",
    });
    ok(call(core, "ModifyImageAttribute", { ImageId: "m-golden", ImageName: "golden-2" }));
  });

  test("modifyImageAttribute() deprecates and restores", () => {
    const { core } = makeCore();
    ok(call(core, "ModifyImageAttribute", { ImageId: "m-golden", Status: "Deprecated" }));
    expect(describeImage(core, "m-golden")).toMatchObject({ Status: "Deprecated" });
    expect(ok(call(core, "DescribeImages", { ImageId: "m-golden" }))["TotalCount"]).toBe(0);
    ok(call(core, "ModifyImageAttribute", { ImageId: "m-golden", Status: "Available" }));
    expect(describeImage(core, "m-golden")).toMatchObject({ Status: "Available" });
  });

  test("modifyImageAttribute() errors", () => {
    const { core } = makeCore();
    const creating = createImage(core, { InstanceId: "i-running", ImageName: "mod-1" });
    expect(
      failure(call(core, "ModifyImageAttribute", { ImageId: "m-golden", ImageName: "in-use-1" })),
    ).toEqual(errors.invalidImageNameDuplicated());
    expect(failure(call(core, "ModifyImageAttribute", { ImageId: "m-golden", ImageName: "-bad" }))).toEqual(
      errors.invalidImageNameMalformed(),
    );
    expect(
      failure(call(core, "ModifyImageAttribute", { ImageId: "m-golden", Description: "http://x" })),
    ).toEqual(errors.invalidDescriptionMalformed());
    expect(failure(call(core, "ModifyImageAttribute", { ImageId: "m-nope", Description: "ok ok" }))).toEqual(
      errors.invalidImageIdNotFound(),
    );
    expect(failure(call(core, "ModifyImageAttribute", { Description: "ok ok" }))).toEqual(
      errors.missingParameter("ImageId"),
    );
    expect(failure(call(core, "ModifyImageAttribute", { ImageId: "m-golden", Status: "Creating" }))).toEqual(
      errors.invalidParameter("Status"),
    );
    expect(failure(call(core, "ModifyImageAttribute", { ImageId: creating, Status: "Deprecated" }))).toEqual(
      errors.incorrectImageStatus(),
    );
    expect(
      failure(call(core, "ModifyImageAttribute", { ImageId: "m-shared", Status: "Deprecated" })),
    ).toEqual(errors.imageUseShared());
    expect(failure(call(core, "ModifyImageAttribute", { ImageId: "m-golden", BootMode: "BIOS2" }))).toEqual(
      errors.invalidBootModeNotSupport(),
    );
    expect(
      failure(call(core, "ModifyImageAttribute", { ImageId: "m-golden", ImageFamily: "acs:fam" })),
    ).toEqual(errors.invalidImageFamilyMalformed());
    expect(describeImage(core, "m-golden")).toMatchObject({
      ImageName: "golden-1",
      Description: "first build",
    });
  });

  test("modifyImageAttribute() clears the description with an empty string", () => {
    const { core } = makeCore();
    ok(call(core, "ModifyImageAttribute", { ImageId: "m-golden", Description: "" }));
    expect(describeImage(core, "m-golden")).toMatchObject({ Description: "" });
  });
});
