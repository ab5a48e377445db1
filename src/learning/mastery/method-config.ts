import { z } from 'zod';

const mastery = z.number().gt(0).max(1);
const approaching = z.number().min(0).lt(1);
const thresholds = { masteryThreshold: mastery.default(0.8), approachingThreshold: approaching.default(0.6) };

/** Bayesian Knowledge Tracing parameters (Corbett & Anderson 1995). */
export const bktParamsSchema = z.object({
  pInit: z.number().min(0).max(1).default(0.2),
  pLearn: z.number().min(0).max(1).default(0.15),
  pSlip: z.number().min(0).max(0.5).default(0.1),
  pGuess: z.number().min(0).max(0.5).default(0.2),
  pForget: z.number().min(0).max(1).default(0),
});
export type BktParams = z.output<typeof bktParamsSchema>;
export const DEFAULT_BKT: BktParams = { pInit: 0.2, pLearn: 0.15, pSlip: 0.1, pGuess: 0.2, pForget: 0 };

/** The calculation method a teacher picks per unit (Canvas's outcome methods, performance factors, BKT). */
export const masteryMethodSchema = z
  .discriminatedUnion('method', [
    z.object({
      method: z.literal('decaying_average'),
      /** Weight of the newest score, 0.50–0.99 as in Canvas (default 0.65). */
      weight: z.number().min(0.5).max(0.99).default(0.65),
      ...thresholds,
    }),
    z.object({ method: z.literal('highest'), ...thresholds }),
    z.object({ method: z.literal('latest'), ...thresholds }),
    z.object({ method: z.literal('average'), ...thresholds }),
    z.object({ method: z.literal('n_mastery'), n: z.int().min(1).max(10).default(2), ...thresholds }),
    z.object({
      /** Performance factors with recency: P(the next answer is right), see pfa.ts. */
      method: z.literal('pfa'),
      masteryThreshold: mastery.default(0.85),
      approachingThreshold: approaching.default(0.65),
    }),
    z.object({
      method: z.literal('bkt'),
      params: bktParamsSchema.default(DEFAULT_BKT),
      masteryThreshold: mastery.default(0.95),
      approachingThreshold: approaching.default(0.7),
    }),
  ])
  .refine((m) => m.approachingThreshold < m.masteryThreshold, {
    message: 'approachingThreshold must be below masteryThreshold',
    path: ['approachingThreshold'],
  });

export type MasteryMethod = z.output<typeof masteryMethodSchema>;
export type MethodName = MasteryMethod['method'];

/** A unit that names no method gets Canvas's default. */
export const DEFAULT_METHOD: MasteryMethod = {
  method: 'decaying_average',
  weight: 0.65,
  masteryThreshold: 0.8,
  approachingThreshold: 0.6,
};
