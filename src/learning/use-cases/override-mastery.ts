import { conflict, invalid } from '../../shared/errors.js';
import type { MasteryLevel } from '../mastery/level.js';
import type { EffectiveMastery } from '../mastery/override.js';
import type { LearningPorts } from '../ports.js';
import { loadCompetency } from './load-unit.js';
import { refreshMastery } from './refresh-mastery.js';

export interface OverrideInput {
  teacherId: string;
  teacherName?: string | null;
  userId: string;
  unitId: string;
  competencyId: string;
  level: MasteryLevel;
  reason: string;
  now: Date;
}

/**
 * A teacher sets a student's level with a reason. The override wins over the calculation until
 * withdrawn; it is audited (who, when, level before and after) and the unit score follows.
 * Call inside one transaction (a new override replaces an active one: that one is withdrawn).
 */
export async function overrideMastery(ports: LearningPorts, input: OverrideInput): Promise<EffectiveMastery> {
  const reason = input.reason.trim();
  if (reason.length < 3) throw invalid('override_reason_required', 'Give a reason for the override.', 'Students and other teachers see it in the history.');
  const { unit, competency } = await loadCompetency(ports, input.unitId, input.competencyId);
  const before = (await ports.mastery.current(input.userId, unit.id, competency.id))?.level ?? 'not_started';
  const active = await ports.mastery.activeOverride(input.userId, unit.id, competency.id);
  if (active) await ports.mastery.withdrawOverride(active.id, input.teacherId, input.now, input.level);
  await ports.mastery.addOverride({
    userId: input.userId,
    unitId: unit.id,
    competencyId: competency.id,
    level: input.level,
    reason,
    createdBy: input.teacherId,
    createdByName: input.teacherName ?? null,
    createdAt: input.now,
    levelBefore: before,
    levelAfter: input.level,
  });
  const r = await refreshMastery(ports, {
    userId: input.userId,
    unit,
    competencyId: competency.id,
    cause: 'override',
    attemptId: null,
    actorId: input.teacherId,
    now: input.now,
  });
  return r.mastery;
}

/** Withdraws the active override: the calculated level applies again (audited as well). */
export async function withdrawOverride(
  ports: LearningPorts,
  input: { teacherId: string; userId: string; unitId: string; competencyId: string; now: Date },
): Promise<EffectiveMastery> {
  const { unit, competency } = await loadCompetency(ports, input.unitId, input.competencyId);
  const active = await ports.mastery.activeOverride(input.userId, unit.id, competency.id);
  if (!active) throw conflict('no_active_override', 'There is no override to withdraw.');
  const current = await ports.mastery.current(input.userId, unit.id, competency.id);
  const calculated = current?.calculatedLevel ?? 'not_started';
  await ports.mastery.withdrawOverride(active.id, input.teacherId, input.now, calculated);
  const r = await refreshMastery(ports, {
    userId: input.userId,
    unit,
    competencyId: competency.id,
    cause: 'override_withdrawn',
    attemptId: null,
    actorId: input.teacherId,
    now: input.now,
  });
  return r.mastery;
}
