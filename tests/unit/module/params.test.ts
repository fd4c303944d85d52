import { parseArgsText } from "../../../src/module/args";
import type { ArgObject } from "../../../src/module/args";
import type { Env, ParamsResult } from "../../../src/module/params";
import { describeAjvError, validateParams } from "../../../src/module/params";

/** Parses args text as main.ts will, then validates it. */
function validateText(text: string, env: Env = {}): ParamsResult {
  const parsed = parseArgsText(text);
  if (!parsed.ok) throw new Error(parsed.error.msg);
  return validateParams(parsed.args, env);
}

function validate(args: ArgObject, env: Env = {}): ParamsResult {
  return validateParams(args, env);
}

function errorOf(result: ParamsResult): string {
  if (result.ok) throw new Error("expected a validation error");
  return result.error.msg;
}

function paramsOf(result: ParamsResult) {
  if (!result.ok) throw new Error(`unexpected error: ${result.error.msg}`);
  return result.params;
}

const SUPPORTED =
  "Supported parameters include: acs_access_key, acs_secret_access_key, architecture, boot_mode, delete_snapshots, " +
  "description, disk_mapping, endpoint, force, image_family, image_id, image_name, image_version, images_tags, " +
  "instance_id, launch_permission, platform, purge_launch_permission, purge_tags, region, resource_group_id, " +
  "security_token, snapshot_id, status, tag_snapshots, wait, wait_timeout (access_key, acs_region, acs_security_token, alicloud_access_key, " +
  "alicloud_region, alicloud_secret_key, alicloud_security_token, ecs_access_key, ecs_endpoint, ecs_region, " +
  "ecs_secret_key, instance, name, secret_key, snapshot, state, tags, version).";

describe("validateParams() coerces values as Ansible 2.14 does", () => {
  test.each<[string, string, unknown]>([
    ["wait yes", '{"wait": "yes"}', { wait: true }],
    ["wait ' On '", '{"wait": " On "}', { wait: true }],
    ["wait 0", '{"wait": 0}', { wait: false }],
    ["wait 1.0", '{"wait": 1.0}', { wait: true }],
    ["wait 'F'", '{"wait": "F"}', { wait: false }],
    ["wait_timeout '10'", '{"wait_timeout": "10"}', { wait_timeout: 10 }],
    ["wait_timeout ' 42 '", '{"wait_timeout": " 42 "}', { wait_timeout: 42 }],
    ["wait_timeout '1_000'", '{"wait_timeout": "1_000"}', { wait_timeout: 1000 }],
    ["wait_timeout '+7'", '{"wait_timeout": "+7"}', { wait_timeout: 7 }],
    ["wait_timeout true (bool passes int)", '{"wait_timeout": true}', { wait_timeout: 1 }],
    ["image_version 4", '{"image_version": 4}', { image_version: "4" }],
    ["image_version 1.5", '{"image_version": 1.5}', { image_version: "1.5" }],
    ["image_version 2.0", '{"image_version": 2.0}', { image_version: "2.0" }],
    ["image_version 1e16", '{"image_version": 1e16}', { image_version: "1e+16" }],
    ["description true", '{"description": true}', { description: "True" }],
    ["description list", '{"description": ["a", "b"]}', { description: "['a', 'b']" }],
    ["description dict", '{"description": {"a": 1, "b": null}}', { description: "{'a': 1, 'b': None}" }],
    ["image_name big int", '{"image_name": 12345678901234567890}', { image_name: "12345678901234567890" }],
    [
      "image_name inexact float",
      '{"image_name": 0.1000000000000000055511151231257827}',
      { image_name: "0.1000000000000000055511151231257827" },
    ],
    [
      "launch_permission comma string",
      '{"launch_permission": "1,2, 3"}',
      { launch_permission: ["1", "2", " 3"] },
    ],
    ["launch_permission empty string", '{"launch_permission": ""}', { launch_permission: [""] }],
    ["launch_permission number", '{"launch_permission": 5}', { launch_permission: ["5"] }],
    ["launch_permission bool", '{"launch_permission": true}', { launch_permission: ["True"] }],
    [
      "launch_permission big ints kept exact",
      '{"launch_permission": [12345678901234567890, 7]}',
      { launch_permission: ["12345678901234567890", "7"] },
    ],
    [
      "status default",
      "{}",
      { status: "present", wait: false, wait_timeout: 300, force: false, image_id: null },
    ],
    [
      "disk_mapping k=v string element",
      '{"disk_mapping": ["device=/dev/xvda,disk_size=20 snapshot_id=\'s-1\'"]}',
      { disk_mapping: [{ device: "/dev/xvda", disk_size: 20, snapshot_id: "s-1" }] },
    ],
    [
      "disk_mapping JSON string element",
      '{"disk_mapping": ["{\\"device\\": \\"/dev/xvda\\", \\"disk_size\\": \\"5\\"}"]}',
      { disk_mapping: [{ device: "/dev/xvda", disk_size: 5, snapshot_id: null }] },
    ],
    [
      "disk_mapping Python literal element",
      "{\"disk_mapping\": [\"{'device': '/dev/xvda', 'snapshot_id': None}\"]}",
      { disk_mapping: [{ device: "/dev/xvda", disk_size: null, snapshot_id: null }] },
    ],
    [
      "images_tags values become strings",
      '{"images_tags": [{"tag_key": 1, "tag_value": false}]}',
      { images_tags: [{ tag_key: "1", tag_value: "False" }] },
    ],
    [
      "disk_mapping suboption aliases",
      '{"disk_mapping": [{"device": "/dev/xvda", "size": "40", "snapshot": "s-1"}]}',
      { disk_mapping: [{ device: "/dev/xvda", disk_size: 40, snapshot_id: "s-1" }] },
    ],
  ])("%s", (_name, text, expected) => {
    expect(paramsOf(validateText(text))).toMatchObject(expected as Record<string, unknown>);
  });
});

