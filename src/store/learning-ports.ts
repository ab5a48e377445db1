import type { GradeSink, GradeTarget, LearningPorts, StoredUnit } from '../learning/ports.js';
import { AttemptRepository } from './attempt-repository.js';
import type { Queryable } from './database.js';
import { enqueueScore } from './grade-outbox.js';
import { MasteryRepository } from './mastery-repository.js';
import { PathwayChoiceRepository } from './pathway-choice-repository.js';
import { ProfileRepository } from './profile-repository.js';
import { UnitRepository } from './unit-repository.js';

/**
 * Grade targets are the placements of the unit in this course (never another course that places
 * the same library unit), when the student is enrolled in it. A placement may carry its line item
 * maximum in custom.score_maximum; otherwise the unit's is used.
 */
export function gradeSink(db: Queryable, courseId: string | null): GradeSink {
  return {
    async targets(userId: string, unitId: string): Promise<GradeTarget[]> {
      if (!courseId) return [];
      const { rows } = await db.query<GradeTarget>(
        `select p.id as "placementId",
           case when p.custom->>'score_maximum' ~ '^[0-9]+(\\.[0-9]+)?$' then (p.custom->>'score_maximum')::float8 end
             as "scoreMaximum"
         from placements p join enrollments e on e.course_id = p.course_id
         where p.unit_id = $1 and e.user_id = $2 and p.course_id = $3 order by p.created_at, p.id`,
        [unitId, userId, courseId],
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

/**
 * Every port of the learning use cases over one connection or transaction, for the work of one
 * course (`courseId`): the use cases read and write that course's attempts, mastery and grades only.
 */
export function learningPorts(db: Queryable, courseId: string | null, unitCache?: UnitCache): LearningPorts {
  const units = new UnitRepository(db);
  return {
    units: unitCache ? { findById: (id) => units.findByIdCached(id, unitCache) } : units,
    attempts: new AttemptRepository(db, courseId),
    mastery: new MasteryRepository(db, courseId),
    grades: gradeSink(db, courseId),
    choices: new PathwayChoiceRepository(db, courseId),
    profiles: new ProfileRepository(db),
  };
}
