import { Router, type Request } from 'express';
import { z } from 'zod';
import { teachesCourse } from '../../../lti/course-role.js';
import { AppError, forbidden } from '../../../shared/errors.js';
import { gradeStatus, retryFailedScores, retryScore, type GradeStatusRow } from '../../../grades/grade-status.js';
import type { AppContext } from '../../context.js';
import { formatDateTime, formatScore } from '../../i18n/format.js';
import { translate } from '../../i18n/index.js';
import { pseudonymName } from '../../view-models/class-list.js';
import { requireSession } from '../../middleware/session.js';

const retryParams = z.object({ id: z.uuid() });

/** The teacher's course from the launch session; learners and course-less launches are refused. */
function teacherCourse(req: Request): string {
  const s = req.launchSession!;
  if (!teachesCourse(s.roles)) throw forbidden('teacher_only', 'Only teachers of this course can do this.', 'Open Pathwise from the course as its teacher.');
  if (!s.courseId) throw forbidden('no_course', 'This launch did not come from a course.', 'Open Pathwise from a course link in the LMS.');
  return s.courseId;
}

/**
 * Why a score has not reached the gradebook, by kind, in the reader's language: what happened and,
 * for a failed one, what to do. The raw error (English, perhaps the LMS's own words) stays beside
 * it as a secondary detail, escaped like every value.
 */
function failureSummary(r: GradeStatusRow, locale: string, retryForHours: number) {
  if (r.state === 'sent' || !r.failureKind) return undefined;
  const failed = r.state === 'failed';
  return {
    summary: translate(locale, `grades.failure.${r.failureKind}`),
    next: failed ? translate(locale, `grades.failure.${r.failureKind}.help`) : translate(locale, 'grades.failure.retrying'),
    gaveUp: failed && r.gaveUp ? translate(locale, 'grades.failure.gaveUp', { hours: retryForHours }) : undefined,
    detail: r.lastError ?? undefined,
  };
}

/**
 * GET /teacher/grades: per student and placement, whether the grade reached the gradebook
 * (sent), is on its way (waiting) or failed (with the reason); POST …/retry sends a failed one again.
 */
export function teacherGradeRoutes(ctx: AppContext): Router {
  const router = Router();
  const session = requireSession(ctx);

  router.get('/teacher/grades', session, async (req, res) => {
    const rows = await gradeStatus(ctx.db, { courseId: teacherCourse(req) });
    const locale = String(res.locals.locale ?? 'en');
    res.render('pages/teacher-grades', {
      title: translate(locale, 'grades.title'),
      nav: { grades: true },
      rows: rows.map((r) => ({
        ...r,
        studentName: r.studentName ?? pseudonymName(r.userId, locale),
        score: formatScore(locale, r.scoreGiven, r.scoreMaximum),
        when: formatDateTime(locale, r.sentAt ?? r.scoreTimestamp),
        stateKey: `grades.state.${r.state}`,
        waitingSince: r.state === 'waiting' && r.pendingSince ? formatDateTime(locale, r.pendingSince) : undefined,
        held: r.state === 'held',
        failed: r.state === 'failed',
        failure: failureSummary(r, locale, ctx.config.grades.retryForHours),
      })),
      counts: {
        sent: rows.filter((r) => r.state === 'sent').length,
        waiting: rows.filter((r) => r.state === 'waiting').length,
        held: rows.filter((r) => r.state === 'held').length,
        failed: rows.filter((r) => r.state === 'failed').length,
      },
    });
  });

  // The session token must come in the form itself (not only the cookie): a cross-site form cannot know it.
  const checkForm = (req: Request, token: unknown) => {
    if ((req.body as Record<string, unknown> | undefined)?.session !== token) {
      throw new AppError('csrf_failed', 'This form has expired.', { kind: 'forbidden', help: 'Reload the page and try again.' });
    }
  };

  router.post('/teacher/grades/retry-failed', session, async (req, res) => {
    const courseId = teacherCourse(req);
    checkForm(req, res.locals.sessionToken);
    const queued = await retryFailedScores(ctx.db, courseId);
    req.log.info({ courseId, queued }, 'teacher sent all failed grades again');
    ctx.outbox.kick();
    res.redirect(303, `/teacher/grades?${String(res.locals.sessionQuery)}`);
  });

  router.post('/teacher/grades/:id/retry', session, async (req, res) => {
    const courseId = teacherCourse(req);
    checkForm(req, res.locals.sessionToken);
    const parsed = retryParams.safeParse(req.params);
    if (!parsed.success) throw new AppError('grade_not_found', 'There is no such grade to send again.', { kind: 'not_found' });
    await retryScore(ctx.db, parsed.data.id, { courseId });
    ctx.outbox.kick();
    res.redirect(303, `/teacher/grades?${String(res.locals.sessionQuery)}`);
  });
  return router;
}
