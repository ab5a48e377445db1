/** What scoring one answer yields. `credit` is the share of the item's points earned, in [0, 1]. */
export interface ItemResult {
  itemId: string;
  credit: number;
  /** Full credit; BKT counts only these as correct observations. */
  correct: boolean;
  answered: boolean;
  feedback: string | null;
}

export function result(itemId: string, credit: number, answered: boolean, feedback: string | null): ItemResult {
  const c = Math.min(1, Math.max(0, credit));
  return { itemId, credit: c, correct: c >= 1, answered, feedback };
}

export function pickFeedback(fb: { correct?: string; incorrect?: string } | undefined, credit: number): string | null {
  return (credit >= 1 ? fb?.correct : fb?.incorrect) ?? null;
}
