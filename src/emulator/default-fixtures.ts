/**
 * The fixtures the emulator starts with when no `--fixtures` file is given (documented in the README):
 * - credentials: access key id `LTAI5tEmulatorDemoKey01`, secret `EmulatorDemoSecret-NotReal-0000`,
 *   account `1000000000000001` (obviously fake; they only work against this emulator);
 * - known accounts for sharing: `1100000000000001` ... `1100000000000005`;
 * - images take 2 seconds to build; image quota 100 per account and region;
 * - cn-hangzhou: instances `i-bp1demorunning00001` (Running, 40 GiB system + 100 GiB data disk),
 *   `i-bp1demostopped00001` (Stopped, 40 GiB system disk), `i-bp1demostarting0001` (Starting);
 *   snapshots `s-bp1demosystem000001` (system, 40 GiB, accomplished), `s-bp1demodata00000001`
 *   (data, 100 GiB, accomplished), `s-bp1demoprogress0001` (system, 40 GiB, progressing);
 *   images `m-bp1demobase00000001` "demo-base" (Available, tagged, not in use) and
 *   `m-bp1demoinuse0000001` "demo-in-use" (Available, in use by instances);
 * - cn-shanghai: instance `i-uf6demorunning00001` (Running, 40 GiB system disk) and snapshot
 *   `s-uf6demosystem000001` (system, 40 GiB, accomplished); no images.
 */
import type { Fixtures } from "./contract";

const SYSTEM_DISK_40 = { device: "/dev/xvda", type: "system", size: 40 } as const;
const CREATED = "2025-01-01T00:00:00Z";

/** The default fixtures: two regions, demo credentials, a few instances, snapshots and images. */
export const DEFAULT_FIXTURES: Fixtures = {
  credentials: [
    {
      access_key_id: "LTAI5tEmulatorDemoKey01",
      access_key_secret: "EmulatorDemoSecret-NotReal-0000",
      account_id: "1000000000000001",
    },
  ],
  known_accounts: [
    "1100000000000001",
    "1100000000000002",
    "1100000000000003",
    "1100000000000004",
    "1100000000000005",
  ],
  image_create_seconds: 2,
  image_quota: 100,
  regions: {
    "cn-hangzhou": {
      instances: [
        {
          id: "i-bp1demorunning00001",
          status: "Running",
          disks: [SYSTEM_DISK_40, { device: "/dev/xvdb", type: "data", size: 100 }],
        },
        { id: "i-bp1demostopped00001", status: "Stopped", disks: [SYSTEM_DISK_40] },
        { id: "i-bp1demostarting0001", status: "Starting", disks: [SYSTEM_DISK_40] },
      ],
      snapshots: [
        {
          id: "s-bp1demosystem000001",
          disk_type: "system",
          size: 40,
          status: "accomplished",
          creation_time: CREATED,
        },
        {
          id: "s-bp1demodata00000001",
          disk_type: "data",
          size: 100,
          status: "accomplished",
          creation_time: CREATED,
        },
        {
          id: "s-bp1demoprogress0001",
          disk_type: "system",
          size: 40,
          status: "progressing",
          creation_time: CREATED,
        },
      ],
      images: [
        {
          id: "m-bp1demobase00000001",
          name: "demo-base",
          status: "Available",
          description: "Demo image of the emulator",
          version: "1",
          in_use: false,
          tags: { team: "demo" },
          shared_with: [],
          creation_time: CREATED,
          size: 40,
        },
        {
          id: "m-bp1demoinuse0000001",
          name: "demo-in-use",
          status: "Available",
          in_use: true,
          creation_time: CREATED,
        },
      ],
    },
    "cn-shanghai": {
      instances: [{ id: "i-uf6demorunning00001", status: "Running", disks: [SYSTEM_DISK_40] }],
      snapshots: [
        {
          id: "s-uf6demosystem000001",
          disk_type: "system",
          size: 40,
          status: "accomplished",
          creation_time: CREATED,
        },
      ],
      images: [],
    },
  },
};
