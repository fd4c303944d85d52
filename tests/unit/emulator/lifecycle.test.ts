import { call, createImage, describeImage, makeCore, ok } from "./harness";

describe("image lifecycle", () => {
  test("an image goes Creating 0% -> 50% -> Available 100% with the clock", () => {
    const { core, clock } = makeCore();
    const id = createImage(core, { InstanceId: "i-running", ImageName: "life-1" });
    expect(describeImage(core, id)).toMatchObject({ Status: "Creating", Progress: "0%" });
    clock.advanceSeconds(5);
    expect(describeImage(core, id)).toMatchObject({ Status: "Creating", Progress: "50%" });
    clock.advanceSeconds(4.9);
    expect(describeImage(core, id)).toMatchObject({ Status: "Creating", Progress: "99%" });
    clock.advanceSeconds(0.1);
    expect(describeImage(core, id)).toMatchObject({ Status: "Available", Progress: "100%" });
    expect(ok(call(core, "DescribeImages", { ImageId: id }))["TotalCount"]).toBe(1);
  });

  test("image_create_seconds 0 makes images Available at once", () => {
    const { core } = makeCore({
      credentials: [],
      image_create_seconds: 0,
      regions: {
        "cn-hangzhou": {
          instances: [
            { id: "i-1", status: "Running", disks: [{ device: "/dev/xvda", type: "system", size: 20 }] },
          ],
        },
      },
    });
    const id = createImage(core, { InstanceId: "i-1" });
    expect(describeImage(core, id)).toMatchObject({ Status: "Available", Progress: "100%" });
  });

  test("completeCreating() finishes every Creating image and counts them", () => {
    const { core } = makeCore();
    const a = createImage(core, { InstanceId: "i-running", ImageName: "c-1" });
    const b = createImage(core, { SnapshotId: "s-system", ImageName: "c-2" });
    expect(core.completeCreating()).toBe(2);
    expect(describeImage(core, a)).toMatchObject({ Status: "Available", Progress: "100%" });
    expect(describeImage(core, b)).toMatchObject({ Status: "Available" });
    expect(core.completeCreating()).toBe(0);
  });

  test("setFailingImageNames() makes such builds CreateFailed within one second", () => {
    const { core, clock } = makeCore();
    core.setFailingImageNames(["broken-1"]);
    const id = createImage(core, { InstanceId: "i-running", ImageName: "broken-1" });
    const fine = createImage(core, { InstanceId: "i-running", ImageName: "fine-1" });
    expect(describeImage(core, id)).toMatchObject({ Status: "Creating" });
    clock.advanceSeconds(1);
    expect(describeImage(core, id)).toMatchObject({ Status: "CreateFailed" });
    expect(describeImage(core, fine)).toMatchObject({ Status: "Creating", Progress: "10%" });
  });

  test("completeCreating() fails a doomed build at once", () => {
    const { core } = makeCore();
    core.setFailingImageNames(["broken-1"]);
    const id = createImage(core, { InstanceId: "i-running", ImageName: "broken-1" });
    expect(core.completeCreating()).toBe(1);
    expect(describeImage(core, id)).toMatchObject({ Status: "CreateFailed" });
  });

  test("setFailingImageNames() dooms a build already running and an empty list clears", () => {
    const { core, clock } = makeCore();
    const id = createImage(core, { InstanceId: "i-running", ImageName: "late-1" });
    clock.advanceSeconds(3);
    core.setFailingImageNames(["late-1"]);
    clock.advanceSeconds(0.5);
    expect(describeImage(core, id)).toMatchObject({ Status: "CreateFailed" });
    core.setFailingImageNames([]);
    const next = createImage(core, { InstanceId: "i-running", ImageName: "late-2" });
    clock.advanceSeconds(10);
    expect(describeImage(core, next)).toMatchObject({ Status: "Available" });
  });

  test("a finished image does not fail when its name is added to the failing set later", () => {
    const { core, clock } = makeCore();
    const id = createImage(core, { InstanceId: "i-running", ImageName: "done-1" });
    clock.advanceSeconds(11);
    core.setFailingImageNames(["done-1"]);
    clock.advanceSeconds(2);
    expect(describeImage(core, id)).toMatchObject({ Status: "Available" });
  });
});