describe("validateParams() reports Ansible's exact messages", () => {
  const INT_ERROR = "we were unable to convert to int";
  test.each<[string, string, string]>([
    ["choices", '{"status": "foo"}', "value of status must be one of: present, absent, got: foo"],
    [
      "choices through the alias",
      '{"state": "gone"}',
      "value of status must be one of: present, absent, got: gone",
    ],
    [
      "choices with a bool",
      '{"status": false}',
      "value of status must be one of: present, absent, got: False",
    ],
    [
      "choices with null (default applies to absent keys only)",
      '{"status": null}',
      "value of status must be one of: present, absent, got: None",
    ],
    [
      "int from a word",
      '{"wait_timeout": "ten"}',
      `argument 'wait_timeout' is of type <class 'str'> and ${INT_ERROR}: <class 'str'> cannot be converted to an int`,
    ],
    [
      "int from a decimal string",
      '{"wait_timeout": "10.5"}',
      `argument 'wait_timeout' is of type <class 'str'> and ${INT_ERROR}: <class 'str'> cannot be converted to an int`,
    ],
    [
      "int from hex",
      '{"wait_timeout": "0x10"}',
      `argument 'wait_timeout' is of type <class 'str'> and ${INT_ERROR}: <class 'str'> cannot be converted to an int`,
    ],
    [
      "int from a float",
      '{"wait_timeout": 10.0}',
      `argument 'wait_timeout' is of type <class 'float'> and ${INT_ERROR}: <class 'float'> cannot be converted to an int`,
    ],
    [
      "int from null",
      '{"wait_timeout": null}',
      `argument 'wait_timeout' is of type <class 'NoneType'> and ${INT_ERROR}: <class 'NoneType'> cannot be converted to an int`,
    ],
    [
      "int out of range is not rounded",
      '{"wait_timeout": 12345678901234567890}',
      `argument 'wait_timeout' is of type <class 'int'> and ${INT_ERROR}: 12345678901234567890 is out of range (the largest supported int is 9007199254740991)`,
    ],
    [
      "bool from a list",
      '{"wait": ["yes"]}',
      "argument 'wait' is of type <class 'list'> and we were unable to convert to bool: <class 'list'> cannot be converted to a bool",
    ],
    [
      "list from a dict",
      '{"launch_permission": {"a": 1}}',
      "argument 'launch_permission' is of type <class 'dict'> and we were unable to convert to list: <class 'dict'> cannot be converted to a list",
    ],
    [
      "elements dict from a word",
      '{"disk_mapping": ["xvda"]}',
      "Elements value for option 'disk_mapping' is of type <class 'str'> and we were unable to convert to dict: dictionary requested, could not parse JSON or key=value",
    ],
    [
      "elements dict from a number",
      '{"images_tags": [5]}',
      "Elements value for option 'images_tags' is of type <class 'int'> and we were unable to convert to dict: <class 'int'> cannot be converted to a dict",
    ],
    [
      "elements dict from a bad literal",
      '{"disk_mapping": ["{nope"]}',
      "Elements value for option 'disk_mapping' is of type <class 'str'> and we were unable to convert to dict: unable to evaluate string as dictionary",
    ],
    [
      "elements dict k=v with a bare word",
      '{"disk_mapping": ["device=/dev/xvda size"]}',
      "Elements value for option 'disk_mapping' is of type <class 'str'> and we were unable to convert to dict: dictionary update sequence element #1 has length 1; 2 is required",
    ],
    [
      "suboption type error (Ansible's odd form)",
      '{"disk_mapping": [{"device": "/dev/xvda", "disk_size": "big"}]}',
      "argument 'disk_size' is of type <class 'str'> found in 'disk_mapping'. and we were unable to convert to int: <class 'str'> cannot be converted to an int",
    ],
    [
      "suboption required",
      '{"disk_mapping": [{"disk_size": 5}]}',
      "missing required arguments: device found in disk_mapping",
    ],
    [
      "suboption unsupported",
      '{"disk_mapping": [{"device": "/dev/xvda", "bogus": 1}]}',
      "Unsupported parameters for (ecs_ami) module: disk_mapping.bogus. Supported parameters include: device, disk_size, snapshot_id (size, snapshot).",
    ],
    [
      "tags suboption unsupported",
      '{"tags": [{"key": "a"}]}',
      "Unsupported parameters for (ecs_ami) module: images_tags.key. Supported parameters include: tag_key, tag_value.",
    ],
    [
      "mutually exclusive",
      '{"instance_id": "i-1", "snapshot_id": "s-1"}',
      "parameters are mutually exclusive: instance_id|snapshot_id|disk_mapping",
    ],
    [
      "mutually exclusive through aliases",
      '{"instance": "i-1", "snapshot": "s-1"}',
      "parameters are mutually exclusive: instance_id|snapshot_id|disk_mapping",
    ],
    [
      "mutually exclusive counts null values",
      '{"instance_id": null, "disk_mapping": []}',
      "parameters are mutually exclusive: instance_id|snapshot_id|disk_mapping",
    ],
    [
      "unsupported",
      '{"bogus": 1, "another": 2}',
      `Unsupported parameters for (ecs_ami) module: another, bogus. ${SUPPORTED}`,
    ],
    [
      "unsupported with the FQCN of the task",
      '{"bogus": 1, "_ansible_module_name": "alicloud_ecs.ecs.ecs_ami"}',
      `Unsupported parameters for (alicloud_ecs.ecs.ecs_ami) module: bogus. ${SUPPORTED}`,
    ],
    [
      "first error only: a type error beats an unsupported key (reported last)",
      '{"bogus": 1, "wait": "maybe"}',
      "argument 'wait' is of type <class 'str'> and we were unable to convert to bool: The value 'maybe' is not a valid boolean.  Valid booleans include: ",
    ],
    [
      "first error only: mutual exclusion beats types",
      '{"instance_id": "i", "snapshot_id": "s", "wait": "maybe"}',
      "parameters are mutually exclusive: instance_id|snapshot_id|disk_mapping",
    ],
    [
      "first error only: types beat choices",
      '{"status": "foo", "wait_timeout": "x"}',
      `argument 'wait_timeout' is of type <class 'str'> and ${INT_ERROR}: <class 'str'> cannot be converted to an int`,
    ],
    [
      "first error only: top-level choices beat suboptions",
      '{"status": "foo", "disk_mapping": [{}]}',
      "value of status must be one of: present, absent, got: foo",
    ],
  ])("%s", (_name, text, expected) => {
    const msg = errorOf(validateText(text));
    // The list of valid booleans is a frozenset in Ansible: its order is random, so compare up to it.
    if (expected.endsWith("Valid booleans include: ")) expect(msg.startsWith(expected)).toBe(true);
    else expect(msg).toBe(expected);
  });

  test("validateParams() gives the bool error with two spaces and every valid word", () => {
    const msg = errorOf(validate({ wait: "maybe" }));
    expect(msg).toMatch(
      /^argument 'wait' is of type <class 'str'> and we were unable to convert to bool: The value 'maybe' is not a valid boolean\. {2}Valid booleans include: /,
    );
    for (const word of [
      "'y'",
      "'yes'",
      "'on'",
      "'1'",
      "'true'",
      "'t'",
      "'n'",
      "'no'",
      "'off'",
      "'0'",
      "'false'",
      "'f'",
    ]) {
      expect(msg).toContain(word);
    }
    expect(errorOf(validate({ wait: 2 }))).toContain("The value '2' is not a valid boolean.");
  });
});

