import type { GradeSink, GradeTarget, LearningPorts, StoredUnit } from '../learning/ports.js';
import { AttemptRepository } from './attempt-repository.js';
import type { Queryable } from './database.js';
import { enqueueScore } from './grade-outbox.js';
import { MasteryRepository } from './mastery-repository.js';
import { PathwayChoiceRepository } from './pathway-choice-repository.js';
import { ProfileRepository } from './profile-repository.js';
import { UnitRepository } from './unit-repository.js';

/**
 * Grade targets are the placements of the unit in courses where the student is enrolled. A
 * placement may carry its line item maximum in custom.score_maximum; otherwise the unit's is used.
 */
export function gradeSink(db: Queryable): GradeSink {
  return {
    async targets(userId: string, unitId: string): Promise<GradeTarget[]> {
      const { rows } = await db.query<GradeTarget>(
        `select p.id as "placementId",
           case when p.custom->>'score_maximum' ~ '^[0-9]+(\\.[0-9]+)?$' then (p.custom->>'score_maximum')::float8 end
             as "scoreMaximum"
         from placements p join enrollments e on e.course_id = p.course_id
         where p.unit_id = $1 and e.user_id = $2 order by p.created_at, p.id`,
        [unitId, userId],
      );
      return rows;
    },
    async enqueue(s) {
      await enqueueScore(db, { ...s, gradingProgress: 'FullyGraded' });
    },
  };
}

/** A cache of parsed unit documents by version; one per service, never module-level. */
export type UnitCache = Map<string, { version: number; unit: StoredUnit }>;

/** Every port of the learning use cases over one connection or transaction. */
export function learningPorts(db: Queryable, unitCache?: UnitCache): LearningPorts {
  const units = new UnitRepository(db);
  return {
    units: unitCache ? { findById: (id) => units.findByIdCached(id, unitCache) } : units,
    attempts: new AttemptRepository(db),
    mastery: new MasteryRepository(db),
    grades: gradeSink(db),
    choices: new PathwayChoiceRepository(db),
    profiles: new ProfileRepository(db),
  };
}
