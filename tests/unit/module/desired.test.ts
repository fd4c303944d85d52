import { toDesiredImage } from "../../../src/module/desired";
import { validateParams } from "../../../src/module/params";

function desiredFrom(args: Record<string, unknown>) {
  const result = validateParams(JSON.parse(JSON.stringify(args)) as Parameters<typeof validateParams>[0], {});
  if (!result.ok) throw new Error(result.error.msg);
  return toDesiredImage(result.params, "cn-hangzhou");
}

describe("toDesiredImage() maps Ansible params to the domain type", () => {
  test("toDesiredImage() leaves options not given undefined", () => {
    expect(desiredFrom({})).toEqual({
      state: "present",
      region: "cn-hangzhou",
      imageId: undefined,
      imageName: undefined,
      imageVersion: undefined,
      description: undefined,
      tags: undefined,
      launchPermission: undefined,
      source: undefined,
      wait: false,
      waitTimeoutSeconds: 300,
      force: false,
      purgeTags: false,
      purgeLaunchPermission: false,
      deleteSnapshots: false,
      tagSnapshots: false,
      attributes: {
        architecture: undefined,
        platform: undefined,
        bootMode: undefined,
        imageFamily: undefined,
        resourceGroupId: undefined,
      },
    });
  });

  test("toDesiredImage() turns the tag list into a map and keeps empty values", () => {
    expect(desiredFrom({ tags: [{ tag_key: "a", tag_value: "b" }, { tag_key: "c" }] }).tags).toEqual({
      a: "b",
      c: "",
    });
  });

  test("toDesiredImage() keeps an empty tag list and empty description as values", () => {
    const desired = desiredFrom({ images_tags: [], description: "", launch_permission: [] });
    expect(desired).toMatchObject({ tags: {}, description: "", launchPermission: [] });
  });

  test.each<[string, Record<string, unknown>, unknown]>([
    ["instance", { instance: "i-1" }, { kind: "instance", instanceId: "i-1" }],
    ["snapshot", { snapshot_id: "s-1" }, { kind: "snapshot", snapshotId: "s-1" }],
    [
      "disks",
      { disk_mapping: [{ device: "/dev/xvda", disk_size: 5, snapshot_id: "s-1" }, { device: "/dev/xvdb" }] },
      {
        kind: "disks",
        disks: [
          { device: "/dev/xvda", sizeGiB: 5, snapshotId: "s-1" },
          { device: "/dev/xvdb", sizeGiB: undefined, snapshotId: undefined },
        ],
      },
    ],
  ])("toDesiredImage() builds the %s source", (_name, args, expected) => {
    expect(desiredFrom(args).source).toEqual(expected);
  });

  test("toDesiredImage() shares with each account once and carries the switches", () => {
    const desired = desiredFrom({
      launch_permission: "1,2,1",
      status: "absent",
      image_id: "m-1",
      force: "yes",
      wait: 1,
      wait_timeout: "60",
    });
    expect(desired).toMatchObject({
      launchPermission: ["1", "2"],
      state: "absent",
      imageId: "m-1",
      force: true,
      wait: true,
      waitTimeoutSeconds: 60,
    });
  });
});
