import * as errors from "../../../src/emulator/errors";
import { EcsFailureError } from "../../../src/emulator/errors";
import {
  pageOf,
  readBoolean,
  readCommaList,
  readDiskMappings,
  readIndexedList,
  readJsonStringArray,
  readPaging,
  readTags,
  requiredString,
} from "../../../src/emulator/request-params";
import type { EcsError } from "../../../src/emulator/contract";

function thrown(fn: () => unknown): EcsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof EcsFailureError) return error.ecsError;
    throw error;
  }
  throw new Error("expected an ECS error");
}

describe("request-params", () => {
  test("readTags() reads Tag.N.Key/Value in N order, keeping empty values", () => {
    expect(
      readTags({
        "Tag.2.Key": "b",
        "Tag.2.Value": "",
        "Tag.10.Key": "c",
        "Tag.1.Key": "a",
        "Tag.1.Value": "1",
        TagKey: "x",
      }),
    ).toEqual([
      { index: 1, key: "a", value: "1" },
      { index: 2, key: "b", value: "" },
      { index: 10, key: "c", value: undefined },
    ]);
  });

  test("readDiskMappings() reads DiskDeviceMapping.N fields", () => {
    expect(
      readDiskMappings({
        "DiskDeviceMapping.1.Device": "/dev/xvda",
        "DiskDeviceMapping.1.Size": "40",
        "DiskDeviceMapping.2.SnapshotId": "s-1",
        "DiskDeviceMapping.2.DiskType": "data",
      }),
    ).toEqual([
      { index: 1, device: "/dev/xvda", size: "40", snapshotId: undefined, diskType: undefined },
      { index: 2, device: undefined, size: undefined, snapshotId: "s-1", diskType: "data" },
    ]);
  });

  test("readIndexedList() reads AddAccount.N / ResourceId.N / TagKey.N in N order", () => {
    expect(
      readIndexedList(
        { "AddAccount.2": "b", "AddAccount.1": "a", "AddAccount.11": "k", "AddAccount.3": "" },
        "AddAccount",
      ),
    ).toEqual(["a", "b", "k"]);
    expect(readIndexedList({ "ResourceId.1": "m-1" }, "RemoveAccount")).toEqual([]);
  });

  test("readJsonStringArray() reads JSON-array strings and rejects anything else", () => {
    expect(readJsonStringArray({ InstanceIds: '["i-1","i-2"]' }, "InstanceIds")).toEqual(["i-1", "i-2"]);
    expect(readJsonStringArray({}, "InstanceIds")).toBeUndefined();
    expect(thrown(() => readJsonStringArray({ InstanceIds: '{"a":1}' }, "InstanceIds"))).toEqual(
      errors.invalidParameter("InstanceIds"),
    );
  });

  test("readBoolean() takes true/false in any case; anything else is InvalidParameter", () => {
    expect(readBoolean({ Force: "TRUE" }, "Force", false)).toBe(true);
    expect(readBoolean({ Force: "false" }, "Force", true)).toBe(false);
    expect(readBoolean({}, "Force", true)).toBe(true);
    expect(thrown(() => readBoolean({ Force: "1" }, "Force", false))).toEqual(
      errors.invalidParameter("Force"),
    );
  });

  test("readPaging() defaults, clamps and rejects non-integers; pageOf() slices", () => {
    const limits = { defaultSize: 10, maxSize: 100 };
    expect(readPaging({}, limits)).toEqual({ pageNumber: 1, pageSize: 10 });
    expect(readPaging({ PageNumber: "0", PageSize: "101" }, limits)).toEqual({
      pageNumber: 1,
      pageSize: 100,
    });
    expect(thrown(() => readPaging({ PageNumber: "1.5" }, limits))).toEqual(
      errors.invalidParameter("PageNumber"),
    );
    expect(pageOf([1, 2, 3, 4, 5], { pageNumber: 2, pageSize: 2 })).toEqual([3, 4]);
  });

  test("readCommaList() and requiredString()", () => {
    expect(readCommaList({ Status: "Creating, Available,," }, "Status")).toEqual(["Creating", "Available"]);
    expect(readCommaList({ Status: " " }, "Status")).toBeUndefined();
    expect(requiredString({ ImageId: "m-1" }, "ImageId")).toBe("m-1");
    expect(thrown(() => requiredString({ ImageId: "" }, "ImageId"))).toEqual(
      errors.missingParameter("ImageId"),
    );
  });
});
