/**
 * The seam between the emulator's HTTP side (server, protocol, signatures, control plane, transport
 * faults) and its cloud side (store, handlers, lifecycle, domain rules). Neither side knows the other's
 * internals: the server turns a signed request into an `ApiCall`, the core answers with an `ApiOutcome`.
 */

/** Fixture file format (design.md, "The emulator's contract"). Every key is optional in a file. */
export interface Fixtures {
  readonly credentials?: readonly FixtureCredential[];
  /** Accounts that exist, for ModifyImageSharePermission. */
  readonly known_accounts?: readonly string[];
  /** Seconds an image stays Creating before it becomes Available (default 2). */
  readonly image_create_seconds?: number;
  /** Custom images an account may hold per region (default 100). */
  readonly image_quota?: number;
  readonly regions?: Readonly<Record<string, FixtureRegion>>;
}

/** An access key the emulator accepts, and the account it belongs to. */
export interface FixtureCredential {
  readonly access_key_id: string;
  readonly access_key_secret: string;
  readonly account_id: string;
}

/** The seeded contents of one region. */
export interface FixtureRegion {
  readonly instances?: readonly FixtureInstance[];
  readonly snapshots?: readonly FixtureSnapshot[];
  readonly images?: readonly FixtureImage[];
}

/** A seeded instance with its disks. */
export interface FixtureInstance {
  readonly id: string;
  readonly status: string;
  readonly disks?: readonly {
    readonly device: string;
    readonly type: "system" | "data";
    readonly size: number;
  }[];
  /** Operation lock reason, e.g. "security" (the instance cannot be imaged). */
  readonly lock_reason?: string;
}

/** A seeded snapshot. */
export interface FixtureSnapshot {
  readonly id: string;
  readonly disk_type: "system" | "data";
  readonly size: number;
  readonly status: "progressing" | "accomplished" | "failed";
  readonly creation_time?: string;
}

/** A seeded custom image (owned by the first credential's account). */
export interface FixtureImage {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly description?: string;
  readonly version?: string;
  readonly in_use?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
  readonly shared_with?: readonly string[];
  readonly creation_time?: string;
  readonly size?: number;
}

/** One authenticated ECS API call, as the server hands it to the core. */
export interface ApiCall {
  readonly action: string;
  /** The caller's account, from the verified access key. */
  readonly accountId: string;
  readonly requestId: string;
  /** Decoded query parameters, flattened names as sent (`Tag.1.Key`, `AddAccount.2`, ...). */
  readonly params: Readonly<Record<string, string>>;
}

/** An ECS error: exact code, message text and HTTP status of the real service. */
export interface EcsError {
  readonly httpStatus: number;
  readonly code: string;
  readonly message: string;
}

/** What the core answers: a response body (without RequestId, which the server adds) or an error. */
export type ApiOutcome =
  | { readonly kind: "ok"; readonly body: Readonly<Record<string, unknown>> }
  | { readonly kind: "error"; readonly error: EcsError };

/** Time source of the emulator, injectable so tests never sleep. Milliseconds since the epoch. */
export interface EmulatorClock {
  now(): number;
}

/** The cloud side of the emulator: all state and all domain rules, no HTTP. */
export interface EmulatorCore {
  /** Answers one API call (the action decides; unknown actions are the core's to reject). */
  handle(call: ApiCall): ApiOutcome;
  /** Looks up the secret and account of an access key id; undefined when the key is unknown. */
  findCredential(accessKeyId: string): FixtureCredential | undefined;
  /** Replaces all state with a fresh store built from fixtures. */
  reset(fixtures: Fixtures): void;
  /** Finishes every Creating image now (Available, or CreateFailed for failing names). Returns how many. */
  completeCreating(): number;
  /** Image names whose builds fail (fault `fail_image_names`); an empty list clears. */
  setFailingImageNames(names: readonly string[]): void;
  /** Images created from now on stay out of DescribeImages this long (fault `invisible_for_seconds`); 0 clears. */
  setInvisibleForSeconds(seconds: number): void;
  /** A JSON-safe view of all state, for `GET /_emulator/state`; secrets are left out. */
  inspect(): unknown;
  /** Everything needed to resume later (for `--state`), JSON-safe; includes credentials. */
  exportState(): unknown;
  /** Restores what exportState produced; throws an Error with a clear message on a malformed value. */
  importState(state: unknown): void;
}
