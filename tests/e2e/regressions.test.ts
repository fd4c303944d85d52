/**
 * Regression scenarios from real-world reports against our peers (../shared/cases), restated in our
 * own words. Each one is a whole kind of fault: the module, spawned as Ansible runs it, must get it
 * right against the emulator.
 */
import { runScenario, type Scenario } from "./harness";

const RUNNING = "i-bp1running000000001";
const GOLDEN = "m-bp1golden00000000001";

/** `count` tags k1=v1 ... in the images_tags list form. */
function tagList(count: number) {
  return Array.from({ length: count }, (_, i) => ({ tag_key: `k${i + 1}`, tag_value: `v${i + 1}` }));
}

/** `count` sixteen-digit account ids that start with `prefix`. */
function accounts(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(14, "0")}`);
}

const SCENARIOS: Record<string, Scenario> = {
  "a repeated create by name returns the first image and creates nothing": {
    fixtures: "default",
    steps: [
      {
        args: { status: "present", instance_id: RUNNING, image_name: "repeat-1", wait: true },
        expect: {
          failed: false,
          changed: true,
          image_id: "$img",
          image: { status: "Available", image_name: "repeat-1" },
        },
      },
      {
        args: { status: "present", instance_id: RUNNING, image_name: "repeat-1", wait: true },
        expect: {
          failed: false,
          changed: false,
          image_id: "$img",
          calls: { CreateImage: 0 },
          image: { image_id: "$img" },
        },
      },
    ],
    then: { images_named: { "repeat-1": 1 } },
  },
  "an image still being built is found by name and adopted, not built again": {
    fixtures: { extends: "default", image_create_seconds: 120 },
    steps: [
      {
        args: { status: "present", instance_id: RUNNING, image_name: "building-1", wait: false },
        expect: { failed: false, changed: true, image_id: "$img", image: { status: "Creating" } },
      },
      {
        args: { status: "present", instance_id: RUNNING, image_name: "building-1", wait: false },
        expect: { failed: false, changed: false, image_id: "$img", calls: { CreateImage: 0 } },
      },
    ],
    then: { images_named: { "building-1": 1 } },
  },
  "an existing image is referred to by name alone; a missing one asks for a source": {
    fixtures: "default",
    steps: [
      {
        args: { status: "present", image_name: "golden-1" },
        expect: { failed: false, changed: false, image_id: GOLDEN, calls: { writes: 0 } },
      },
      {
        args: { status: "present", image_name: "not-built-yet" },
        expect: {
          failed: true,
          changed: false,
          msg_matches: "instance_id|snapshot_id|disk_mapping",
          calls: { writes: 0 },
        },
      },
    ],
  },
  "a new description updates the image in place and the next run is a no-op": {
    fixtures: "default",
    steps: [
      {
        args: {
          status: "present",
          image_name: "golden-1",
          instance_id: RUNNING,
          description: "rebuilt on monday",
        },
        expect: {
          failed: false,
          changed: true,
          image_id: GOLDEN,
          image: { description: "rebuilt on monday" },
          calls: { CreateImage: 0, ModifyImageAttribute: 1 },
        },
      },
      {
        args: {
          status: "present",
          image_name: "golden-1",
          instance_id: RUNNING,
          description: "rebuilt on monday",
        },
        expect: { failed: false, changed: false, image_id: GOLDEN, calls: { writes: 0 } },
      },
    ],
  },
  "without wait the task returns at once with the tags set by the create call": {
    fixtures: { extends: "default", image_create_seconds: 120 },
    steps: [
      {
        args: {
          status: "present",
          instance_id: RUNNING,
          image_name: "quick-tags-1",
          wait: false,
          images_tags: [
            { tag_key: "owner", tag_value: "qa" },
            { tag_key: "tier", tag_value: "web" },
          ],
        },
        expect: {
          failed: false,
          changed: true,
          image_id: "<present>",
          image: { status: "Creating", tags: { owner: "qa", tier: "web" } },
          calls: { CreateImage: 1, TagResources: 0 },
          max_seconds: 20,
        },
      },
    ],
  },
  "wait_timeout is the only limit, a timeout keeps the image id, a failed build fails fast": {
    fixtures: { extends: "default", image_create_seconds: 600 },
    steps: [
      {
        args: {
          status: "present",
          instance_id: RUNNING,
          image_name: "long-build-1",
          wait: true,
          wait_timeout: 3,
        },
        expect: { failed: true, changed: true, image_id: "$slow", msg_matches: "time", max_seconds: 40 },
      },
      {
        before: { complete: true },
        args: { status: "present", image_name: "long-build-1", wait: true },
        expect: { failed: false, changed: false, image_id: "$slow", image: { status: "Available" } },
      },
      {
        before: { faults: { fail_image_names: ["doomed-1"] } },
        args: {
          status: "present",
          instance_id: RUNNING,
          image_name: "doomed-1",
          wait: true,
          wait_timeout: 3000,
        },
        expect: {
          failed: true,
          changed: true,
          image_id: "<present>",
          msg_matches: "CreateFailed|fail",
          max_seconds: 120,
        },
      },
    ],
  },
  "absent on an image that is gone is a quick no-op naming the region": {
    fixtures: "default",
    steps: [
      {
        args: { status: "absent", image_id: "m-bp1neverexisted0001" },
        expect: {
          failed: false,
          changed: false,
          msg_matches: "cn-hangzhou",
          calls: { writes: 0 },
          max_seconds: 30,
        },
      },
      {
        args: { status: "absent", image_id: GOLDEN },
        expect: { failed: false, changed: true, image_id: GOLDEN },
      },
      {
        args: { status: "absent", image_id: GOLDEN },
        expect: { failed: false, changed: false, calls: { writes: 0 } },
      },
    ],
    then: { images_named: { "golden-1": 0 } },
  },
  "an image in use is refused with the cause unless force is set": {
    fixtures: "default",
    steps: [
      {
        args: { status: "absent", image_id: "m-bp1inuse000000000001" },
        expect: { failed: true, changed: false, msg_matches: "in use|ImageUsingByInstance|force" },
      },
      {
        args: { status: "absent", image_id: "m-bp1inuse000000000001", force: true },
        expect: { failed: false, changed: true },
      },
    ],
    then: { images_named: { "in-use-1": 0 } },
  },
  "more than 20 tags is refused before any write; 20 are all applied": {
    fixtures: "default",
    steps: [
      {
        args: {
          status: "present",
          instance_id: RUNNING,
          image_name: "tag-limit-1",
          images_tags: tagList(21),
        },
        expect: { failed: true, changed: false, msg_matches: "20", calls: { writes: 0 } },
      },
      {
        args: {
          status: "present",
          instance_id: RUNNING,
          image_name: "tag-limit-1",
          images_tags: tagList(20),
        },
        expect: {
          failed: false,
          changed: true,
          image: { tags: Object.fromEntries(tagList(20).map((t) => [t.tag_key, t.tag_value])) },
        },
      },
    ],
    then: { images_named: { "tag-limit-1": 1 } },
  },
  "twelve accounts are shared in two calls; over 50 is refused before any write": {
    fixtures: "default",
    steps: [
      {
        args: {
          status: "present",
          instance_id: RUNNING,
          image_name: "share-twelve-1",
          wait: true,
          launch_permission: accounts("11", 12),
        },
        expect: {
          failed: false,
          changed: true,
          image: { launch_permission: accounts("11", 12) },
          calls: { ModifyImageSharePermission: 2 },
        },
      },
      {
        args: {
          status: "present",
          instance_id: RUNNING,
          image_name: "share-too-many-1",
          wait: true,
          launch_permission: accounts("12", 51),
        },
        expect: { failed: true, changed: false, msg_matches: "50", calls: { writes: 0 } },
      },
    ],
  },
  "a malformed account id is refused before the image is created": {
    fixtures: "default",
    steps: [
      {
        args: {
          status: "present",
          instance_id: RUNNING,
          image_name: "no-orphan-1",
          launch_permission: ["acct-x"],
        },
        expect: { failed: true, changed: false, msg_matches: "launch_permission", calls: { writes: 0 } },
      },
    ],
    then: { images_named: { "no-orphan-1": 0 } },
  },
  "the region comes from every documented source in order and messages name it": {
    fixtures: "default",
    env: { ACS_REGION: null },
    steps: [
      {
        env: { ECS_REGION: "cn-shanghai" },
        args: {
          status: "present",
          instance_id: "i-uf6running000000001",
          image_name: "shanghai-1",
          wait: true,
        },
        expect: { failed: false, changed: true, image: { region: "cn-shanghai" } },
      },
      {
        env: { ACS_REGION: "cn-hangzhou", ECS_REGION: "cn-shanghai" },
        args: { status: "present", image_name: "golden-1" },
        expect: { failed: false, changed: false, image_id: GOLDEN },
      },
      {
        args: { status: "present", image_name: "golden-1" },
        expect: { failed: true, msg_matches: "region", calls: { writes: 0 } },
      },
      {
        args: { status: "absent", image_id: GOLDEN, region: "cn-shanghai" },
        expect: { failed: false, changed: false, msg_matches: "cn-shanghai" },
      },
    ],
    then: { images_named: { "golden-1": 1 } },
  },
  "the original module's aliases and loose values keep working": {
    fixtures: "default",
    steps: [
      {
        args: {
          state: "present",
          name: "aliased-1",
          instance: RUNNING,
          tags: [{ tag_key: "a", tag_value: "b" }],
          version: 4,
          wait: "yes",
        },
        expect: {
          failed: false,
          changed: true,
          image: { image_name: "aliased-1", image_version: "4", tags: { a: "b" }, status: "Available" },
        },
      },
      {
        args: { status: "present", image_name: "aliased-1", name: "aliased-1" },
        expect: { failed: false, changed: false, warnings_match: "alias" },
      },
    ],
  },
  "a secret never appears in any output, even in a cloud error": {
    fixtures: "default",
    credentials: "none",
    steps: [
      {
        args: {
          status: "present",
          image_name: "golden-1",
          acs_access_key: "${ACCESS_KEY_ID}",
          acs_secret_access_key: "not-the-right-secret-42",
        },
        expect: { failed: true, msg_matches: "Signature", output_excludes: ["not-the-right-secret-42"] },
      },
      {
        diff: true,
        args: {
          status: "present",
          image_name: "golden-1",
          description: "audited",
          ecs_access_key: "${ACCESS_KEY_ID}",
          secret_key: "${ACCESS_KEY_SECRET}",
        },
        expect: { failed: false, changed: true, output_excludes: ["${ACCESS_KEY_SECRET}"] },
      },
    ],
  },
};

describe("ecs_ami regressions (the built bundle against the emulator)", () => {
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    test(name, () => runScenario(scenario), 180_000);
  }
});
