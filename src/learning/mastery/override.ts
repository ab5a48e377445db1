import type { MasteryEstimate } from './estimate.js';
import { levelWords, type MasteryLevel } from './level.js';

/** A teacher's override of a student's level on one competency. */
export interface MasteryOverride {
  level: MasteryLevel;
  reason: string;
  createdBy: string | null;
  createdByName?: string | null;
  createdAt: Date;
}

/** The level everybody sees: the override while one is active, else the calculation. */
export interface EffectiveMastery extends MasteryEstimate {
  calculatedLevel: MasteryLevel;
  overridden: boolean;
}

/** An active override wins over the calculation until it is withdrawn; the calculation stays visible. */
export function applyOverride(calculated: MasteryEstimate, override: MasteryOverride | null): EffectiveMastery {
  if (!override) return { ...calculated, calculatedLevel: calculated.level, overridden: false };
  return {
    ...calculated,
    level: override.level,
    calculatedLevel: calculated.level,
    overridden: true,
    explanation: {
      kind: 'override',
      level: override.level,
      by: override.createdByName ?? null,
      date: override.createdAt.toISOString().slice(0, 10),
      reason: override.reason,
      calculated: calculated.explanation,
    },
  };
}

/** Plain summary for the audit trail: "developing → mastered". */
export function describeChange(before: MasteryLevel, after: MasteryLevel): string {
  return `${levelWords(before)} → ${levelWords(after)}`;
}
