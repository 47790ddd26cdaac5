/**
 * What one case may accumulate. The whole complaint travels in every update result, every
 * snapshot and the continue-as-new input, and Temporal refuses a payload over 2 MB and a
 * workflow task over 4 MB: a case that grew past them would take no more updates and could
 * not continue as new. With these limits the largest possible complaint stays a few hundred
 * kilobytes (test/unit/case-limits.test.ts computes it); an action that would pass one is
 * refused with 409 naming the limit.
 */
export const caseLimits = {
  /** Evidence links given at intake. */
  evidenceAtIntake: 20,
  /** Findings each department may submit on a case (a first answer and two corrections). */
  findingsPerDepartment: 3,
  /** Evidence links with one findings submission. */
  evidencePerFindings: 10,
  /** Plans proposed on a case, so also the consumer's rounds of feedback. */
  plans: 10,
  /**
   * Timeline entries the workflow carries in its state; older ones live in the read model
   * only (the complaint's `timelineStart` says how many were left there).
   */
  timelineInWorkflow: 150,
  /** Questions asked of the consumer on a case (each pauses its clock: not without end). */
  informationRequests: 5,
  /** Items listed as needed in one question. */
  neededItems: 10,
  /** Times a closed case may be reopened; later problems are a new complaint. */
  reopens: 3,
  /** Keyed actions whose outcome the workflow remembers across runs (Idempotency-Key). */
  rememberedActions: 64,
} as const;
