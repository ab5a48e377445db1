import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { teachesCourse } from '../../../lti/course-role.js';
import { AppError, forbidden, notFound } from '../../../shared/errors.js';
import type { StoredUnit } from '../../../learning/ports.js';
import type { Competency } from '../../../learning/unit-schema.js';
import { UnitRepository } from '../../../store/unit-repository.js';
import type { AppContext } from '../../context.js';
import { csrfProtection } from '../../middleware/csrf.js';
import { requireSession } from '../../middleware/session.js';

/** Whose course a teacher page shows: always the launch session's own course, never one named in a URL. */
export interface TeacherScope {
  userId: string;
  courseId: string;
  placementId: string | null;
}

declare module 'express-serve-static-core' {
  interface Request {
    teacher?: TeacherScope;
  }
}

/** Put after requireSession: teachers (instructors, TAs, designers, admins) of a course launch only. */
export function teacherScope(): RequestHandler {
  return (req, _res, next) => {
    const s = req.launchSession!;
    if (!teachesCourse(s.roles)) {
      next(forbidden('teacher_only', 'Only teachers of this course can do this.', 'Open Pathwise from the course as its teacher.'));
      return;
    }
    if (!s.courseId) {
      next(forbidden('no_course', 'This launch did not come from a course.', 'Open Pathwise from a course in the LMS.'));
      return;
    }
    req.teacher = { userId: s.userId, courseId: s.courseId, placementId: s.placementId };
    next();
  };
}

/** The guard of every teacher route: session, teacher in a course, CSRF on unsafe methods. */
export function teacherGuard(ctx: AppContext): RequestHandler[] {
  return [requireSession(ctx), teacherScope(), csrfProtection()];
}

export const scopeOf = (req: Request): TeacherScope => req.teacher!;

const uuid = z.uuid();

const unitNotFound = () =>
  notFound('unit_not_found', 'This unit is not part of your course.', 'Go back to the course home and pick one of its units.', {
    variant: 'course',
  });

/**
 * A unit the course may see: its own units and the shared library (course_id null). A unit of
 * another course is "not found", so ids cannot be probed.
 */
export async function visibleUnit(ctx: AppContext, scope: TeacherScope, unitId: unknown): Promise<StoredUnit> {
  const id = uuid.safeParse(unitId);
  const unit = id.success ? await ctx.placements.repository.findUnitRef(id.data) : null;
  if (!unit || (unit.courseId !== null && unit.courseId !== scope.courseId)) throw unitNotFound();
  const stored = await new UnitRepository(ctx.db).findById(unit.id);
  if (!stored) throw unitNotFound();
  return stored;
}

/** A unit this course owns (only those may be edited: a library unit is shared with every course). */
export async function editableUnit(ctx: AppContext, scope: TeacherScope, unitId: unknown): Promise<StoredUnit> {
  const unit = await visibleUnit(ctx, scope, unitId);
  if (unit.courseId !== scope.courseId) {
    throw new AppError('unit_read_only', 'This unit is shared by every course, so it cannot be edited here.', {
      kind: 'forbidden',
      help: 'Copy it into your course first, then edit the copy.',
    });
  }
  return unit;
}

/** A competency of the unit; an id from elsewhere is not found. */
export function competencyIn(unit: StoredUnit, competencyId: unknown): { competency: Competency; index: number } {
  const index = unit.document.competencies.findIndex((c) => c.id === competencyId);
  if (index < 0) throw notFound('competency_not_found', 'This competency is not part of the unit.', 'Go back to the unit.');
  return { competency: unit.document.competencies[index]!, index };
}

/** A redirect target with the session token and optional extra query. */
export function teacherUrl(res: Response, path: string, query: Record<string, string> = {}, hash = ''): string {
  const extra = new URLSearchParams(query).toString();
  return `${path}?${String(res.locals.sessionQuery)}${extra ? `&${extra}` : ''}${hash}`;
}
