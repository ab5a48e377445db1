import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { gradeStatus } from '../../../grades/grade-status.js';
import { MASTERY_LEVELS } from '../../../learning/mastery/level.js';
import { isAppError, notFound } from '../../../shared/errors.js';
import { MasteryRepository } from '../../../store/mastery-repository.js';
import { ProfileRepository } from '../../../store/profile-repository.js';
import { personRef } from '../../../store/audit-log.js';
import type { AppContext } from '../../context.js';
import { localizeExplanation } from '../../i18n/explanations.js';
import { formatDay, formatPercent, formatScore } from '../../i18n/format.js';
import { hasMessage, translate } from '../../i18n/index.js';
import { displayName, LEVEL_SYMBOL } from '../../view-models/teacher-dashboard.js';
import { pseudonymName } from '../../view-models/class-list.js';
import { progressView } from '../../view-models/progress-chart.js';
import { chooseUnit } from './class-data.js';
import { formatWhen, renderTeacher } from './page.js';
import type { TeacherQueries } from './queries.js';
import { competencyIn, scopeOf, teacherGuard, teacherUrl, type TeacherScope } from './scope.js';

const overrideForm = z.object({ unit: z.string(), competency: z.string(), level: z.enum(MASTERY_LEVELS), reason: z.string().max(1000) });
const withdrawForm = z.object({ unit: z.string(), competency: z.string() });
const badForm = () => notFound('competency_not_found', 'This competency is not part of the unit.', 'Go back to the student page.');

/** A student of the teacher's course (by enrollment); anyone else is not found. */
async function studentOf(queries: TeacherQueries, scope: TeacherScope, userId: unknown): Promise<string> {
  const id = z.uuid().safeParse(userId);
  if (!id.success || !(await queries.isEnrolled(scope.courseId, id.data))) {
    throw notFound('student_not_found', 'This student is not in your course.', 'Go back to the class dashboard.');
  }
  return id.data;
}

