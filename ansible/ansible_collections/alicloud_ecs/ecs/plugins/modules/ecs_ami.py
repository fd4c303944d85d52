#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ecs_ami contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# The thin shim of alicloud_ecs.ecs.ecs_ami: it hands the task's raw arguments (control keys
# included, unchanged) to the Node.js bundle as a flat JSON args file, runs node, and relays the JSON
# the bundle prints. It validates nothing itself: validation, check mode, diff mode and no_log masking
# all live in the bundle, so a task and `node ecs_ami.js args.json` give the same result.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# BEGIN GENERATED DOCUMENTATION: npm run gen writes this part from src/module/options.ts; do not edit
DOCUMENTATION = r"""
module: ecs_ami
short_description: Create, adopt, update, share, tag or delete Alibaba Cloud ECS custom images
version_added: "0.1.0"
description:
  - "Manages one ECS custom image idempotently: creates it from an instance, a snapshot or a disk mapping, adopts an existing one by C(image_id) or exact C(image_name), brings its name, description, tags and sharing in line, or deletes it."
  - "The module's logic is a Node.js program; this module is a thin shim that runs it with the task's arguments unchanged and returns its result. Validation, check mode, diff mode and masking of secrets all happen in that program."
author:
  - "ecs_ami maintainers (@ecs-ami)"
requirements:
  - Node.js 20 or later on the target, on C(PATH) or named by the C(ECS_AMI_NODE) environment variable.
  - Python 3.8 or later on the target (standard library only).
notes:
  - If parameters are not set within the module, the environment variables named in each option's description are used, in that order of precedence.
  - "The shim reads two environment variables of its own on the target (set them with the C(environment) keyword if needed): C(ECS_AMI_NODE), the node executable to use instead of the first C(node) on C(PATH); C(ECS_AMI_BUNDLE), a bundle file (C(dist/ecs_ami.js)) to run instead of the one embedded in the collection."
  - A missing or too old node, or a bundle that prints no JSON, fails the task with a message that says what to do.
  - A task without C(image_name) or C(image_id) creates a new image on every run and says so in a warning.
attributes:
  check_mode:
    support: full
    description: Makes the same decisions as a real run and sends no write to the cloud.
  diff_mode:
    support: full
    description: "Returns C(diff.before) and C(diff.after): the image's managed attributes."
options:
  acs_access_key:
    description:
      - Aliyun Cloud access key. If not set then the value of the C(ACS_ACCESS_KEY_ID), C(ACS_ACCESS_KEY), C(ECS_ACCESS_KEY), C(ALICLOUD_ACCESS_KEY) or C(ALIBABA_CLOUD_ACCESS_KEY_ID) environment variable is used.
    type: str
    aliases:
      - ecs_access_key
      - access_key
      - alicloud_access_key
  acs_secret_access_key:
    description:
      - Aliyun Cloud secret key. If not set then the value of the C(ACS_SECRET_ACCESS_KEY), C(ACS_SECRET_KEY), C(ECS_SECRET_KEY), C(ALICLOUD_SECRET_KEY) or C(ALIBABA_CLOUD_ACCESS_KEY_SECRET) environment variable is used.
      - "This value is secret: the module masks it in every output, as C(no_log) does."
    type: str
    aliases:
      - ecs_secret_key
      - secret_key
      - alicloud_secret_key
  security_token:
    description:
      - STS security token for temporary credentials. If not set then the value of the C(ACS_SECURITY_TOKEN), C(ECS_SECURITY_TOKEN), C(ALICLOUD_SECURITY_TOKEN) or C(ALIBABA_CLOUD_SECURITY_TOKEN) environment variable is used.
      - "This value is secret: the module masks it in every output, as C(no_log) does."
    type: str
    aliases:
      - acs_security_token
      - alicloud_security_token
    version_added: "0.1.0"
  region:
    description:
      - The Aliyun Cloud region to use. If not specified then the value of the C(ACS_REGION), C(ACS_DEFAULT_REGION), C(ECS_REGION), C(ALICLOUD_REGION) or C(ALIBABA_CLOUD_REGION_ID) environment variable, if any, is used.
    type: str
    aliases:
      - acs_region
      - ecs_region
      - alicloud_region
  endpoint:
    description:
      - "ECS API endpoint, as C(host:port) or a URL, for example a local emulator. HTTPS by default; plain HTTP only to a loopback host, where a bare C(host:port) means HTTP (a local emulator). If not set then the value of the C(ACS_ENDPOINT) or C(ECS_ENDPOINT) environment variable is used, else the region's public endpoint."
    type: str
    aliases:
      - ecs_endpoint
    version_added: "0.1.0"
  status:
    description:
      - The state of the image for operating.
    type: str
    default: present
    choices:
      - present
      - absent
    aliases:
      - state
  image_id:
    description:
      - "ID of an image. Parameter is B(required) while deleting user defined image (or give C(image_name)). With C(present), the image to adopt; it is never created."
    type: str
  image_name:
    description:
      - "The name of the image, [2, 128] English or Chinese characters. It identifies the image: an existing image with exactly this name is adopted instead of creating a new one."
    type: str
    aliases:
      - name
  image_version:
    description:
      - The version number of the image, with a length limit of 1 to 40 English characters.
    type: str
    aliases:
      - version
  description:
    description:
      - The description of the image, with a length limit of 2 to 256 characters (empty clears it).
    type: str
  instance_id:
    description:
      - instance id of the image to create.
    type: str
    aliases:
      - instance
  snapshot_id:
    description:
      - The snapshot ID. A user-defined image is created from the specified snapshot.
    type: str
    aliases:
      - snapshot
  disk_mapping:
    description:
      - "An optional list of device hashes/dictionaries with custom configurations (see example): C(device), C(disk_size) (alias C(size)), C(snapshot_id) (alias C(snapshot))."
    type: list
    elements: dict
    suboptions:
      device:
        description:
          - "Device name: /dev/xvda for the system disk, /dev/xvdb to /dev/xvdz for data disks."
        type: str
        required: true
      disk_size:
        description:
          - "Disk size in GiB. Without a snapshot 5 to 2000 (basic disks); with one, at least the snapshot's size."
        type: int
        aliases:
          - size
      snapshot_id:
        description:
          - "Snapshot the disk is made from; data disks without one are empty."
        type: str
        aliases:
          - snapshot
  images_tags:
    description:
      - "A list of hash/dictionaries of image tags, '[{tag_key:\"value\", tag_value:\"value\"}]', tag_key must be not null when tag_value isn't null. At most 20 tags."
    type: list
    elements: dict
    aliases:
      - tags
    suboptions:
      tag_key:
        description:
          - "Tag key, 1 to 128 characters, not starting with aliyun or acs:."
        type: str
      tag_value:
        description:
          - Tag value, 0 to 128 characters.
        type: str
  launch_permission:
    description:
      - "Users that should be able to launch the ami: account ids (digits), at most 50."
    type: list
    elements: str
  wait:
    description:
      - Wait for the image creation (or deletion) to finish.
    type: bool
    default: false
  wait_timeout:
    description:
      - how long before wait gives up, in seconds
    type: int
    default: 300
  force:
    description:
      - With C(absent), delete the image even when instances use it or it is shared (it is unshared first).
    type: bool
    default: false
    version_added: "0.1.0"
  purge_tags:
    description:
      - "With C(present), remove the image's tags that C(images_tags) does not list, so that C(images_tags) is the exact set; C(images_tags: []) with purge removes every tag. Tags whose keys start with the reserved prefixes C(aliyun) or C(acs:) are never removed. Without it, listed tags are only added or updated."
    type: bool
    default: false
    version_added: "0.1.0"
  purge_launch_permission:
    description:
      - "With C(present), make C(launch_permission) the exact set of accounts: the others are unshared, at most 10 per call; C(launch_permission: []) with purge unshares every account. Without it, listed accounts are only added."
    type: bool
    default: false
    version_added: "0.1.0"
  delete_snapshots:
    description:
      - "With C(absent), after the image is deleted, delete the snapshots it was built on (read from its disk device mappings before the deletion). Deleted ids are returned in C(snapshots_deleted); a snapshot that cannot be deleted (used by a disk or by another image) is kept and reported in C(snapshots_kept) with the reason."
    type: bool
    default: false
    version_added: "0.1.0"
  tag_snapshots:
    description:
      - "With C(present), give the snapshots the image is built with the image's tags (C(images_tags)), also on an existing image (one more read); with C(purge_tags), other tags are removed from them too (reserved C(aliyun)/C(acs:) keys are never touched). The snapshots are known once the image is Available, so this waits for the image to be built."
    type: bool
    default: false
    version_added: "0.1.0"
  architecture:
    description:
      - "System architecture of a new image (the cloud's default is x86_64). It cannot be changed on an existing image: a different value is an error."
    type: str
    choices:
      - x86_64
      - i386
      - arm64
    version_added: "0.1.0"
  platform:
    description:
      - "Operating system distribution of a new image, for example C(CentOS), C(Ubuntu) or C(Others Linux) (the cloud's default). It cannot be changed on an existing image: a different value is an error."
    type: str
    version_added: "0.1.0"
  boot_mode:
    description:
      - "Boot mode of the image; set at create and changed in place on an existing image."
    type: str
    choices:
      - BIOS
      - UEFI
      - UEFI-Preferred
    version_added: "0.1.0"
  image_family:
    description:
      - "Image family, 2 to 128 characters, starting with a letter, not with C(aliyun) or C(acs:), without C(http://) or C(https://); set at create and changed in place on an existing image."
    type: str
    version_added: "0.1.0"
  resource_group_id:
    description:
      - "Resource group of a new image (the account's default group when not set). It cannot be changed on an existing image: a different value is an error."
    type: str
    version_added: "0.1.0"
"""

