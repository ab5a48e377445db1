import { Router } from 'express';
import { learnsInCourse } from '../../../lti/course-role.js';
import { gradeStatus } from '../../../grades/grade-status.js';
import { isRosterStale } from '../../../store/roster-repository.js';
import type { AppContext } from '../../context.js';
import { formatWhen, renderTeacher } from './page.js';
import type { TeacherQueries } from './queries.js';
import { scopeOf, teacherGuard } from './scope.js';

/** GET /teacher: the course home — placed units, roster freshness, grade sync health. */
export function homeRoutes(ctx: AppContext, queries: TeacherQueries): Router {
  const router = Router();
  router.get('/teacher', ...teacherGuard(ctx), async (req, res) => {
    const scope = scopeOf(req);
    const [info, placements, course, roster, grades] = await Promise.all([
      ctx.launch.contexts.describe({ courseId: scope.courseId, placementId: null, userId: scope.userId }),
      queries.placements(scope.courseId),
      ctx.roster.findCourse(scope.courseId),
      ctx.roster.listRoster(scope.courseId),
      gradeStatus(ctx.db, { courseId: scope.courseId }),
    ]);
    const syncedAt = course?.rosterSyncedAt ?? null;
    renderTeacher(req, res, 'teacher-home', 'teacher.home.title', {
      nav: { home: true },
      course: info.course,
      placements: placements.map((p) => ({ ...p, current: p.id === scope.placementId })),
      roster: {
        learners: roster.filter((m) => learnsInCourse(m.roles) && m.status === 'Active').length,
        syncedAt: formatWhen(res, syncedAt),
        stale: isRosterStale({ rosterSyncedAt: syncedAt }, ctx.config.roster.maxAgeMinutes),
        canRefresh: Boolean(course?.nrpsUrl ?? req.launchSession!.launch.nrpsService),
      },
      grades: {
        sent: grades.filter((g) => g.state === 'sent').length,
        waiting: grades.filter((g) => g.state === 'waiting').length,
        failed: grades.filter((g) => g.state === 'failed').length,
      },
    });
  });
  return router;
}
