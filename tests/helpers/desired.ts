import type { DesiredImage } from "../../src/common/types";

/** A DesiredImage with nothing managed (present, cn-hangzhou, wait off), overridden by `fields`. */
export function desiredImage(fields: Partial<DesiredImage> = {}): DesiredImage {
  return {
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
    ...fields,
  };
}