EXAMPLES = r"""
# The seed module's five examples, with alicloud_ecs.ecs.ecs_ami. They run as they are against the local emulator:
# start it (npm run emulator), export ACS_ENDPOINT=<its endpoint>, then run ansible-playbook.

# examples/playbooks/01-create-image-from-instance.yml
# basic provisioning example to create image using ecs instance
- name: create image from ecs instance
  hosts: localhost
  connection: local
  vars:
    acs_access_key: LTAI5tEmulatorDemoKey01
    acs_secret_access_key: EmulatorDemoSecret-NotReal-0000
    region: cn-hangzhou
    instance_id: i-bp1demostopped00001
  tasks:
    - name: create image from ecs instance
      alicloud_ecs.ecs.ecs_ami:
        acs_access_key: "{{ acs_access_key }}"
        acs_secret_access_key: "{{ acs_secret_access_key }}"
        region: "{{ region }}"
        instance_id: "{{ instance_id }}"

# examples/playbooks/02-create-image-from-snapshot.yml
# basic provisioning example to create image using snapshot
- name: create image using snapshot
  hosts: localhost
  connection: local
  vars:
    acs_access_key: LTAI5tEmulatorDemoKey01
    acs_secret_access_key: EmulatorDemoSecret-NotReal-0000
    region: cn-hangzhou
    snapshot_id: s-bp1demosystem000001
    status: present
  tasks:
    - name: create image using snapshot
      alicloud_ecs.ecs.ecs_ami:
        acs_access_key: "{{ acs_access_key }}"
        acs_secret_access_key: "{{ acs_secret_access_key }}"
        region: "{{ region }}"
        snapshot_id: "{{ snapshot_id }}"
        status: "{{ status }}"

# examples/playbooks/03-create-image-from-disk-mapping.yml
# basic provisioning example to create image using disk mapping
- name: create image using disk mapping
  hosts: localhost
  connection: local
  vars:
    acs_access_key: LTAI5tEmulatorDemoKey01
    acs_secret_access_key: EmulatorDemoSecret-NotReal-0000
    region: cn-hangzhou
    disk_mapping:
      - device: /dev/xvda
        disk_size: 40
        snapshot_id: s-bp1demosystem000001
    status: present
  tasks:
    - name: create image using disk mapping
      alicloud_ecs.ecs.ecs_ami:
        acs_access_key: "{{ acs_access_key }}"
        acs_secret_access_key: "{{ acs_secret_access_key }}"
        region: "{{ region }}"
        disk_mapping: "{{ disk_mapping }}"
        status: "{{ status }}"

# examples/playbooks/04-create-named-image-with-tags-and-sharing.yml
# advanced example to create image with tagging, version and launch permission
- name: create image
  hosts: localhost
  connection: local
  vars:
    acs_access_key: LTAI5tEmulatorDemoKey01
    acs_secret_access_key: EmulatorDemoSecret-NotReal-0000
    region: cn-hangzhou
    image_name: image_test
    image_version: 4
    description: description
    images_tags:
      - tag_key: key
        tag_value: value
    disk_mapping:
      - device: /dev/xvda
        disk_size: 40
        snapshot_id: s-bp1demosystem000001
    status: present
    wait: false
    wait_timeout: 10
    launch_permission: "1100000000000001"
  tasks:
    - name: create image
      alicloud_ecs.ecs.ecs_ami:
        acs_access_key: "{{ acs_access_key }}"
        acs_secret_access_key: "{{ acs_secret_access_key }}"
        region: "{{ region }}"
        image_name: "{{ image_name }}"
        image_version: "{{ image_version }}"
        description: "{{ description }}"
        images_tags: "{{ images_tags }}"
        disk_mapping: "{{ disk_mapping }}"
        status: "{{ status }}"
        wait: "{{ wait }}"
        wait_timeout: "{{ wait_timeout }}"
        launch_permission: "{{ launch_permission }}"

# examples/playbooks/05-delete-image.yml
# provisioning to delete user-defined image
- name: delete image
  hosts: localhost
  connection: local
  vars:
    acs_access_key: LTAI5tEmulatorDemoKey01
    acs_secret_access_key: EmulatorDemoSecret-NotReal-0000
    region: cn-hangzhou
    image_id: m-bp1demobase00000001
    status: absent
  tasks:
    - name: delete image
      alicloud_ecs.ecs.ecs_ami:
        acs_access_key: "{{ acs_access_key }}"
        acs_secret_access_key: "{{ acs_secret_access_key }}"
        region: "{{ region }}"
        image_id: "{{ image_id }}"
        status: "{{ status }}"
"""

