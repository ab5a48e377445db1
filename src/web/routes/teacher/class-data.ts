import { z } from 'zod';
import { learnsInCourse } from '../../../lti/course-role.js';
import type { StoredUnit } from '../../../learning/ports.js';
import { notFound } from '../../../shared/errors.js';
import { MasteryRepository } from '../../../store/mastery-repository.js';
import { UnitRepository } from '../../../store/unit-repository.js';
import type { AppContext } from '../../context.js';
import type { ClassData } from '../../view-models/teacher-dashboard.js';
import type { TeacherQueries } from './queries.js';
import type { TeacherScope } from './scope.js';

const unitParam = z.uuid();

/**
 * The unit a class page shows: the one named in `?unit=` when the course works with it (else
 * 404), otherwise the unit of the link the teacher launched from, otherwise the course's first.
 */
export async function chooseUnit(ctx: AppContext, queries: TeacherQueries, scope: TeacherScope, wanted: unknown) {
  const units = await queries.courseUnits(scope.courseId);
  let id: string | undefined;
  if (wanted !== undefined && wanted !== '') {
    const parsed = unitParam.safeParse(wanted);
    id = parsed.success ? units.find((u) => u.id === parsed.data)?.id : undefined;
    if (!id)
      throw notFound('unit_not_found', 'This unit is not part of your course.', 'Go back to the course home and pick one of its units.', {
        variant: 'course',
      });
  } else {
    const here = scope.placementId ? await ctx.placements.repository.placementUnitId(scope.placementId) : null;
    id = units.find((u) => u.id === here)?.id ?? units[0]?.id;
  }
  const unit: StoredUnit | null = id ? await new UnitRepository(ctx.db).findById(id) : null;
  return { units, unit };
}

/** Everything the dashboard reads for one unit, limited to the course's active learners. */
export async function loadClass(ctx: AppContext, queries: TeacherQueries, scope: TeacherScope, unit: StoredUnit, idleDays: number): Promise<ClassData> {
  const [roster, mastery, help, lastActivity] = await Promise.all([
    ctx.roster.listRoster(scope.courseId),
    new MasteryRepository(ctx.db, scope.courseId).forUnit(unit.id),
    queries.openHelpRequests(unit.id, scope.courseId),
    queries.lastActivity(unit.id, scope.courseId),
  ]);
  const learners = roster.filter((m) => learnsInCourse(m.roles) && m.status === 'Active');
  const ids = new Set(learners.map((l) => l.userId));
  // The checks aggregated in the database: the class's attempts are never read one by one.
  const checks = await queries.classChecks(unit.id, scope.courseId, [...ids]);
  // A library unit is placed in many courses: keep this course's students only.
  return {
    unit: unit.document,
    learners,
    mastery: mastery.filter((m) => ids.has(m.userId)),
    checks,
    help: help.filter((h) => ids.has(h.userId)),
    lastActivity,
    now: new Date(),
    idleDays,
  };
}
