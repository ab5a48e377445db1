import { Router } from 'express';
import { MESSAGE_TYPE } from '../../../lti/claims.js';
import { courseRole, type CourseRole } from '../../../lti/course-role.js';
import { forbidden } from '../../../shared/errors.js';
import { StudentWorkRepository } from '../../../store/student-work-repository.js';
import type { AppContext } from '../../context.js';
import { requireSession } from '../../middleware/session.js';
import { seeOther } from '../../see-other.js';
import { placementGate } from './placement.js';
import { openAdminConsole } from './admin-launch.js';

/**
 * Someone with no teaching or learning role in this course: an LMS administrator (who reaches the
 * admin console, never the course's teacher pages) or anyone else, e.g. an observer.
 */
function noCourseRole(role: CourseRole) {
  return role.platformAdmin
    ? forbidden(
        'platform_admin_not_teacher',
        'You administer this LMS, but you are not a teacher of this course.',
        'Pathwise opens a course to its teachers and students only. Ask to be added to the course as a teacher, or manage Pathwise from its admin pages.',
      )
    : forbidden(
        'no_course_role',
        'Pathwise has nothing to show for your role in this course.',
        'Pathwise opens a course to its teachers and students. If you teach or take this course, ask for that role in the LMS.',
      );
}

/** Where a launch lands: the teacher's course page, the learner's home, or the deep linking form. */
export function landingRoutes(ctx: AppContext): Router {
  const router = Router();
  const session = requireSession(ctx);

  router.get('/lti/home', session, async (req, res) => {
    const s = req.launchSession!;
    if (s.messageType === MESSAGE_TYPE.deepLinkingRequest) {
      seeOther(res, `/lti/deep-linking?${String(res.locals.sessionQuery)}`);
      return;
    }
    const info = await ctx.launch.contexts.describe(s);
    const role = courseRole(s.roles);
    if (role.role === 'none' && role.platformAdmin) {
      await openAdminConsole(ctx, res, s);
      return;
    }
    if (role.role === 'none') throw noCourseRole(role);
    const teacher = role.role === 'teacher';
    const view = {
      title: info.course?.title ?? 'Pathwise',
      course: info.course,
      placement: info.placement,
      user: info.user,
      roleKey: `lti.role.${role.title ?? 'learner'}`,
    };
    // The link's unit (deep linking custom parameter or the placement seen before); an unplaced
    // link shows the teacher the unit picker and a student a "not ready yet" page instead.
    const unit = await placementGate(ctx, req, res, view, info.placement?.unit ?? null);
    if (unit === 'handled') return;
    // A student lands on what they came for: the check they left open, else the unit map with its
    // next step. The welcome page stays one click away in the student navigation (?welcome=1).
    if (!teacher && unit && req.query.welcome !== '1') {
      const open = await new StudentWorkRepository(ctx.db).openAttempt(s.userId, unit.id);
      seeOther(res, `${open ? `/student/attempts/${open}` : '/student/map'}?${String(res.locals.sessionQuery)}`);
      return;
    }
    res.render(teacher ? 'pages/lti-teacher' : 'pages/lti-learner', { ...view, unit, nav: { welcome: true } });
  });

  return router;
}