describe("validateParams() folds aliases like AnsibleModule", () => {
  test("validateParams() copies an alias onto its option, the alias wins, with Ansible's warning", () => {
    const result = validate({ image_name: "canonical", name: "alias" });
    expect(paramsOf(result).image_name).toBe("alias");
    expect(result.ok && result.warnings).toEqual(["Both option image_name and its alias name are set."]);
  });

  test("validateParams() takes the last of several aliases, warning for each later one", () => {
    const result = validate({ ecs_access_key: "first", access_key: "second" });
    expect(paramsOf(result).acs_access_key).toBe("second");
    expect(result.ok && result.warnings).toEqual([
      "Both option acs_access_key and its alias access_key are set.",
    ]);
  });

  test("validateParams() warns for suboption aliases with the element's prefix", () => {
    const result = validate({ disk_mapping: [{ device: "/dev/xvda", disk_size: 5, size: 6 }] });
    expect(paramsOf(result).disk_mapping?.[0]?.disk_size).toBe(6);
    expect(result.ok && result.warnings).toEqual([
      "Both option disk_mapping[0].disk_size and its alias disk_mapping[0].size are set.",
    ]);
  });

  test("validateParams() keeps warnings on a failure", () => {
    const result = validate({ image_name: "a", name: "b", status: "x" });
    expect(!result.ok && result.error.warnings).toEqual([
      "Both option image_name and its alias name are set.",
    ]);
  });

  test("validateParams() accepts the case-13 playbook of old aliases and loose types", () => {
    const params = paramsOf(
      validate({
        state: "present",
        name: "alias-1",
        instance: "i-1",
        tags: [{ tag_key: "a", tag_value: "b" }],
        version: 4,
        wait: "yes",
      }),
    );
    expect(params).toMatchObject({
      status: "present",
      image_name: "alias-1",
      instance_id: "i-1",
      images_tags: [{ tag_key: "a", tag_value: "b" }],
      image_version: "4",
      wait: true,
    });
    expect(Object.keys(params)).not.toContain("name");
  });
});

