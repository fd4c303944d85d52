/**
 * Injected transport and service faults (`POST /_emulator/faults`). Every random draw comes from a
 * small seeded generator, so a run with the same seed and the same calls hits the same faults.
 */

/** Fault settings, in the control API's snake_case spelling. */
export interface FaultSettings {
  readonly throttle_rate: number;
  readonly server_error_rate: number;
  readonly latency_ms: number;
  readonly reset_connection_rate: number;
  readonly drop_response_rate: number;
  readonly fail_image_names: readonly string[];
  /** Seconds a newly created image stays missing from DescribeImages (eventual consistency). */
  readonly invisible_for_seconds: number;
  /** Actions the transport and service faults hit; null means every action. */
  readonly actions: readonly string[] | null;
  readonly seed: number;
}

/** The service fault chosen for a call, answered instead of running the action. */
export type ServiceFault = "throttle" | "server_error";

/** Seed used when the faults body gives none, so runs are reproducible anyway. */
export const DEFAULT_FAULT_SEED = 1;

/** Longest injectable latency; anything longer would outlast every client timeout. */
export const MAX_LATENCY_MS = 60_000;

/** Longest injectable invisibility of a new image (an hour: any longer is not "eventual"). */
export const MAX_INVISIBLE_SECONDS = 3_600;

/** No faults at all. */
export const NO_FAULTS: FaultSettings = {
  throttle_rate: 0,
  server_error_rate: 0,
  latency_ms: 0,
  reset_connection_rate: 0,
  drop_response_rate: 0,
  fail_image_names: [],
  invisible_for_seconds: 0,
  actions: null,
  seed: DEFAULT_FAULT_SEED,
};

const RATE_KEYS = [
  "throttle_rate",
  "server_error_rate",
  "reset_connection_rate",
  "drop_response_rate",
] as const;

const KNOWN_KEYS: ReadonlySet<string> = new Set([
  ...RATE_KEYS,
  "latency_ms",
  "fail_image_names",
  "actions",
  "seed",
  "invisible_for_seconds",
]);

/** Decides, call by call, which faults hit. */
export interface FaultInjector {
  settings(): FaultSettings;
  /** Replaces every setting and restarts the random sequence from the settings' seed. */
  configure(settings: FaultSettings): void;
  latencyMs(action: string | undefined): number;
  shouldResetConnection(action: string | undefined): boolean;
  serviceFault(action: string | undefined): ServiceFault | undefined;
  shouldDropResponse(action: string | undefined): boolean;
}

/** A new injector with no faults. */
export function createFaultInjector(): FaultInjector {
  let current = NO_FAULTS;
  let random = mulberry32(DEFAULT_FAULT_SEED);
  const hits = (action: string | undefined, rate: number): boolean =>
    rate > 0 && isTargeted(current, action) && random() < rate;
  return {
    settings: () => current,
    configure(settings: FaultSettings): void {
      current = settings;
      random = mulberry32(settings.seed);
    },
    latencyMs: (action) => (isTargeted(current, action) ? current.latency_ms : 0),
    shouldResetConnection: (action) => hits(action, current.reset_connection_rate),
    serviceFault(action: string | undefined): ServiceFault | undefined {
      if (hits(action, current.throttle_rate)) {
        return "throttle";
      }
      return hits(action, current.server_error_rate) ? "server_error" : undefined;
    },
    shouldDropResponse: (action) => hits(action, current.drop_response_rate),
  };
}

/** True when the `actions` filter lets faults hit this action. */
export function isTargeted(settings: FaultSettings, action: string | undefined): boolean {
  return settings.actions === null || (action !== undefined && settings.actions.includes(action));
}

/** mulberry32: a tiny, well-mixed 32-bit PRNG giving numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Validates a faults body; returns the settings or a message saying what is wrong. `{}` clears all. */
export function parseFaultSettings(value: unknown): FaultSettings | string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return "The faults body must be a JSON object";
  }
  const body = value as Record<string, unknown>;
  const unknownKey = Object.keys(body).find((key) => !KNOWN_KEYS.has(key));
  if (unknownKey !== undefined) {
    return `Unknown fault setting ${unknownKey}; known settings are ${[...KNOWN_KEYS].join(", ")}`;
  }
  return buildSettings(body);
}

/** Reads each setting in turn; the first invalid one gives the message. */
function buildSettings(body: Readonly<Record<string, unknown>>): FaultSettings | string {
  const rates = parseRates(body);
  const latency = parseLatency(body.latency_ms);
  const failNames = parseStringList("fail_image_names", body.fail_image_names);
  const actions = body.actions === undefined ? null : parseStringList("actions", body.actions);
  const seed = parseSeed(body.seed);
  const invisible = parseInvisibleSeconds(body.invisible_for_seconds);
  if (typeof rates === "string") return rates;
  if (typeof latency === "string") return latency;
  if (typeof failNames === "string") return failNames;
  if (typeof actions === "string") return actions;
  if (typeof seed === "string") return seed;
  if (typeof invisible === "string") return invisible;
  return {
    ...rates,
    latency_ms: latency,
    fail_image_names: failNames,
    invisible_for_seconds: invisible,
    actions,
    seed,
  };
}

type Rates = Pick<FaultSettings, (typeof RATE_KEYS)[number]>;

/** Each rate is a number in [0, 1], default 0. */
function parseRates(body: Readonly<Record<string, unknown>>): Rates | string {
  const rates: Record<string, number> = {};
  for (const key of RATE_KEYS) {
    const rate = body[key] ?? 0;
    if (typeof rate !== "number" || !Number.isFinite(rate) || rate < 0 || rate > 1) {
      return `${key} must be a number between 0 and 1, got ${JSON.stringify(rate)}`;
    }
    rates[key] = rate;
  }
  return rates as Rates;
}

/** Latency is a whole number of milliseconds, default 0. */
function parseLatency(value: unknown): number | string {
  const latency = value ?? 0;
  if (typeof latency !== "number" || !Number.isInteger(latency) || latency < 0 || latency > MAX_LATENCY_MS) {
    return `latency_ms must be a whole number from 0 to ${MAX_LATENCY_MS}, got ${JSON.stringify(latency)}`;
  }
  return latency;
}

/** Invisibility is a number of seconds (fractions allowed) from 0 to MAX_INVISIBLE_SECONDS, default 0. */
function parseInvisibleSeconds(value: unknown): number | string {
  const seconds = value ?? 0;
  if (
    typeof seconds !== "number" ||
    !Number.isFinite(seconds) ||
    seconds < 0 ||
    seconds > MAX_INVISIBLE_SECONDS
  ) {
    return `invisible_for_seconds must be a number from 0 to ${MAX_INVISIBLE_SECONDS}, got ${JSON.stringify(seconds)}`;
  }
  return seconds;
}

/** A list of non-empty strings, default empty. */
function parseStringList(key: string, value: unknown): string[] | string {
  const list = value ?? [];
  if (
    !Array.isArray(list) ||
    !list.every((item): item is string => typeof item === "string" && item !== "")
  ) {
    return `${key} must be a list of non-empty strings, got ${JSON.stringify(list)}`;
  }
  return list;
}

/** The seed is a whole number from 0 to 2^32 - 1, default DEFAULT_FAULT_SEED. */
function parseSeed(value: unknown): number | string {
  const seed = value ?? DEFAULT_FAULT_SEED;
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    return `seed must be a whole number from 0 to 4294967295, got ${JSON.stringify(seed)}`;
  }
  return seed;
}
