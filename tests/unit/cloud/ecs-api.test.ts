import * as $Ecs from "@alicloud/ecs20140526";
import {
  createEcsApi,
  fromApiImage,
  toApiConfig,
  toApiCreateImageRequest,
  toApiDescribeImagesRequest,
} from "../../../src/cloud/ecs-api";
import { CloudConfigError } from "../../../src/cloud/errors";

const CONFIG = { accessKeyId: "AK", accessKeySecret: "SECRET", region: "cn-hangzhou" };

describe("ecs-api converters", () => {
  test("toApiDescribeImagesRequest() always asks for every status among own images, 100 per page", () => {
    const request = toApiDescribeImagesRequest("cn-hangzhou", { imageName: "web" });
    expect(request).toBeInstanceOf($Ecs.DescribeImagesRequest);
    expect(request).toMatchObject({
      regionId: "cn-hangzhou",
      imageOwnerAlias: "self",
      status: "Creating,Waiting,Available,UnAvailable,CreateFailed,Deprecated",
      pageSize: 100,
      pageNumber: 1,
      imageName: "web",
    });
    expect(toApiDescribeImagesRequest("r", { imageId: "m-1" }).status).toContain("CreateFailed");
  });

  test("toApiCreateImageRequest() puts the tags and the ClientToken in the create call", () => {
    const request = toApiCreateImageRequest({
      region: "cn-hangzhou",
      imageName: "web-1",
      imageVersion: "4",
      description: "d",
      tags: { team: "data", env: "" },
      source: { kind: "instance", instanceId: "i-1" },
      clientToken: "tok",
    });
    expect(request).toBeInstanceOf($Ecs.CreateImageRequest);
    expect(request).toMatchObject({
      regionId: "cn-hangzhou",
      imageName: "web-1",
      imageVersion: "4",
      description: "d",
      instanceId: "i-1",
      clientToken: "tok",
    });
    expect(request.tag?.map((tag) => [tag.key, tag.value])).toEqual([
      ["team", "data"],
      ["env", ""],
    ]);
    expect(request.snapshotId).toBeUndefined();
  });

  test("toApiCreateImageRequest() maps a snapshot source and a disk mapping", () => {
    const base = {
      region: "r",
      imageName: undefined,
      imageVersion: undefined,
      description: undefined,
      tags: undefined,
      clientToken: "t",
    };
    const snap = toApiCreateImageRequest({ ...base, source: { kind: "snapshot", snapshotId: "s-1" } });
    expect(snap).toMatchObject({ snapshotId: "s-1" });
    expect(snap.tag).toBeUndefined();
    expect(snap.imageName).toBeUndefined();
    const disks = toApiCreateImageRequest({
      ...base,
      source: {
        kind: "disks",
        disks: [
          { device: "/dev/xvda", sizeGiB: 40, snapshotId: "s-1" },
          { device: "/dev/xvdb", sizeGiB: 100, snapshotId: undefined },
        ],
      },
    });
    expect(disks.diskDeviceMapping).toEqual([
      expect.objectContaining({ device: "/dev/xvda", diskType: "system", size: 40, snapshotId: "s-1" }),
      expect.objectContaining({ device: "/dev/xvdb", diskType: "data", size: 100 }),
    ]);
  });

  test("fromApiImage() converts sizes, tags, usage and statuses to our types", () => {
    const image = fromApiImage(
      new $Ecs.DescribeImagesResponseBodyImagesImage({
        imageId: "m-1",
        imageName: "web",
        status: "Creating",
        progress: "45%",
        size: 40,
        usage: "instance",
        OSNameEn: "CentOS 7",
        tags: new $Ecs.DescribeImagesResponseBodyImagesImageTags({
          tag: [new $Ecs.DescribeImagesResponseBodyImagesImageTagsTag({ tagKey: "team", tagValue: "data" })],
        }),
        diskDeviceMappings: new $Ecs.DescribeImagesResponseBodyImagesImageDiskDeviceMappings({
          diskDeviceMapping: [
            new $Ecs.DescribeImagesResponseBodyImagesImageDiskDeviceMappingsDiskDeviceMapping({
              device: "/dev/xvda",
              size: "40",
              snapshotId: "s-1",
              type: "system",
            }),
          ],
        }),
      }),
      "cn-hangzhou",
    );
    expect(image).toMatchObject({
      imageId: "m-1",
      imageName: "web",
      status: "Creating",
      progress: "45%",
      sizeGiB: 40,
      inUse: true,
      osName: "CentOS 7",
      tags: { team: "data" },
      diskDeviceMappings: [{ device: "/dev/xvda", sizeGiB: 40, snapshotId: "s-1", type: "system" }],
      launchPermission: undefined,
      region: "cn-hangzhou",
      description: "",
    });
    expect(
      fromApiImage(new $Ecs.DescribeImagesResponseBodyImagesImage({ imageId: "m-2", usage: "none" }), "r")
        .inUse,
    ).toBe(false);
    expect(
      "inUse" in fromApiImage(new $Ecs.DescribeImagesResponseBodyImagesImage({ imageId: "m-3" }), "r"),
    ).toBe(false);
  });

  test("toApiConfig() sets both timeouts, HTTPS by default, and the parsed endpoint", () => {
    const regional = toApiConfig(CONFIG, 12_000);
    expect(regional).toMatchObject({
      regionId: "cn-hangzhou",
      protocol: "HTTPS",
      readTimeout: 12_000,
      connectTimeout: 12_000,
    });
    expect(regional.endpoint).toBeUndefined();
    expect(regional.securityToken).toBeUndefined();
    const local = toApiConfig({ ...CONFIG, endpoint: "http://127.0.0.1:8080", securityToken: "tok" }, 1000);
    expect(local).toMatchObject({ endpoint: "127.0.0.1:8080", protocol: "HTTP", securityToken: "tok" });
    expect(toApiConfig({ ...CONFIG, endpoint: "ecs.example.com:8443" }, 1000)).toMatchObject({
      endpoint: "ecs.example.com:8443",
      protocol: "HTTPS",
    });
  });

  test("toApiConfig() refuses plain HTTP to a host that is not loopback", () => {
    expect(() => toApiConfig({ ...CONFIG, endpoint: "http://ecs.example.com" }, 1000)).toThrow(
      CloudConfigError,
    );
  });
});

describe("createEcsApi()", () => {
  test("createEcsApi() refuses an empty region and an insecure endpoint before any call", () => {
    expect(() => createEcsApi({ ...CONFIG, region: " " })).toThrow("Region must not be empty");
    expect(() => createEcsApi({ ...CONFIG, endpoint: "http://10.1.2.3:80" })).toThrow(CloudConfigError);
  });

  test("createEcsApi() builds every call of EcsApi", () => {
    const api = createEcsApi({ ...CONFIG, endpoint: "http://127.0.0.1:1" });
    expect(Object.keys(api).sort()).toEqual(
      [
        "addLaunchPermission",
        "createImage",
        "deleteImage",
        "deleteSnapshot",
        "describeInstance",
        "describeLaunchPermission",
        "describeSnapshot",
        "describeSnapshotTags",
        "findImageById",
        "findImagesByName",
        "listImages",
        "modifyImageAttribute",
        "removeLaunchPermission",
        "tagImage",
        "tagSnapshots",
        "untagImage",
        "untagSnapshots",
      ].sort(),
    );
  });
});
