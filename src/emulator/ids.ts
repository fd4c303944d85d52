/**
 * Resource ID generator: `m-` / `s-` + a region-ish prefix + random base36, like real IDs
 * (`m-bp1g7004ksh0oeuc1234`). Deterministic for a given seed (mulberry32), so a `--seed` run
 * produces the same IDs; the current position is part of the exported state.
 */

/** The kinds of resource the emulator mints IDs for. */
export type IdKind = "image" | "snapshot";

/** A seeded ID source; `state` is the PRNG position, exportable and restorable. */
export interface IdGenerator {
  next(kind: IdKind, regionId: string): string;
  state(): number;
}

const ID_BODY_CHARS = 17;
const KIND_PREFIX: Readonly<Record<IdKind, string>> = { image: "m-", snapshot: "s-" };
/** Real region prefixes of resource IDs; other regions get one derived from the name. */
const REGION_ID_PREFIX: Readonly<Record<string, string>> = {
  "cn-hangzhou": "bp1",
  "cn-shanghai": "uf6",
  "cn-beijing": "2ze",
  "cn-shenzhen": "wz9",
  "cn-qingdao": "m5e",
  "cn-zhangjiakou": "8vb",
  "cn-hongkong": "j6c",
  "ap-southeast-1": "t4n",
  "us-west-1": "rj9",
  "eu-central-1": "gw8",
};

/** Creates a generator whose output depends only on the seed. */
export function createIdGenerator(seed: number): IdGenerator {
  let position = seed >>> 0;
  function nextRandom(): number {
    position = (position + 0x6d2b79f5) >>> 0;
    let t = position;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  return {
    next(kind, regionId) {
      let body = "";
      while (body.length < ID_BODY_CHARS) {
        body += Math.floor(nextRandom() * 36).toString(36);
      }
      return `${KIND_PREFIX[kind]}${regionIdPrefix(regionId)}${body}`;
    },
    state() {
      return position;
    },
  };
}

/** The 3-character prefix real IDs carry for a region. */
function regionIdPrefix(regionId: string): string {
  const known = REGION_ID_PREFIX[regionId];
  if (known !== undefined) return known;
  const letters = regionId.replace(/[^a-z0-9]/g, "");
  return (letters.slice(-2) + "x").slice(0, 3).padEnd(3, "x");
}