describe("validateParams() accepts every _ansible_ key and honours the control ones", () => {
  test("validateParams() ignores known and unknown _ansible_ keys", () => {
    const result = validate({
      _ansible_check_mode: true,
      _ansible_no_log: false,
      _ansible_debug: false,
      _ansible_diff: true,
      _ansible_verbosity: 3,
      _ansible_version: "2.14.18",
      _ansible_module_name: "ecs_ami",
      _ansible_syslog_facility: "LOG_USER",
      _ansible_selinux_special_fs: ["fuse", "nfs"],
      _ansible_string_conversion_action: "warn",
      _ansible_socket: null,
      _ansible_shell_executable: "/bin/sh",
      _ansible_keep_remote_files: false,
      _ansible_tmpdir: "/tmp/x/",
      _ansible_remote_tmp: "~/.ansible/tmp",
      _ansible_target_log_info: "future",
      _ansible_ignore_unknown_opts: true,
      _ansible_some_future_key: { any: "thing" },
    });
    expect(result.ok).toBe(true);
    expect(result.ok && result.control).toEqual({
      checkMode: true,
      diff: true,
      noLog: false,
      verbosity: 3,
      moduleName: "ecs_ami",
    });
  });
});

describe("validateParams() reads env fallbacks only for absent keys", () => {
  test.each<[string, ArgObject, Env, string | null]>([
    [
      "first documented variable wins",
      {},
      { ECS_REGION: "c", ACS_DEFAULT_REGION: "b", ALIBABA_CLOUD_REGION_ID: "e" },
      "b",
    ],
    ["ACS_REGION first of all", {}, { ACS_REGION: "a", ACS_DEFAULT_REGION: "b" }, "a"],
    [
      "the later generation's names come after",
      {},
      { ALIBABA_CLOUD_REGION_ID: "e", ALICLOUD_REGION: "d" },
      "d",
    ],
    ["first set wins even if empty", {}, { ACS_REGION: "", ECS_REGION: "c" }, ""],
    ["an explicit null is not absent", { region: null }, { ACS_REGION: "a" }, null],
    ["the option beats the environment", { region: "x" }, { ACS_REGION: "a" }, "x"],
    ["an alias beats the environment", { alicloud_region: "y" }, { ACS_REGION: "a" }, "y"],
    ["nothing set", {}, {}, null],
  ])("%s", (_name, args, env, expected) => {
    expect(paramsOf(validate(args, env)).region).toBe(expected);
  });

  test.each<[string, string, keyof import("../../../src/module/params").Params]>([
    ["ACS_ACCESS_KEY_ID", "ak", "acs_access_key"],
    ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ak", "acs_access_key"],
    ["ECS_SECRET_KEY", "sk", "acs_secret_access_key"],
    ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "sk", "acs_secret_access_key"],
    ["ALICLOUD_SECURITY_TOKEN", "tok", "security_token"],
    ["ECS_ENDPOINT", "127.0.0.1:9", "endpoint"],
  ])("validateParams() reads %s", (variable, value, option) => {
    expect(paramsOf(validate({}, { [variable]: value }))[option]).toBe(value);
  });

  test("validateParams() collects secrets from options, aliases and env as no_log values", () => {
    const result = validate(
      { secret_key: "from-alias", security_token: 12345 },
      { ACS_SECRET_ACCESS_KEY: "from-env" },
    );
    expect(result.ok && [...result.noLogValues].sort()).toEqual(["12345", "from-alias", "from-env"]);
    expect(result.ok && result.warnings).toEqual([
      "Both option acs_secret_access_key and its alias secret_key are set.",
    ]);
    expect(paramsOf(result).acs_secret_access_key).toBe("from-alias");
  });

  test("validateParams() does not treat the access key id as a secret", () => {
    const result = validate({ acs_access_key: "LTAIid" });
    expect(result.ok && result.noLogValues).toEqual([]);
  });
});

