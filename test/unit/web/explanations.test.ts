import { describe, expect, it } from 'vitest';
import type { AttemptEvidence } from '../../../src/learning/mastery/evidence.js';
import { estimateMastery } from '../../../src/learning/mastery/estimate.js';
import { masteryMethodSchema, type MasteryMethod } from '../../../src/learning/mastery/method-config.js';
import { applyOverride } from '../../../src/learning/mastery/override.js';
import { localizeExplanation } from '../../../src/web/i18n/explanations.js';

const ENGLISH = /\b(attempts?|answers?|mastered|approaching|developing|over|started|submitted|scores?|needed|average|highest|latest|knowledge|tracing|set|by|teacher|calculated|matches|you|passed|checks?|classmates?|chose|first|try|tried|yet|watching|reading|practising|building|discussing|or|pathways)\b/i;

function evidence(scores: number[], responses?: boolean[][]): AttemptEvidence[] {
  return scores.map((score, i) => ({ attemptId: `a${i}`, score, submittedAt: new Date(Date.UTC(2026, 0, 1 + i)), responses: responses?.[i] ?? [score >= 0.5] }));
}
const method = (m: object) => masteryMethodSchema.parse(m) as MasteryMethod;

/** Real engine output for every shape explain() and applyOverride() produce. */
function engineExplanations(): string[] {
  const out: string[] = [estimateMastery(method({ method: 'average' }), []).explanation];
  for (const name of ['decaying_average', 'highest', 'latest', 'average'] as const) {
    for (const scores of [[0.9], [0.9, 0.95], [0.7, 0.7], [0.2], [0.1, 0.3, 0.2]]) out.push(estimateMastery(method({ method: name }), evidence(scores)).explanation);
  }
  const nm = method({ method: 'n_mastery', n: 2 });
  for (const scores of [[0.2], [0.9], [0.9, 0.2], [0.9, 0.95], [0.9, 0.95, 0.5]]) out.push(estimateMastery(nm, evidence(scores)).explanation);
  const bkt = method({ method: 'bkt' });
  for (const r of [[[true]], [[true, true]], [[true, true, true]], [[false, false]], [[true, true, true, true, true, true, true, true, true, true, true, true]], [[true, false, true]]]) {
    out.push(estimateMastery(bkt, evidence(r.map(() => 1), r)).explanation);
  }
  const calc = estimateMastery(nm, evidence([0.9, 0.2]));
  out.push(applyOverride(calc, { level: 'mastered', reason: 'demostró la destreza en clase', createdBy: 'u1', createdByName: 'Ana Ruiz', createdAt: new Date('2026-02-03T10:00:00Z') }).explanation);
  out.push(applyOverride(estimateMastery(bkt, []), { level: 'not_started', reason: 'repetir la unidad', createdBy: null, createdAt: new Date('2026-02-04T10:00:00Z') }).explanation);
  return out;
}


describe('localizeExplanation', () => {
  const texts = engineExplanations();

  it('covers every explanation shape and translates it into Spanish', () => {
    expect(texts.some((t) => t.includes('over 1 attempt') && !t.includes('attempts'))).toBe(true);
    expect(texts.some((t) => t.includes('over 1 answer') && !t.includes('answers'))).toBe(true);
    expect(texts.some((t) => t.includes('needed (n mastery)'))).toBe(true);
    expect(texts.some((t) => t.includes('(approaching from'))).toBe(true);
    expect(texts.some((t) => t.includes('by a teacher'))).toBe(true);
    for (const text of texts) {
      const es = localizeExplanation('es', text);
      expect(es, text).not.toMatch(ENGLISH);
      expect(es).not.toBe(text);
    }
  });

  it('keeps English byte-identical', () => {
    for (const text of texts) expect(localizeExplanation('en', text)).toBe(text);
  });

  it('passes unknown text through unchanged', () => {
    for (const text of ['', 'something else entirely', 'mastered: magic 0.90 ≥ 0.80 over 3 attempts', 'mastered: average 0.90 ≥ 0.80 over 3 attempts and more']) {
      expect(localizeExplanation('es', text)).toBe(text);
    }
  });
});
