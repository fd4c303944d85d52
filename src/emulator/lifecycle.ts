/**
 * Image build lifecycle: Creating -> Available (or CreateFailed), derived lazily from the injected
 * clock. A build stores only absolute timestamps, so exported state resumes where it left off.
 * Progress rises from "0%" to "100%" in proportion to the elapsed share of the build time.
 */

/** Statuses an image can hold once built (or set through ModifyImageAttribute). */
export type SettledImageStatus = "Available" | "CreateFailed" | "Deprecated" | "UnAvailable";

/** Every image status of DescribeImages (ecs-api.md §5 DescribeImages). */
export type ImageStatus = SettledImageStatus | "Creating" | "Waiting";

/** All statuses, in the documented order. */
export const IMAGE_STATUSES: readonly ImageStatus[] = [
  "Creating",
  "Waiting",
  "Available",
  "UnAvailable",
  "CreateFailed",
  "Deprecated",
];

/** How long a doomed build takes to fail at most (fault `fail_image_names`: within one second). */
const FAIL_DELAY_MS = 1000;

/** An image build in progress: absolute times in ms since the epoch. */
export interface Build {
  readonly startedAtMs: number;
  /** When the build ends (Available, or CreateFailed when failAtMs is set and earlier). */
  readonly endsAtMs: number;
  /** Set when the build is doomed: it turns CreateFailed at this time. */
  readonly failAtMs: number | undefined;
}

/** The state of an image: either building or settled. */
export type Phase =
  | { readonly kind: "building"; readonly build: Build }
  | { readonly kind: "settled"; readonly status: SettledImageStatus; readonly progress: string };

/** What DescribeImages shows for a phase at a given time. */
export interface ObservedPhase {
  readonly status: ImageStatus;
  readonly progress: string;
}

/** Starts a build that lasts `durationMs` (0 gives Available on the next read). */
export function startBuild(nowMs: number, durationMs: number, failing: boolean): Phase {
  const endsAtMs = nowMs + Math.max(0, durationMs);
  return {
    kind: "building",
    build: { startedAtMs: nowMs, endsAtMs, failAtMs: failing ? failTime(nowMs, endsAtMs) : undefined },
  };
}

/** When a build started at `startedAtMs` fails: within one second, never after it would finish. */
function failTime(startedAtMs: number, endsAtMs: number): number {
  return Math.min(startedAtMs + FAIL_DELAY_MS, endsAtMs);
}

/** Progress text of a build at `nowMs`, floored to whole percent. */
function progressAt(build: Build, nowMs: number): string {
  const total = build.endsAtMs - build.startedAtMs;
  if (total <= 0) return "100%";
  const share = Math.min(1, Math.max(0, (nowMs - build.startedAtMs) / total));
  return `${Math.floor(share * 100)}%`;
}

/** Settles a build if its time has come; otherwise returns the phase unchanged. */
export function advancePhase(phase: Phase, nowMs: number): Phase {
  if (phase.kind === "settled") return phase;
  const { build } = phase;
  if (build.failAtMs !== undefined && nowMs >= build.failAtMs) {
    return { kind: "settled", status: "CreateFailed", progress: progressAt(build, build.failAtMs) };
  }
  if (nowMs >= build.endsAtMs) return { kind: "settled", status: "Available", progress: "100%" };
  return phase;
}

/** Status and progress as seen at `nowMs`. */
export function observePhase(phase: Phase, nowMs: number): ObservedPhase {
  const current = advancePhase(phase, nowMs);
  if (current.kind === "settled") return { status: current.status, progress: current.progress };
  return { status: "Creating", progress: progressAt(current.build, nowMs) };
}

/** Finishes a build now (control plane `complete`): Available, or CreateFailed when doomed. */
export function completePhase(phase: Phase, nowMs: number): Phase {
  if (phase.kind === "settled") return phase;
  const { build } = phase;
  if (build.failAtMs !== undefined) {
    return {
      kind: "settled",
      status: "CreateFailed",
      progress: progressAt(build, Math.min(nowMs, build.failAtMs)),
    };
  }
  return { kind: "settled", status: "Available", progress: "100%" };
}

/** Dooms a running build (a failing name set after it started): it fails within one second from now. */
export function doomPhase(original: Phase, nowMs: number): Phase {
  const phase = advancePhase(original, nowMs);
  if (phase.kind === "settled" || phase.build.failAtMs !== undefined) return phase;
  const failAtMs = Math.max(nowMs, Math.min(phase.build.startedAtMs + FAIL_DELAY_MS, phase.build.endsAtMs));
  return { kind: "building", build: { ...phase.build, failAtMs } };
}
