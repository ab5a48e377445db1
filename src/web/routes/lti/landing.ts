import { Router } from 'express';
import { isTeacher, MESSAGE_TYPE, ROLE } from '../../../lti/claims.js';
import type { AppContext } from '../../context.js';
import { requireSession } from '../../middleware/session.js';
import { placementGate } from './placement.js';

/** The role to show a teacher: the most specific one they hold. */
function roleKey(roles: string[]): string {
  if (roles.some((r) => r.startsWith(`${ROLE.instructor}#`))) return 'lti.role.teachingAssistant';
  if (roles.some((r) => r === ROLE.instructor || r === 'Instructor' || r === ROLE.institutionInstructor || r === ROLE.institutionFaculty)) return 'lti.role.instructor';
  if (roles.some((r) => r === ROLE.contentDeveloper || r === 'ContentDeveloper')) return 'lti.role.contentDeveloper';
  return 'lti.role.administrator';
}

/** Where a launch lands: the teacher's course page, the learner's home, or the deep linking form. */
export function landingRoutes(ctx: AppContext): Router {
  const router = Router();
  const session = requireSession(ctx);

  router.get('/lti/home', session, async (req, res) => {
    const s = req.launchSession!;
    if (s.messageType === MESSAGE_TYPE.deepLinkingRequest) {
      res.redirect(303, `/lti/deep-linking?${String(res.locals.sessionQuery)}`);
      return;
    }
    const info = await ctx.launch.contexts.describe(s);
    const teacher = isTeacher(s.roles);
    const view = {
      title: info.course?.title ?? 'Pathwise',
      course: info.course,
      placement: info.placement,
      user: info.user,
      roleKey: teacher ? roleKey(s.roles) : 'lti.role.learner',
    };
    // The link's unit (deep linking custom parameter or the placement seen before); an unplaced
    // link shows the teacher the unit picker and a student a "not ready yet" page instead.
    const unit = await placementGate(ctx, req, res, view);
    if (unit === 'handled') return;
    res.render(teacher ? 'pages/lti-teacher' : 'pages/lti-learner', { ...view, unit });
  });

  return router;
}
