/** One submitted attempt of a mastery check, as evidence for a mastery estimate. */
export interface AttemptEvidence {
  attemptId: string;
  /** Share of the check's points earned, in [0, 1]. */
  score: number;
  submittedAt: Date;
  /** Full-credit flags of the attempt's items, in the order they were shown (for BKT). */
  responses: readonly boolean[];
}

/** Evidence in submission order (Canvas orders scores by submission time). */
export function inSubmissionOrder(evidence: readonly AttemptEvidence[]): readonly AttemptEvidence[] {
  for (let i = 1; i < evidence.length; i++) {
    if (evidence[i]!.submittedAt.getTime() < evidence[i - 1]!.submittedAt.getTime()) {
      return [...evidence].sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime());
    }
  }
  return evidence; // already ordered (the repository sorts): no copy
}