RETURN = r"""
changed:
  description: Whether the run changed (or, in check mode, would change) the image.
  returned: always
  type: bool
failed:
  description: Whether the task failed.
  returned: always
  type: bool
msg:
  description: What the run did or why it failed, in one sentence.
  returned: always
  type: str
  sample: Created image m-bp1l36xlc5jsz2ntzo1b in region cn-hangzhou
image_id:
  description: The ID of the image the task is about.
  returned: "when an image was found, created or deleted, also on failures after the image was known or created; not when check mode would create one"
  type: str
  sample: m-bp1demobase00000001
image:
  description: The image's facts after the run (in check mode, as they were).
  returned: when the image exists after the run (not after a deletion)
  type: complex
  contains:
    image_id:
      description: Image ID.
      returned: always
      type: str
      sample: m-bp1demobase00000001
    image_name:
      description: Image name.
      returned: always
      type: str
      sample: image_test
    image_version:
      description: Image version.
      returned: always
      type: str
      sample: "4"
    description:
      description: Image description.
      returned: always
      type: str
    status:
      description: Image status, e.g. C(Creating), C(Available), C(CreateFailed).
      returned: always
      type: str
      sample: Available
    progress:
      description: Build progress.
      returned: always
      type: str
      sample: "100%"
    size:
      description: Image size in GiB, or null.
      returned: always
      type: int
      sample: 40
    creation_time:
      description: When the image was created (UTC).
      returned: always
      type: str
    architecture:
      description: Architecture.
      returned: always
      type: str
      sample: x86_64
    platform:
      description: OS platform.
      returned: always
      type: str
    os_name:
      description: OS name.
      returned: always
      type: str
    boot_mode:
      description: Boot mode (BIOS, UEFI, UEFI-Preferred).
      returned: always
      type: str
    image_family:
      description: "Image family; empty when none."
      returned: always
      type: str
    resource_group_id:
      description: Resource group of the image.
      returned: always
      type: str
    tags:
      description: The image's tags, key to value.
      returned: always
      type: dict
    disk_device_mappings:
      description: The image's disks.
      returned: always
      type: list
      elements: dict
      contains:
        device:
          description: Device name.
          returned: always
          type: str
          sample: /dev/xvda
        size:
          description: Size in GiB, or null.
          returned: always
          type: int
          sample: 40
        snapshot_id:
          description: The disk's snapshot, or null.
          returned: always
          type: str
        type:
          description: C(system) or C(data), or null.
          returned: always
          type: str
    launch_permission:
      description: "Accounts the image is shared with; [] when it is not shared (no extra call), read in one call when it is."
      returned: always
      type: list
      elements: str
    region:
      description: The image's region.
      returned: always
      type: str
      sample: cn-hangzhou
warnings:
  description: Warnings, e.g. that a task without C(image_name) is not idempotent.
  returned: when there are any
  type: list
  elements: str
diff:
  description: "C(before) and C(after) views of the managed attributes (C(state), C(image_id), C(image_name), C(image_version), C(description), C(tags), C(launch_permission), C(boot_mode), C(image_family)); an absent image is C({state: absent}). The same in check mode."
  returned: in diff mode, on success
  type: dict
snapshots_deleted:
  description: The snapshots of the deleted image that were deleted (C(delete_snapshots)).
  returned: with C(delete_snapshots) when an image was deleted
  type: list
  elements: str
  sample:
    - s-bp1demosystem000001
snapshots_kept:
  description: The snapshots of the deleted image that could not be deleted, each with C(snapshot_id) and C(reason) (used by a disk or another image).
  returned: with C(delete_snapshots) when an image was deleted
  type: list
  elements: dict
error:
  description: The cloud error behind a failure.
  returned: on failure, when the ECS API answered with an error
  type: dict
  contains:
    code:
      description: The ECS error code.
      returned: always
      type: str
      sample: Forbidden.RAM
    message:
      description: The ECS error message.
      returned: always
      type: str
    request_id:
      description: The request ID of the failed call, or null.
      returned: always
      type: str
    http_status:
      description: The HTTP status of the answer, or null.
      returned: always
      type: int
    action:
      description: The ECS API action that failed.
      returned: always
      type: str
    attempts:
      description: How many times the call was tried.
      returned: always
      type: int
completed_steps:
  description: "The steps done before a step failed (e.g. C(create), C(tag)); C(changed) is then true."
  returned: on failure after at least one write
  type: list
  elements: str
  sample:
    - create
failed_step:
  description: The step that failed.
  returned: on failure after at least one write
  type: str
  sample: share
status:
  description: The last image status seen.
  returned: on failure while waiting (timeout, C(CreateFailed), cancelled)
  type: str
  sample: Creating
polls:
  description: How many times the image was read while waiting.
  returned: on failure while waiting (timeout or failure status)
  type: int
elapsed_seconds:
  description: How long the wait lasted.
  returned: on failure while waiting (timeout or failure status)
  type: int
rc:
  description: Exit code of node.
  returned: when node printed no JSON result (a failure of the shim)
  type: int
module_stdout:
  description: What node printed on stdout.
  returned: when node printed no JSON result (a failure of the shim)
  type: str
module_stderr:
  description: What node printed on stderr.
  returned: when node printed no JSON result (a failure of the shim)
  type: str
"""
# END GENERATED DOCUMENTATION

# The shim's work (find node, run the bundle with the raw args, relay its JSON) is shared with the
# collection's other modules in module_utils/node_shim.py.
from ansible_collections.alicloud_ecs.ecs.plugins.module_utils.node_shim import BundleSpec, run_module

try:
    from ansible_collections.alicloud_ecs.ecs.plugins.module_utils.ecs_ami_bundle import (
        MIN_NODE_MAJOR,
        bundle_source,
    )
except ImportError:  # a checkout where npm run collection has not generated the bundle yet
    MIN_NODE_MAJOR = None
    bundle_source = None


def main():
    """Runs the ecs_ami bundle once and prints its result, or a clean failure of the shim itself."""
    run_module(BundleSpec("ecs_ami", "ECS_AMI_BUNDLE", bundle_source, MIN_NODE_MAJOR))


if __name__ == "__main__":
    main()
