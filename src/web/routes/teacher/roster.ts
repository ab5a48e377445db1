import { Router, type Request } from 'express';
import { teachesCourse } from '../../../lti/course-role.js';
import { membershipsUrlFromClaim } from '../../../lti/nrps/roster-sync.js';
import { forbidden, invalid } from '../../../shared/errors.js';
import type { SessionRecord } from '../../../store/session-repository.js';
import type { AppContext } from '../../context.js';
import { csrfProtection } from '../../middleware/csrf.js';
import { requireSession } from '../../middleware/session.js';

/** The launch session of a teacher in a course, or a forbidden/invalid error. */
function teacherInCourse(req: Request): SessionRecord & { courseId: string } {
  const s = req.launchSession!;
  if (!teachesCourse(s.roles)) throw forbidden('teacher_only', 'Only teachers of this course can do this.', 'Open Pathwise from the course as its teacher.');
  if (!s.courseId) throw invalid('no_course', 'This launch did not come from a course.', 'Open Pathwise from a course in the LMS.');
  return s as SessionRecord & { courseId: string };
}

const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

/**
 * Where a form post returns: the form's `next` when it is one of our teacher pages (no open
 * redirect), else the course home the refresh button sits on — not the launch page.
 */
function backTo(req: Request): string {
  const next = (req.body as Record<string, unknown> | undefined)?.next;
  return typeof next === 'string' && /^\/(teacher(\/[\w-]+)*|lti\/home)$/.test(next) ? next : '/teacher';
}

/** The class roster (NRPS) for teachers: read it, and refresh it from the LMS on demand. */
export function rosterRoutes(ctx: AppContext): Router {
  const router = Router();
  const session = requireSession(ctx);

  router.get('/teacher/roster', session, async (req, res) => {
    const s = teacherInCourse(req);
    const [course, members] = await Promise.all([ctx.roster.findCourse(s.courseId), ctx.roster.listRoster(s.courseId)]);
    res.json({ syncedAt: course?.rosterSyncedAt ?? null, members });
  });

  // The form (or a script's JSON body) carries `_csrf`: the cookie alone could ride on a cross-site post.
  router.post('/teacher/roster/refresh', session, csrfProtection(), async (req, res) => {
    const s = teacherInCourse(req);
    const url = membershipsUrlFromClaim(s.launch.nrpsService);
    if (url) await ctx.roster.rememberService(s.courseId, url);
    const result = await ctx.rosterSync.sync(s.courseId);
    if (wantsJson(req)) res.json({ roster: result });
    else res.redirect(303, `${backTo(req)}?${String(res.locals.sessionQuery)}`);
  });
  return router;
}
