import { describe, expect, it } from 'vitest';
import type { AttemptEvidence } from '../../../src/learning/mastery/evidence.js';
import { estimateMastery, type MasteryEstimate } from '../../../src/learning/mastery/estimate.js';
import type { MasteryExplanation } from '../../../src/learning/mastery/explanation.js';
import type { MasteryLevel } from '../../../src/learning/mastery/level.js';
import { masteryMethodSchema, type MasteryMethod } from '../../../src/learning/mastery/method-config.js';
import { applyOverride } from '../../../src/learning/mastery/override.js';
import { localizeExplanation } from '../../../src/web/i18n/explanations.js';

const ENGLISH =
  /\b(attempts?|answers?|mastered|approaching|developing|over|started|submitted|scores?|needed|average|highest|latest|knowledge|tracing|set|by|teacher|calculated|right|wrong|across|unit|here|yet)\b/i;

function evidence(scores: number[], responses?: boolean[][]): AttemptEvidence[] {
  return scores.map((score, i) => ({
    attemptId: `a${i}`,
    score,
    submittedAt: new Date(Date.UTC(2026, 0, 1 + i)),
    responses: responses?.[i] ?? [score >= 0.5],
  }));
}
const method = (m: object) => masteryMethodSchema.parse(m) as MasteryMethod;

/** Real engine output for every kind of explanation, with the estimate it explains. */
function engineEstimates(): (MasteryEstimate & { calculatedLevel?: MasteryLevel; overridden?: boolean })[] {
  const out: (MasteryEstimate & { calculatedLevel?: MasteryLevel; overridden?: boolean })[] = [estimateMastery(method({ method: 'average' }), [])];
  for (const name of ['decaying_average', 'highest', 'latest', 'average'] as const) {
    for (const scores of [[0.9], [0.9, 0.95], [0.7, 0.7], [0.2], [0.1, 0.3, 0.2]]) out.push(estimateMastery(method({ method: name }), evidence(scores)));
  }
  const nm = method({ method: 'n_mastery', n: 2 });
  for (const scores of [[0.2], [0.9], [0.9, 0.2], [0.9, 0.95], [0.9, 0.95, 0.5]]) out.push(estimateMastery(nm, evidence(scores)));
  const bkt = method({ method: 'bkt' });
  for (const r of [[[true]], [[true, true]], [[true, true, true]], [[false, false]], [Array<boolean>(12).fill(true)], [[true, false, true]]]) {
    out.push(
      estimateMastery(
        bkt,
        evidence(
          r.map(() => 1),
          r,
        ),
      ),
    );
  }
  const pfa = method({ method: 'pfa' });
  for (const r of [
    [[true, true, true]],
    [
      [false, true],
      [true, true, true],
    ],
    [[false, false, false]],
  ]) {
    out.push(
      estimateMastery(
        pfa,
        evidence(
          r.map(() => 1),
          r,
        ),
        undefined,
        { competencyId: 'a', others: new Map([['b', evidence([1], [[true, false]])]]) },
      ),
    );
  }
  const calc = estimateMastery(nm, evidence([0.9, 0.2]));
  out.push(
    applyOverride(calc, {
      level: 'mastered',
      reason: 'demostró la destreza en clase',
      createdBy: 'u1',
      createdByName: 'Ana Ruiz',
      createdAt: new Date('2026-02-03T10:00:00Z'),
    }),
  );
  out.push(
    applyOverride(estimateMastery(bkt, []), {
      level: 'not_started',
      reason: 'repetir la unidad',
      createdBy: null,
      createdAt: new Date('2026-02-04T10:00:00Z'),
    }),
  );
  return out;
}

const calculated = (e: MasteryExplanation): MasteryExplanation => (e.kind === 'override' ? calculated(e.calculated) : e);
const two = (x: number, locale: string) => new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);

describe('mastery explanations: structured by the engine, put into words by the catalog', () => {
  const estimates = engineEstimates();

  it('carry the very numbers of the estimate: value, level, thresholds, evidence count', () => {
    for (const e of estimates) {
      const x = calculated(e.explanation);
      if (e.evidenceCount === 0) {
        expect(x.kind).toBe('not_started');
        continue;
      }
      expect(x.kind === 'value' || x.kind === 'n_mastery').toBe(true);
      if (x.kind === 'value') {
        expect(x.value).toBe(e.estimate);
        expect(x.count).toBe(e.evidenceCount);
        expect(x.level).toBe(e.calculatedLevel ?? e.level);
        if (e.answers) expect(x.answers).toEqual(e.answers);
        expect(x.streak).toEqual(e.streak);
      }
      if (x.kind === 'n_mastery') expect(x.qualifying).toBe(e.qualifying);
    }
  });

  it('show those numbers in English and in Spanish, the locale’s way (0.86 / 0,86)', () => {
    for (const e of estimates) {
      const x = calculated(e.explanation);
      for (const locale of ['en', 'es']) {
        const text = localizeExplanation(locale, e.explanation);
        if (x.kind === 'value') {
          expect(text).toContain(two(x.value, locale));
          expect(text).toContain(two(x.level === 'developing' ? x.approachingThreshold : x.masteryThreshold, locale));
          expect(text).toContain(` ${x.count} `);
          if (x.answers) expect(text).toContain(`${x.answers.unitRight} `);
          if (x.streak) expect(text).toContain(` ${x.streak.count} `);
          if (x.streak)
            expect(text).toContain(
              new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'always' }).format(x.streak.shift),
            );
        }
        if (x.kind === 'n_mastery') expect(text).toContain(`${x.qualifying} `);
      }
    }
  });

  it('read in English as before, and in Spanish without an English word', () => {
    const texts = estimates.map((e) => localizeExplanation('en', e.explanation));
    expect(texts).toContain('mastered: decaying average 0.90 ≥ 0.80 over 1 attempt');
    expect(texts).toContain('developing: latest score 0.20 < 0.60 over 3 attempts');
    expect(texts.some((t) => /^approaching: .* < 0\.80 \(approaching from 0\.60\) over 2 attempts$/.test(t))).toBe(true);
    expect(texts.some((t) => t.includes('1 of 2 scores at or above 0.80 needed (n mastery) over 1 attempt'))).toBe(true);
    expect(texts.some((t) => t.includes('mastered: set by Ana Ruiz on Feb 3, 2026 (“demostró la destreza en clase”); calculated approaching: 1 of 2'))).toBe(
      true,
    );
    expect(texts.some((t) => t.includes('set by a teacher'))).toBe(true);
    expect(
      texts.some((t) =>
        /chance of a right next answer 0\.\d\d .* over 5 answers: 4 right and 1 wrong here, 5 of 7 right across the unit; the last 4 right in a row: -0\.\d\d$/.test(
          t,
        ),
      ),
    ).toBe(true);
    // The override's day as each locale writes it, not an ISO date.
    expect(estimates.map((e) => localizeExplanation('es', e.explanation)).some((t) => t.includes('por Ana Ruiz el 3 feb 2026'))).toBe(true);
    for (const e of estimates) expect(localizeExplanation('es', e.explanation), localizeExplanation('en', e.explanation)).not.toMatch(ENGLISH);
  });

  it('rows saved before explanations were structured show their words as they are', () => {
    expect(localizeExplanation('es', 'mastered: average 0.90 ≥ 0.80 over 3 attempts')).toBe('mastered: average 0.90 ≥ 0.80 over 3 attempts');
    expect(localizeExplanation('es', null)).toBe('sin empezar: todavía no se ha entregado ninguna comprobación de dominio');
  });
});
