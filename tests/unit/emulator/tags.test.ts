import * as errors from "../../../src/emulator/errors";
import type { EcsError } from "../../../src/emulator/contract";
import { call, describeImage, failure, makeCore, ok } from "./harness";

function tagParams(count: number, prefix = "k"): Record<string, string> {
  const params: Record<string, string> = {};
  for (let i = 1; i <= count; i += 1) {
    params[`Tag.${i}.Key`] = `${prefix}${i}`;
    params[`Tag.${i}.Value`] = `v${i}`;
  }
  return params;
}

function tagResources(body: Readonly<Record<string, unknown>>): Record<string, unknown>[] {
  return (body["TagResources"] as { TagResource: Record<string, unknown>[] }).TagResource;
}

describe("TagResources / UntagResources / ListTagResources", () => {
  test("tagResources() sets and overwrites tags on images and snapshots", () => {
    const { core } = makeCore();
    ok(
      call(core, "TagResources", {
        ResourceType: "image",
        "ResourceId.1": "m-golden",
        "ResourceId.2": "m-inuse",
        "Tag.1.Key": "team",
        "Tag.1.Value": "data",
        "Tag.2.Key": "env",
        "Tag.2.Value": "",
      }),
    );
    expect(describeImage(core, "m-golden")!["Tags"]).toEqual({
      Tag: [
        { TagKey: "team", TagValue: "data" },
        { TagKey: "env", TagValue: "" },
      ],
    });
    ok(
      call(core, "TagResources", {
        ResourceType: "snapshot",
        "ResourceId.1": "s-system",
        "Tag.1.Key": "keep",
        "Tag.1.Value": "yes",
      }),
    );
    const listed = ok(
      call(core, "ListTagResources", { ResourceType: "snapshot", "ResourceId.1": "s-system" }),
    );
    expect(listed).toEqual({
      NextToken: "",
      TagResources: {
        TagResource: [{ ResourceId: "s-system", ResourceType: "snapshot", TagKey: "keep", TagValue: "yes" }],
      },
    });
  });

  test("tagResources() allows 20 tags per resource and refuses to go beyond, all or nothing", () => {
    const { core } = makeCore();
    ok(call(core, "TagResources", { ResourceType: "image", "ResourceId.1": "m-inuse", ...tagParams(20) }));
    ok(call(core, "TagResources", { ResourceType: "image", "ResourceId.1": "m-inuse", ...tagParams(20) }));
    expect(
      failure(
        call(core, "TagResources", { ResourceType: "image", "ResourceId.1": "m-golden", ...tagParams(20) }),
      ),
    ).toEqual(errors.operationDeniedQuotaExceed());
    expect(describeImage(core, "m-golden")!["Tags"]).toEqual({
      Tag: [{ TagKey: "team", TagValue: "platform" }],
    });
  });

  const cases: [string, string, Record<string, string>, EcsError][] = [
    [
      "no ResourceType",
      "TagResources",
      { "ResourceId.1": "m-golden", "Tag.1.Key": "a" },
      errors.missingParameterTagAction("ResourceType"),
    ],
    [
      "bad ResourceType",
      "TagResources",
      { ResourceType: "disk", "ResourceId.1": "m-golden", "Tag.1.Key": "a" },
      errors.invalidResourceTypeNotFound(),
    ],
    [
      "no ResourceId",
      "TagResources",
      { ResourceType: "image", "Tag.1.Key": "a" },
      errors.missingParameterTagAction("ResourceIds"),
    ],
    [
      "no Tag",
      "TagResources",
      { ResourceType: "image", "ResourceId.1": "m-golden" },
      errors.missingParameterTagAction("Tags"),
    ],
    [
      "no RegionId",
      "TagResources",
      { RegionId: "", ResourceType: "image", "ResourceId.1": "m-golden", "Tag.1.Key": "a" },
      errors.missingParameterTagAction("RegionId"),
    ],
    [
      "21 tags in a call",
      "TagResources",
      { ResourceType: "image", "ResourceId.1": "m-golden", ...tagParams(21) },
      errors.numberExceedTags(),
    ],
    [
      "51 resources",
      "TagResources",
      {
        ResourceType: "image",
        ...Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`ResourceId.${i + 1}`, "m-golden"])),
        "Tag.1.Key": "a",
      },
      errors.numberExceedResourceIds(),
    ],
    [
      "duplicate keys",
      "TagResources",
      { ResourceType: "image", "ResourceId.1": "m-golden", "Tag.1.Key": "a", "Tag.2.Key": "a" },
      errors.duplicateTagKey(),
    ],
    [
      "acs: key",
      "TagResources",
      { ResourceType: "image", "ResourceId.1": "m-golden", "Tag.1.Key": "acs:a" },
      errors.invalidTagKeyMalformed(),
    ],
    [
      "https value",
      "TagResources",
      { ResourceType: "image", "ResourceId.1": "m-golden", "Tag.1.Key": "a", "Tag.1.Value": "https://x" },
      errors.invalidTagValueMalformed(),
    ],
    [
      "unknown image",
      "TagResources",
      { ResourceType: "image", "ResourceId.1": "m-nope", "Tag.1.Key": "a" },
      errors.invalidResourceIdNotFound(),
    ],
    [
      "unknown snapshot",
      "TagResources",
      { ResourceType: "snapshot", "ResourceId.1": "s-nope", "Tag.1.Key": "a" },
      errors.invalidResourceIdNotFound(),
    ],
    [
      "untag unknown",
      "UntagResources",
      { ResourceType: "image", "ResourceId.1": "m-nope", "TagKey.1": "a" },
      errors.invalidResourceIdNotFound(),
    ],
    [
      "untag no ResourceId",
      "UntagResources",
      { ResourceType: "image", "TagKey.1": "a" },
      errors.missingParameterTagAction("ResourceIds"),
    ],
    [
      "untag 21 keys",
      "UntagResources",
      {
        ResourceType: "image",
        "ResourceId.1": "m-golden",
        ...Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`TagKey.${i + 1}`, `k${i}`])),
      },
      errors.numberExceedTags(),
    ],
    [
      "list without ResourceType",
      "ListTagResources",
      { "ResourceId.1": "m-golden" },
      errors.missingParameterTagAction("ResourceType"),
    ],
    [
      "list with neither IDs nor tags",
      "ListTagResources",
      { ResourceType: "image" },
      errors.missingParameterTagAction("ResourceIds"),
    ],
    [
      "list with a bad NextToken",
      "ListTagResources",
      { ResourceType: "image", "ResourceId.1": "m-golden", NextToken: "zzz" },
      errors.invalidParameter("NextToken"),
    ],
  ];
  test.each(cases)("tag actions reject %s", (_, action, params, expected) => {
    const { core } = makeCore();
    expect(failure(call(core, action, params))).toEqual(expected);
  });

  test("tag action errors have the documented codes and statuses", () => {
    expect(errors.missingParameterTagAction("ResourceIds")).toMatchObject({
      httpStatus: 404,
      code: "MissingParameter.ResourceIds",
    });
    expect(errors.invalidResourceIdNotFound()).toEqual({
      httpStatus: 404,
      code: "InvalidResourceId.NotFound",
      message: "The specified ResourceIds are not found in our records.",
    });
    expect(errors.invalidResourceTypeNotFound()).toMatchObject({
      httpStatus: 404,
      code: "InvalidResourceType.NotFound",
    });
    expect(errors.operationDeniedQuotaExceed()).toEqual({
      httpStatus: 400,
      code: "OperationDenied.QuotaExceed",
      message: "The quota of tags on resource is beyond permitted range.",
    });
    expect(errors.numberExceedTags()).toMatchObject({ httpStatus: 400, code: "NumberExceed.Tags" });
    expect(errors.numberExceedResourceIds()).toMatchObject({
      httpStatus: 400,
      code: "NumberExceed.ResourceIds",
    });
    expect(errors.duplicateTagKey()).toMatchObject({ httpStatus: 400, code: "Duplicate.TagKey" });
  });

  test("untagResources() removes given keys, ignores absent ones, or all with All=true", () => {
    const { core } = makeCore();
    ok(call(core, "TagResources", { ResourceType: "image", "ResourceId.1": "m-golden", ...tagParams(3) }));
    ok(
      call(core, "UntagResources", {
        ResourceType: "image",
        "ResourceId.1": "m-golden",
        "TagKey.1": "k1",
        "TagKey.2": "nope",
      }),
    );
    expect(describeImage(core, "m-golden")!["Tags"]).toEqual({
      Tag: [
        { TagKey: "team", TagValue: "platform" },
        { TagKey: "k2", TagValue: "v2" },
        { TagKey: "k3", TagValue: "v3" },
      ],
    });
    ok(call(core, "UntagResources", { ResourceType: "image", "ResourceId.1": "m-golden", All: "false" }));
    expect((describeImage(core, "m-golden")!["Tags"] as { Tag: unknown[] }).Tag).toHaveLength(3);
    ok(call(core, "UntagResources", { ResourceType: "image", "ResourceId.1": "m-golden", All: "true" }));
    expect(describeImage(core, "m-golden")!["Tags"]).toEqual({ Tag: [] });
  });

  test("listTagResources() pages by 50 with NextToken and filters by tag", () => {
    const { core } = makeCore();
    const ids = ["m-golden", "m-inuse", "m-shared"];
    for (const id of ids)
      ok(call(core, "UntagResources", { ResourceType: "image", "ResourceId.1": id, All: "true" }));
    for (const id of ids)
      ok(call(core, "TagResources", { ResourceType: "image", "ResourceId.1": id, ...tagParams(20) }));
    const params = {
      ResourceType: "image",
      "ResourceId.1": "m-golden",
      "ResourceId.2": "m-inuse",
      "ResourceId.3": "m-shared",
    };
    const first = ok(call(core, "ListTagResources", params));
    expect(tagResources(first)).toHaveLength(50);
    expect(first["NextToken"]).toBe("50");
    const second = ok(call(core, "ListTagResources", { ...params, NextToken: "50" }));
    expect(tagResources(second)).toHaveLength(10);
    expect(second["NextToken"]).toBe("");
    ok(
      call(core, "TagResources", {
        ResourceType: "image",
        "ResourceId.1": "m-inuse",
        "Tag.1.Key": "k1",
        "Tag.1.Value": "other",
      }),
    );
    const byTag = ok(
      call(core, "ListTagResources", { ResourceType: "image", "Tag.1.Key": "k1", "Tag.1.Value": "other" }),
    );
    expect(new Set(tagResources(byTag).map((t) => t["ResourceId"]))).toEqual(new Set(["m-inuse"]));
    expect(
      tagResources(ok(call(core, "ListTagResources", { ResourceType: "image", "ResourceId.1": "m-nope" }))),
    ).toEqual([]);
  });
});
