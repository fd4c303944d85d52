import * as errors from "../../../src/emulator/errors";
import { ACCOUNT, call, createImage, failure, makeCore, ok, OTHER_ACCOUNT } from "./harness";

function accountParams(prefix: string, from: number, count: number): Record<string, string> {
  const params: Record<string, string> = {};
  for (let i = 0; i < count; i += 1)
    params[`${prefix}.${i + 1}`] = `11000000000000${String(from + i).padStart(2, "0")}`;
  return params;
}

function sharedAccounts(body: Readonly<Record<string, unknown>>): string[] {
  return (body["Accounts"] as { Account: { AliyunId: string }[] }).Account.map((a) => a.AliyunId);
}

describe("ModifyImageSharePermission / DescribeImageSharePermission", () => {
  test("modifyImageSharePermission() adds and removes accounts with a SharedTime", () => {
    const { core } = makeCore();
    ok(
      call(core, "ModifyImageSharePermission", { ImageId: "m-golden", ...accountParams("AddAccount", 1, 3) }),
    );
    ok(
      call(core, "ModifyImageSharePermission", {
        ImageId: "m-golden",
        "RemoveAccount.1": "1100000000000002",
      }),
    );
    const body = ok(call(core, "DescribeImageSharePermission", { ImageId: "m-golden" }));
    expect(body).toEqual({
      ImageId: "m-golden",
      RegionId: "cn-hangzhou",
      TotalCount: 2,
      PageNumber: 1,
      PageSize: 10,
      ShareGroups: { ShareGroup: [] },
      Accounts: {
        Account: [
          { AliyunId: "1100000000000001", SharedTime: "2026-01-01T00:00:00Z" },
          { AliyunId: "1100000000000003", SharedTime: "2026-01-01T00:00:00Z" },
        ],
      },
    });
  });

  test("modifyImageSharePermission() processes only the first 10 accounts of a call, silently", () => {
    const { core } = makeCore();
    ok(
      call(core, "ModifyImageSharePermission", {
        ImageId: "m-golden",
        ...accountParams("AddAccount", 1, 12),
      }),
    );
    const body = ok(call(core, "DescribeImageSharePermission", { ImageId: "m-golden", PageSize: "100" }));
    expect(body["TotalCount"]).toBe(10);
    expect(sharedAccounts(body)).not.toContain("1100000000000011");
  });

  test("modifyImageSharePermission() allows 50 accounts per image and refuses the 51st, all or nothing", () => {
    const { core } = makeCore();
    for (let batch = 0; batch < 5; batch += 1) {
      ok(
        call(core, "ModifyImageSharePermission", {
          ImageId: "m-golden",
          ...accountParams("AddAccount", batch * 10 + 1, 10),
        }),
      );
    }
    expect(
      failure(
        call(core, "ModifyImageSharePermission", {
          ImageId: "m-golden",
          ...accountParams("AddAccount", 51, 1),
        }),
      ),
    ).toEqual(errors.quotaExceedShareImageUser());
    expect(errors.quotaExceedShareImageUser()).toMatchObject({
      httpStatus: 403,
      code: "QuotaExceed.ShareImageUser",
    });
    const page = ok(
      call(core, "DescribeImageSharePermission", { ImageId: "m-golden", PageSize: "20", PageNumber: "3" }),
    );
    expect(page).toMatchObject({ TotalCount: 50, PageNumber: 3, PageSize: 20 });
    expect(sharedAccounts(page)).toHaveLength(10);
    ok(
      call(core, "ModifyImageSharePermission", {
        ImageId: "m-golden",
        "RemoveAccount.1": "1100000000000001",
        "AddAccount.1": "1100000000000051",
      }),
    );
  });

  test("modifyImageSharePermission() errors", () => {
    const { core } = makeCore();
    const creating = createImage(core, { InstanceId: "i-running", ImageName: "sh-1" });
    expect(
      failure(
        call(core, "ModifyImageSharePermission", { ImageId: "m-golden", "AddAccount.1": "9999999999999999" }),
      ),
    ).toEqual(errors.invalidAccountNotFound());
    expect(
      failure(call(core, "ModifyImageSharePermission", { ImageId: "m-golden", "AddAccount.1": ACCOUNT })),
    ).toEqual(errors.invalidAccountForbbiden());
    expect(
      failure(
        call(core, "ModifyImageSharePermission", { ImageId: "m-nope", "AddAccount.1": "1100000000000001" }),
      ),
    ).toEqual(errors.invalidImageIdNotFound());
    expect(
      failure(
        call(core, "ModifyImageSharePermission", { ImageId: creating, "AddAccount.1": "1100000000000001" }),
      ),
    ).toEqual(errors.incorrectImageStatus());
    expect(
      failure(
        call(core, "ModifyImageSharePermission", { ImageId: "m-failed", "AddAccount.1": "1100000000000001" }),
      ),
    ).toEqual(errors.incorrectImageStatus());
    expect(
      failure(
        call(core, "ModifyImageSharePermission", {
          ImageId: "m-deprecated",
          "AddAccount.1": "1100000000000001",
        }),
      ),
    ).toEqual(errors.operationDeniedInvalidImageStatus());
    expect(failure(call(core, "DescribeImageSharePermission", { ImageId: "m-nope" }))).toEqual(
      errors.invalidImageIdNotFound(),
    );
    expect(failure(call(core, "DescribeImageSharePermission", {}))).toEqual(
      errors.missingParameter("ImageId"),
    );
  });

  test("sharing errors carry the documented codes, spellings and statuses", () => {
    expect(errors.invalidAccountNotFound()).toEqual({
      httpStatus: 404,
      code: "InvalidAccount.NotFound",
      message: "The specified parameter AddAccount.n or RemoveAccount.n does not exist.",
    });
    expect(errors.invalidAccountForbbiden()).toEqual({
      httpStatus: 404,
      code: "InvalidAccount.Forbbiden",
      message: "The specified Account does not yourself.",
    });
    expect(errors.incorrectImageStatus()).toEqual({
      httpStatus: 400,
      code: "IncorrectImageStatus",
      message: "The image is not available.",
    });
    expect(errors.operationDeniedInvalidImageStatus()).toMatchObject({
      httpStatus: 403,
      code: "OperationDenied.InvalidImageStatus",
    });
  });

  test("an account of another credential can be shared with and then sees the image", () => {
    const { core } = makeCore();
    ok(call(core, "ModifyImageSharePermission", { ImageId: "m-golden", "AddAccount.1": OTHER_ACCOUNT }));
    const body = ok(call(core, "DescribeImages", { ImageOwnerAlias: "others" }, OTHER_ACCOUNT));
    expect((body["Images"] as { Image: { ImageId: string }[] }).Image.map((i) => i.ImageId)).toEqual([
      "m-golden",
    ]);
  });
});