/** A student's page (mastery with history and overrides, attempts, reflections, goals, grade sync) and the override forms. */
export function studentRoutes(ctx: AppContext, queries: TeacherQueries): Router {
  const router = Router();
  const guard = teacherGuard(ctx);
  const profiles = new ProfileRepository(ctx.db);

  async function unitFor(scope: TeacherScope, wanted: unknown) {
    const { unit } = await chooseUnit(ctx, queries, scope, wanted);
    if (!unit) throw notFound('unit_not_found', 'This course has no unit yet.', 'Place or import a unit first.', { variant: 'none' });
    return unit;
  }

  async function render(req: Request, res: Response, unitParam: unknown, error?: { competencyId: string; message: string }) {
    const scope = scopeOf(req);
    const locale = String(res.locals.locale ?? 'en');
    const userId = await studentOf(queries, scope, req.params.userId);
    const unit = await unitFor(scope, unitParam);
    const mastery = new MasteryRepository(ctx.db, scope.courseId);
    const [roster, attempts, reflections, goals, help, grades, events] = await Promise.all([
      ctx.roster.listRoster(scope.courseId, { includeDeleted: true }),
      queries.attempts(unit.id, scope.courseId, userId),
      profiles.reflections(userId, unit.id, scope.courseId),
      profiles.goals(userId, scope.courseId),
      queries.openHelpRequests(unit.id, scope.courseId),
      gradeStatus(ctx.db, { courseId: scope.courseId }),
      queries.masteredEvents(unit.id, scope.courseId, userId),
    ]);
    const member = roster.find((m) => m.userId === userId);
    const titles = new Map(unit.document.competencies.map((c) => [c.id, c.title]));
    const competencies = await Promise.all(
      unit.document.competencies.map(async (c) => {
        const [current, history, overrides] = await Promise.all([
          mastery.current(userId, unit.id, c.id),
          mastery.history(userId, unit.id, c.id),
          mastery.overrides(userId, unit.id, c.id),
        ]);
        const level = current?.level ?? 'not_started';
        return {
          id: c.id,
          title: c.title,
          level,
          symbol: LEVEL_SYMBOL[level],
          levelKey: `teacher.level.${level}`,
          calculatedKey: `teacher.level.${current?.calculatedLevel ?? 'not_started'}`,
          explanation: localizeExplanation(String(res.locals.locale ?? 'en'), current?.explanation ?? ''),
          overridden: current?.overridden ?? false,
          history: history.map((h) => ({
            levelKey: `teacher.level.${h.level}`,
            causeKey: `teacher.cause.${h.cause}`,
            explanation: localizeExplanation(String(res.locals.locale ?? 'en'), h.explanation),
            when: formatWhen(res, h.createdAt),
          })),
          overrides: overrides.map((o) => ({
            levelKey: `teacher.level.${o.levelAfter}`,
            beforeKey: `teacher.level.${o.levelBefore}`,
            reason: o.reason,
            by: o.createdByName ?? '',
            when: formatWhen(res, o.createdAt),
            withdrawn: formatWhen(res, o.withdrawnAt),
          })),
          attempts: attempts
            .filter((a) => a.competencyId === c.id)
            .map((a) => ({
              when: formatWhen(res, a.submittedAt ?? a.startedAt),
              statusKey: a.status === 'submitted' ? (a.passed ? 'teacher.attempt.passed' : 'teacher.attempt.failed') : `teacher.attempt.${a.status}`,
              score: a.score === null ? '' : formatPercent(locale, a.score),
              pathway: c.pathways.find((p) => p.id === a.pathwayId)?.title ?? '',
            })),
          levels: MASTERY_LEVELS.map((l) => ({ value: l, key: `teacher.level.${l}` })),
          error: error?.competencyId === c.id ? error.message : null,
        };
      }),
    );
    const name = member ? displayName(member, locale) : pseudonymName(userId, locale);
    renderTeacher(
      req,
      res,
      'teacher-student',
      'teacher.student.title',
      {
        nav: { dashboard: true },
        unitId: unit.id,
        unitTitle: unit.document.title,
        userId,
        name,
        // Not active in the course (NRPS Inactive, or gone from the roster): overrides are saved, grades held.
        inactive: member !== undefined && member.status !== 'Active',
        competencies,
        reflections: reflections.map((r) => ({
          competency: titles.get(r.competencyId) ?? r.competencyId,
          whatHelped: r.whatHelped,
          confidence: r.confidence,
          when: formatWhen(res, r.createdAt),
        })),
        goals: goals.map((g) => ({ text: g.text, statusKey: `teacher.goal.${g.status}`, target: g.targetDate ? formatDay(locale, g.targetDate) : '' })),
        help: help
          .filter((h) => h.userId === userId)
          .map((h) => ({ id: h.id, competency: titles.get(h.competencyId) ?? h.competencyId, message: h.message, when: formatWhen(res, h.createdAt) })),
        grades: grades
          .filter((g) => g.userId === userId)
          .map((g) => ({
            placement: g.placementTitle ?? '',
            stateKey: `grades.state.${g.state}`,
            score: formatScore(locale, g.scoreGiven, g.scoreMaximum),
            failed: g.state === 'failed',
          })),
        hasError: Boolean(error),
        progress: progressView(events, { userIds: new Set([userId]), competencyIds: new Set(titles.keys()) }, new Date(), String(res.locals.locale ?? 'en')),
      },
      { name },
    );
  }

  router.get('/teacher/students/:userId', ...guard, (req, res) => render(req, res, req.query.unit));

  router.post('/teacher/students/:userId/override', ...guard, async (req, res) => {
    const scope = scopeOf(req);
    const userId = await studentOf(queries, scope, req.params.userId);
    const form = overrideForm.safeParse(req.body);
    if (!form.success) throw badForm();
    const unit = await unitFor(scope, form.data.unit);
    const { competency } = competencyIn(unit, form.data.competency);
    const names = await ctx.launch.contexts.describe({ courseId: null, placementId: null, userId: scope.userId });
    try {
      await ctx.learning.overrideMastery({
        teacherId: scope.userId,
        teacherName: names.user.name,
        userId,
        unitId: unit.id,
        competencyId: competency.id,
        courseId: scope.courseId,
        level: form.data.level,
        reason: form.data.reason,
      });
    } catch (err) {
      if (!isAppError(err) || err.kind !== 'invalid') throw err;
      res.status(400);
      await render(req, res, unit.id, {
        competencyId: competency.id,
        message: hasMessage(`teacher.error.${err.code}`) ? translate(String(res.locals.locale ?? 'en'), `teacher.error.${err.code}`) : err.message,
      });
      return;
    }
    await auditOverride(ctx, req, 'mastery.override', { teacherId: scope.userId, userId, target: `${unit.id}/${competency.id}`, level: form.data.level });
    ctx.outbox.kick();
    res.redirect(303, teacherUrl(res, `/teacher/students/${userId}`, { unit: unit.id, notice: 'overridden' }, `#c-${competency.id}`));
  });

  router.post('/teacher/students/:userId/withdraw', ...guard, async (req, res) => {
    const scope = scopeOf(req);
    const userId = await studentOf(queries, scope, req.params.userId);
    const form = withdrawForm.safeParse(req.body);
    if (!form.success) throw badForm();
    const unit = await unitFor(scope, form.data.unit);
    const { competency } = competencyIn(unit, form.data.competency);
    await ctx.learning.withdrawOverride({ teacherId: scope.userId, userId, unitId: unit.id, competencyId: competency.id, courseId: scope.courseId });
    await auditOverride(ctx, req, 'mastery.override_withdrawn', { teacherId: scope.userId, userId, target: `${unit.id}/${competency.id}` });
    ctx.outbox.kick();
    res.redirect(303, teacherUrl(res, `/teacher/students/${userId}`, { unit: unit.id, notice: 'withdrawn' }, `#c-${competency.id}`));
  });

  router.post('/teacher/help/:id/resolve', ...guard, async (req, res) => {
    const scope = scopeOf(req);
    const id = z.uuid().safeParse(req.params.id);
    if (!id.success || !(await queries.resolveHelpRequest(id.data, scope.courseId, scope.userId))) {
      throw notFound('help_request_not_found', 'There is no such open help request in your course.', 'Go back to the class dashboard.');
    }
    const back = typeof (req.body as Record<string, unknown>).back === 'string' ? String((req.body as Record<string, unknown>).back) : '';
    res.redirect(303, teacherUrl(res, /^\/teacher\/[\w/-]*$/.test(back) ? back : '/teacher/dashboard', { notice: 'resolved' }));
  });
  return router;
}

/** Teacher overrides go to the audit log too: who (a reference), whom (a reference), what level; never the reason text. */
async function auditOverride(
  ctx: AppContext,
  req: Request,
  action: 'mastery.override' | 'mastery.override_withdrawn',
  o: { teacherId: string; userId: string; target: string; level?: string },
): Promise<void> {
  await ctx.privacy.audit.record({
    actor: { kind: 'teacher', ref: personRef(o.teacherId), ip: req.ip ?? null },
    action,
    platformId: req.launchSession?.platformId ?? null,
    target: o.target,
    subjectRef: personRef(o.userId),
    details: o.level ? { level: o.level } : {},
  });
}
