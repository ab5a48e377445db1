import type { Request, RequestHandler } from 'express';
import { learnsInCourse } from '../../../lti/course-role.js';
import { unitIdFromCustom } from '../../../lti/deep-linking/content-items.js';
import { forbidden, notFound } from '../../../shared/errors.js';
import type { AppContext } from '../../context.js';

/** Whose work a student page shows: always the session's own user, course and placed unit. */
export interface StudentScope {
  userId: string;
  courseId: string;
  placementId: string;
  unitId: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    student?: StudentScope;
  }
}

/**
 * Put after requireSession. Learners of the course only (a teacher's own tries would count as class data),
 * from a course launch of a placement that points at a unit. Nothing in a URL or a form can
 * widen this scope: routes read ids only within it.
 */
export function learnerScope(ctx: AppContext): RequestHandler {
  return async (req, _res, next) => {
    try {
      const s = req.launchSession!;
      if (!learnsInCourse(s.roles)) throw forbidden('learners_only', 'These pages are for students.', 'Open Pathwise from the course as a student.');
      if (!s.courseId || !s.placementId) {
        throw forbidden('no_placement', 'This launch did not come from a unit in a course.', 'Open a Pathwise unit from your course in the LMS.');
      }
      // The same resolution as the landing page, so a student who opens these pages first still finds the unit.
      const outcome = await ctx.placements.resolve({
        placementId: s.placementId,
        courseId: s.courseId,
        platformId: s.platformId,
        userId: s.userId,
        teacher: false,
        customUnitId: unitIdFromCustom(s.launch.custom),
      });
      const unitId = outcome.status === 'placed' ? outcome.unitId : null;
      if (!unitId) throw notFound('unit_not_placed', 'Your teacher has not chosen a unit for this link yet.', 'Try again later, or tell your teacher.');
      req.student = { userId: s.userId, courseId: s.courseId, placementId: s.placementId, unitId };
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** The scope set by learnerScope. */
export const scopeOf = (req: Request): StudentScope => req.student!;
