import { notFound } from '../../shared/errors.js';
import { findCompetency } from '../pathway.js';
import type { LearningPorts, StoredUnit } from '../ports.js';
import type { Competency } from '../unit-schema.js';

/** Loads a unit and one of its competencies, or fails with `unit_not_found` / `competency_not_found`. */
export async function loadCompetency(
  ports: Pick<LearningPorts, 'units'>,
  unitId: string,
  competencyId: string,
): Promise<{ unit: StoredUnit; competency: Competency }> {
  const unit = await ports.units.findById(unitId);
  if (!unit) throw notFound('unit_not_found', 'This unit does not exist.', 'Ask your teacher to check the placement.');
  const competency = findCompetency(unit.document, competencyId);
  if (!competency) throw notFound('competency_not_found', 'This competency is not part of the unit.');
  return { unit, competency };
}
