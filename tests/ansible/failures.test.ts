/**
 * Failures through the real ansible-playbook: validation errors in Ansible's own wording (produced by
 * the bundle, relayed unchanged by the shim), and the shim's own clean failures: no node on PATH, an
 * ECS_AMI_NODE that is not executable, a node that is too old, a bundle that prints no JSON, an
 * ECS_AMI_BUNDLE that does not exist. One playbook run, every task with ignore_errors.
 */
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import {
  ANSIBLE_PLAYBOOK,
  describeWithAnsible,
  moduleTask,
  play,
  readRegistered,
  runAnsible,
  saveRegistered,
  transcript,
  writePlaybook,
  type AnsibleWorkspace,
  type CommandRun,
  useShimSuite,
} from "./ansible-harness";

const IGNORE = { ignore_errors: true };

/** Writes an executable script into the workspace and returns its path. */
function script(workspace: AnsibleWorkspace, name: string, text: string): string {
  const file = join(workspace.dir, name);
  writeFileSync(file, text);
  chmodSync(file, 0o755);
  return file;
}

describeWithAnsible("ansible-playbook shows validation errors and the shim's clean failures", () => {
  jest.setTimeout(120_000);
  const suite = useShimSuite();
  let run: CommandRun;
  let results: Record<string, Record<string, unknown>>;

  beforeAll(async () => {
    // A node that reports v18.19.0 to the bundle, as an old Node would (the real node, with a preload).
    const pretend = join(suite.workspace.dir, "pretend-v18.cjs");
    writeFileSync(
      pretend,
      'Object.defineProperty(process, "version", { value: "v18.19.0" });\n' +
        'Object.defineProperty(process.versions, "node", { value: "18.19.0" });\n',
    );
    const oldNode = script(
      suite.workspace,
      "old-node",
      `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} --require ${JSON.stringify(pretend)} "$@"\n`,
    );
    const garbage = script(suite.workspace, "garbage.js", 'console.log("this is not JSON");\n');
    // An executable file that is no program at all (no shebang): exec fails with ENOEXEC.
    const notNode = script(suite.workspace, "not-node", "this is not a program\n");
    // A stand-in bundle that reports the debug switches node would see.
    const envProbe = script(
      suite.workspace,
      "env-probe.js",
      "const seen = { NODE_DEBUG: process.env.NODE_DEBUG ?? null, DEBUG: process.env.DEBUG ?? null };\n" +
        "console.log(JSON.stringify({ changed: false, seen }));\n",
    );
    const names = [
      "unsupported",
      "bad_choice",
      "no_node",
      "bad_node_env",
      "old_node",
      "garbage",
      "no_bundle",
      "not_node",
      "debug_env",
    ];
    const valid = { image_name: "failure-image", instance_id: "i-bp1demostopped00001" };
    const file = writePlaybook(suite.workspace, "failures.yml", [
      play([
        moduleTask("unsupported", { image_name: "x", bogus: 1, another: "two" }, IGNORE),
        moduleTask("bad_choice", { image_name: "x", status: "gone" }, IGNORE),
        moduleTask("no_node", valid, { ...IGNORE, environment: { PATH: "/nonexistent" } }),
        moduleTask("bad_node_env", valid, { ...IGNORE, environment: { ECS_AMI_NODE: "/nonexistent/node" } }),
        moduleTask("old_node", valid, { ...IGNORE, environment: { ECS_AMI_NODE: oldNode } }),
        moduleTask("garbage", valid, { ...IGNORE, environment: { ECS_AMI_BUNDLE: garbage } }),
        moduleTask("no_bundle", valid, {
          ...IGNORE,
          environment: { ECS_AMI_BUNDLE: "/nonexistent/ecs_ami.js" },
        }),
        moduleTask("not_node", valid, { ...IGNORE, environment: { ECS_AMI_NODE: notNode } }),
        moduleTask("debug_env", valid, {
          ...IGNORE,
          environment: { ECS_AMI_BUNDLE: envProbe, NODE_DEBUG: "http,net,tls", DEBUG: "*" },
        }),
        saveRegistered(suite.workspace, "failures", names),
      ]),
    ]);
    run = await runAnsible(suite.workspace, ANSIBLE_PLAYBOOK ?? "ansible-playbook", [file], {
      ACS_ENDPOINT: suite.emulator.endpoint,
    });
    if (run.exitCode !== 0) throw new Error(`ansible-playbook failed:\n${transcript(run)}`);
    results = readRegistered(suite.workspace, "failures");
  });

  test("every task failed cleanly: failed true, changed false, a msg, no MODULE FAILURE", () => {
    // debug_env is the one task that succeeds (its stand-in bundle reports what it saw).
    const failures = Object.entries(results).filter(([name]) => name !== "debug_env");
    expect(failures).toHaveLength(8);
    for (const [, result] of failures) {
      expect(result).toMatchObject({ failed: true, changed: false, msg: expect.any(String) });
    }
    expect(run.stdout).not.toContain("MODULE FAILURE");
    expect(run.stdout).toMatch(
      /localhost\s+: ok=10\s+changed=0\s+unreachable=0\s+failed=0\s+skipped=0\s+rescued=0\s+ignored=8/,
    );
  });

  test("an unsupported parameter fails with Ansible's own wording and the FQCN", () => {
    const msg = String(results.unsupported?.msg);
    expect(msg).toMatch(
      /^Unsupported parameters for \(alicloud_ecs\.ecs\.ecs_ami\) module: another, bogus\. Supported parameters include: acs_access_key, /,
    );
    expect(run.stdout).toContain(
      'fatal: [localhost]: FAILED! => {"changed": false, "msg": "Unsupported parameters for (alicloud_ecs.ecs.ecs_ami) module: another, bogus.',
    );
  });

  test("a bad choice fails with Ansible's own wording", () => {
    expect(results.bad_choice?.msg).toBe("value of status must be one of: present, absent, got: gone");
  });

  test("no node on PATH and no ECS_AMI_NODE: the message says to install node or set ECS_AMI_NODE", () => {
    expect(results.no_node?.msg).toBe(
      "Node.js was not found on the target's PATH (/nonexistent): install Node.js 20 or later, or set the ECS_AMI_NODE environment variable (for example with the task's environment keyword) to the node executable",
    );
  });

  test("an ECS_AMI_NODE that is not executable is named in the message", () => {
    expect(results.bad_node_env?.msg).toBe(
      "ECS_AMI_NODE is set to /nonexistent/node, which is not an executable file: point it at a Node.js 20+ executable",
    );
  });

  test("a node older than 20 is refused with its version, by the bundle itself", () => {
    expect(results.old_node).toMatchObject({
      failed: true,
      changed: false,
      msg: `ecs_ami needs Node.js 20 or later, but ${process.execPath} is v18.19.0: install a newer Node.js or point ECS_AMI_NODE at one`,
    });
  });

  test("an ECS_AMI_NODE that cannot be executed fails cleanly, naming the file and the reason", () => {
    expect(results.not_node).toMatchObject({ failed: true, changed: false });
    expect(String(results.not_node?.msg)).toMatch(
      /^Could not run .*not-node: \[Errno 8\] Exec format error.*; point ECS_AMI_NODE at a Node\.js 20\+ executable$/,
    );
    expect(results.not_node).not.toHaveProperty("module_stderr");
  });

  test("the shim never passes NODE_DEBUG or DEBUG on to node (both make request headers, token included, print)", () => {
    expect(results.debug_env).toMatchObject({ changed: false, seen: { NODE_DEBUG: null, DEBUG: null } });
  });

  test("a bundle that prints no JSON: a clean failure with its stdout, stderr and exit code", () => {
    expect(results.garbage).toMatchObject({
      rc: 0,
      module_stdout: "this is not JSON\n",
      module_stderr: "",
    });
    expect(String(results.garbage?.msg)).toMatch(
      /^The ecs_ami bundle \(.*garbage\.js\) printed no JSON result \(exit code 0\)/,
    );
  });

  test("an ECS_AMI_BUNDLE that does not exist is named in the message", () => {
    expect(results.no_bundle?.msg).toBe(
      "ECS_AMI_BUNDLE is set to /nonexistent/ecs_ami.js, which is not a file: point it at dist/ecs_ami.js or unset it",
    );
  });
});