describe("validateParams() accepts the seed document's examples", () => {
  test.each<[string, ArgObject]>([
    [
      "create from an instance",
      { acs_access_key: "ak", acs_secret_access_key: "sk", region: "cn-hongkong", instance_id: "i-1" },
    ],
    ["create from a snapshot", { region: "cn-hongkong", snapshot_id: "s-1", status: "present" }],
    [
      "create from a disk mapping",
      {
        region: "cn-hongkong",
        disk_mapping: [{ device: "/dev/xvda", disk_size: 5, snapshot_id: "s-1" }],
        status: "present",
      },
    ],
    [
      "the advanced example",
      {
        region: "cn-hongkong",
        image_name: "image_test",
        image_version: 4,
        description: "description",
        images_tags: [{ tag_key: "key", tag_value: "value" }],
        disk_mapping: [{ device: "/dev/xvda", disk_size: 5, snapshot_id: "s-1" }],
        status: "present",
        wait: false,
        wait_timeout: 10,
        launch_permission: "1234567890",
      },
    ],
    ["delete", { region: "us-west-1", image_id: "m-1", status: "absent" }],
  ])("%s", (_name, args) => {
    expect(validate(args).ok).toBe(true);
  });
});

describe("describeAjvError() names the option behind a JSON pointer", () => {
  test.each<[string, string, string]>([
    ["/wait_timeout", "must be integer", "Option wait_timeout must be integer"],
    [
      "/disk_mapping/0/disk_size",
      "must be integer,null",
      "Option disk_mapping[0].disk_size must be integer,null",
    ],
    ["/a~1b", "is odd", "Option a/b is odd"],
    ["", "must be object", "Option (top level) must be object"],
  ])("%s", (instancePath, message, expected) => {
    expect(describeAjvError({ instancePath, message, keyword: "type", schemaPath: "#", params: {} })).toBe(
      expected,
    );
  });
});

describe("validateParams() treats __proto__ as an ordinary (unsupported) key", () => {
  test("validateParams() reports __proto__ instead of adopting its contents", () => {
    expect(errorOf(validateText('{"__proto__": {"image_name": "x"}}'))).toMatch(
      /^Unsupported parameters for \(ecs_ami\) module: __proto__\. /,
    );
  });
});
