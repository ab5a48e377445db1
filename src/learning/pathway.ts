import type { Modality, Pathway, UnitDocument, Competency } from './unit-schema.js';

/** Finds a competency of a unit by its id. */
export function findCompetency(unit: UnitDocument, competencyId: string): Competency | undefined {
  return unit.competencies.find((c) => c.id === competencyId);
}

/** Finds a pathway of a competency by its id. */
export function findPathway(competency: Competency, pathwayId: string): Pathway | undefined {
  return competency.pathways.find((p) => p.id === pathwayId);
}

/** The modalities of a pathway, for recommendations and the student's history. */
export function modalitiesOf(pathway: Pathway): Modality[] {
  return [...pathway.modalities];
}

/** Pathway list without item keys of practice sets (students see feedback only after answering). */
export function pathwaySummary(pathway: Pathway): {
  id: string;
  title: string;
  modalities: Modality[];
  level: Pathway['level'];
  estimatedMinutes: number;
  resourceCount: number;
} {
  return {
    id: pathway.id,
    title: pathway.title,
    modalities: modalitiesOf(pathway),
    level: pathway.level,
    estimatedMinutes: pathway.estimatedMinutes,
    resourceCount: pathway.resources.length,
  };
}
