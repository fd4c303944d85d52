/** Errors of the reconcile layer (style.md §6): a refusal decided by the plan, and a failure after a write. */
import type { ImageState } from "../common/types";
import type { PlanErrorCode, StepKind } from "./plan";

/** The plan refused to act (before any write): e.g. image not found by id, no source, in use without force. */
export class PlanRefusedError extends Error {
  override readonly name = "PlanRefusedError";
  readonly code: PlanErrorCode;
  readonly region: string;
  /** The image the refusal is about, when one exists. */
  readonly imageId: string | undefined;
  /** The image as observed, when one exists (its facts still belong in the result). */
  readonly image: ImageState | undefined;
  readonly warnings: readonly string[];

  constructor(
    fields: {
      code: PlanErrorCode;
      region: string;
      imageId: string | undefined;
      image: ImageState | undefined;
      warnings: readonly string[];
    },
    message: string,
  ) {
    super(message);
    this.code = fields.code;
    this.region = fields.region;
    this.imageId = fields.imageId;
    this.image = fields.image;
    this.warnings = fields.warnings;
  }
}

/** A step failed after at least one write succeeded: the result must say `changed: true` and give the image id. */
export class PartialFailureError extends Error {
  override readonly name = "PartialFailureError";
  readonly imageId: string | undefined;
  readonly region: string;
  /** The steps that succeeded, in order. */
  readonly completed: readonly StepKind[];
  /** The step that failed. */
  readonly failedStep: StepKind;
  /** The underlying error (CloudError, WaitTimeoutError, WaitFailedError, CancelledError, ...). */
  override readonly cause: unknown;

  constructor(fields: {
    imageId: string | undefined;
    region: string;
    completed: readonly StepKind[];
    failedStep: StepKind;
    cause: unknown;
  }) {
    const causeText = fields.cause instanceof Error ? fields.cause.message : "Unknown failure";
    super(`${causeText} (after ${fields.completed.join(", ")} succeeded)`);
    this.imageId = fields.imageId;
    this.region = fields.region;
    this.completed = fields.completed;
    this.failedStep = fields.failedStep;
    this.cause = fields.cause;
  }
}
