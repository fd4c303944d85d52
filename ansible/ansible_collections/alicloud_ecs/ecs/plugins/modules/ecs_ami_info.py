#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ecs_ami contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# The thin shim of alicloud_ecs.ecs.ecs_ami_info: it hands the task's raw arguments (control keys
# included, unchanged) to the Node.js bundle dist/ecs_ami_info.js as a flat JSON args file, runs node,
# and relays the JSON the bundle prints (module_utils/node_shim.py does the work).

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# BEGIN GENERATED DOCUMENTATION: npm run gen writes this part from src/module/info-options.ts; do not edit
DOCUMENTATION = r"""
module: ecs_ami_info
short_description: List Alibaba Cloud ECS images with the same facts as ecs_ami
version_added: "0.1.0"
description:
  - Lists ECS images by ids, exact names and tags, your own custom images by default (in every status), and returns each with the same facts as the C(image) of M(alicloud_ecs.ecs.ecs_ami).
  - "Read-only: C(changed) is always false. A thin shim runs the module's Node.js program with the task's arguments unchanged."
author:
  - "ecs_ami maintainers (@ecs-ami)"
requirements:
  - Node.js 20 or later on the target, on C(PATH) or named by the C(ECS_AMI_NODE) environment variable.
  - Python 3.8 or later on the target (standard library only).
notes:
  - If parameters are not set within the module, the environment variables named in each option's description are used, in that order of precedence.
  - C(ECS_AMI_INFO_BUNDLE) on the target names a bundle file (C(dist/ecs_ami_info.js)) to run instead of the one embedded in the collection.
attributes:
  check_mode:
    support: full
    description: "The module only reads; check mode changes nothing."
  diff_mode:
    support: none
    description: Nothing changes, so there is no diff.
options:
  acs_access_key:
    description:
      - Aliyun Cloud access key. If not set then the value of the C(ACS_ACCESS_KEY_ID), C(ACS_ACCESS_KEY), C(ECS_ACCESS_KEY), C(ALICLOUD_ACCESS_KEY) or C(ALIBABA_CLOUD_ACCESS_KEY_ID) environment variable is used.
    type: str
    aliases:
      - ecs_access_key
      - access_key
      - alicloud_access_key
    version_added: "0.1.0"
  acs_secret_access_key:
    description:
      - Aliyun Cloud secret key. If not set then the value of the C(ACS_SECRET_ACCESS_KEY), C(ACS_SECRET_KEY), C(ECS_SECRET_KEY), C(ALICLOUD_SECRET_KEY) or C(ALIBABA_CLOUD_ACCESS_KEY_SECRET) environment variable is used.
      - "This value is secret: the module masks it in every output, as C(no_log) does."
    type: str
    aliases:
      - ecs_secret_key
      - secret_key
      - alicloud_secret_key
    version_added: "0.1.0"
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
    version_added: "0.1.0"
  endpoint:
    description:
      - "ECS API endpoint, as C(host:port) or a URL, for example a local emulator. HTTPS by default; plain HTTP only to a loopback host, where a bare C(host:port) means HTTP (a local emulator). If not set then the value of the C(ACS_ENDPOINT) or C(ECS_ENDPOINT) environment variable is used, else the region's public endpoint."
    type: str
    aliases:
      - ecs_endpoint
    version_added: "0.1.0"
  image_ids:
    description:
      - Only the images with these ids.
    type: list
    elements: str
    version_added: "0.1.0"
  image_names:
    description:
      - "Only the images named exactly one of these names (the API's name filter is fuzzy; other names are left out)."
    type: list
    elements: str
    version_added: "0.1.0"
  tags:
    description:
      - Only the images that carry every one of these tags (key to value).
    type: dict
    version_added: "0.1.0"
  owner:
    description:
      - "Whose images: C(self) (your own custom images), C(others) (shared with you), C(system) or C(marketplace)."
    type: str
    default: self
    choices:
      - self
      - others
      - system
      - marketplace
    version_added: "0.1.0"
"""

EXAMPLES = r"""
- name: Find my images by exact name and tag
  alicloud_ecs.ecs.ecs_ami_info:
    region: cn-hangzhou
    image_names:
      - web-base-1
    tags:
      team: platform
  register: found

- name: Read two images by id
  alicloud_ecs.ecs.ecs_ami_info:
    region: cn-hangzhou
    image_ids:
      - m-bp1demobase00000001
      - m-bp1demobase00000002
"""

RETURN = r"""
changed:
  description: "Always false: the module only reads."
  returned: always
  type: bool
failed:
  description: Whether the task failed.
  returned: always
  type: bool
msg:
  description: How many images were found, or why the task failed.
  returned: always
  type: str
  sample: Found 2 image(s) in region cn-hangzhou
images:
  description: The images found, oldest first, each with the facts ecs_ami returns as C(image).
  returned: on success
  type: list
  elements: dict
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
"""
# END GENERATED DOCUMENTATION

from ansible_collections.alicloud_ecs.ecs.plugins.module_utils.node_shim import BundleSpec, run_module

try:
    from ansible_collections.alicloud_ecs.ecs.plugins.module_utils.ecs_ami_info_bundle import (
        MIN_NODE_MAJOR,
        bundle_source,
    )
except ImportError:  # a checkout where npm run collection has not generated the bundle yet
    MIN_NODE_MAJOR = None
    bundle_source = None


def main():
    """Runs the ecs_ami_info bundle once and prints its result."""
    run_module(BundleSpec("ecs_ami_info", "ECS_AMI_INFO_BUNDLE", bundle_source, MIN_NODE_MAJOR))


if __name__ == "__main__":
    main()
