import type { Competency, Modality } from './unit-schema.js';

/** A past attempt of this student, with the modalities of the pathway they were on. */
export interface ModalityOutcome {
  modalities: readonly Modality[];
  passed: boolean;
}

/** Course figures for one pathway: students whose first attempt followed it, and how many passed. */
export interface PathwayOutcome {
  pathwayId: string;
  chose: number;
  passedFirst: number;
}

export interface RecommendationInput {
  competency: Competency;
  /** The student's stated preferences, most preferred first. */
  preferredModalities: readonly Modality[];
  history: readonly ModalityOutcome[];
  course: readonly PathwayOutcome[];
}

export interface PathwayRecommendation {
  pathwayId: string;
  rank: number;
  score: number;
  /** Plain-language reasons, one per signal used. */
  reasons: string[];
  reason: string;
}

// Stated preference weighs most: the student's own word comes first, then evidence.
const WEIGHTS = { preference: 0.4, personal: 0.3, course: 0.3 };
const VERB: Record<Modality, string> = { watch: 'watching', read: 'reading', practice: 'practising', build: 'building', discuss: 'discussing' };

/** Laplace (Beta(1, 1)) smoothing, so 1 of 1 counts for less than 40 of 50. */
export function smoothedRate(successes: number, trials: number): number {
  return (successes + 1) / (trials + 2);
}

/**
 * Ranks a competency's pathways for one student by (a) stated modality preferences, (b) this
 * student's earlier success on pathways of those modalities, (c) the pathway's first-attempt
 * success rate in the course, smoothed. Uses no demographic data. The student still chooses.
 */
export function recommendPathways(input: RecommendationInput): PathwayRecommendation[] {
  const scored = input.competency.pathways.map((pathway, order) => {
    const reasons: string[] = [];
    const pref = preferenceScore(pathway.modalities, input.preferredModalities);
    if (pref.matched) reasons.push(`It matches what you said you like: ${VERB[pref.matched]}.`);
    const personal = personalScore(pathway.modalities, input.history);
    if (personal.trials > 0) {
      reasons.push(`You passed ${personal.successes} of ${personal.trials} checks after ${pathway.modalities.map((m) => VERB[m]).join(' or ')} pathways.`);
    }
    const c = input.course.find((o) => o.pathwayId === pathway.id) ?? { chose: 0, passedFirst: 0 };
    const course = smoothedRate(c.passedFirst, c.chose);
    reasons.push(
      c.chose > 0
        ? `${c.passedFirst} of ${c.chose} classmates who chose it passed the check on their first try.`
        : 'No classmate has tried it yet.',
    );
    const score = WEIGHTS.preference * pref.score + WEIGHTS.personal * personal.score + WEIGHTS.course * course;
    return { pathwayId: pathway.id, order, score, reasons };
  });
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored.map((s, i) => ({ pathwayId: s.pathwayId, rank: i + 1, score: s.score, reasons: s.reasons, reason: s.reasons.join(' ') }));
}

function preferenceScore(modalities: readonly Modality[], preferred: readonly Modality[]): { score: number; matched: Modality | null } {
  if (preferred.length === 0) return { score: 0.5, matched: null };
  let best = -1;
  for (const m of modalities) {
    const rank = preferred.indexOf(m);
    if (rank >= 0 && (best < 0 || rank < best)) best = rank;
  }
  if (best < 0) return { score: 0, matched: null };
  return { score: 1 - (0.5 * best) / preferred.length, matched: preferred[best]! };
}

function personalScore(modalities: readonly Modality[], history: readonly ModalityOutcome[]): { score: number; successes: number; trials: number } {
  const relevant = history.filter((h) => h.modalities.some((m) => modalities.includes(m)));
  const successes = relevant.filter((h) => h.passed).length;
  return { score: smoothedRate(successes, relevant.length), successes, trials: relevant.length };
}
