import { Router } from 'express';
import { z } from 'zod';
import { GOAL_STATUSES, goalSchema, profileUpdateSchema } from '../../../learning/learner-profile.js';
import { MODALITIES } from '../../../learning/unit-schema.js';
import { invalid, notFound } from '../../../shared/errors.js';
import { translate } from '../../i18n/index.js';
import { back, pageLocals, unitDocument, type StudentDeps } from './deps.js';
import { scopeOf } from './scope.js';

const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
const goalStatusBody = z.object({ status: z.enum(GOAL_STATUSES) });

/** The student's profile: interests, preferred ways to learn, goals, help requests, reflections. */
export function profileRoutes(deps: StudentDeps): Router {
  const router = Router();
  const { profiles, work } = deps;

  router.get('/student/profile', async (req, res) => {
    const scope = scopeOf(req);
    const [profile, goals, help, reflections, unit] = await Promise.all([
      profiles.get(scope.userId),
      profiles.goals(scope.userId),
      work.helpRequests(scope.userId, scope.unitId),
      profiles.reflections(scope.userId, scope.unitId, scope.courseId),
      unitDocument(deps, scope),
    ]);
    const titles = new Map(unit.competencies.map((c) => [c.id, c.title]));
    const locale = String(res.locals.locale ?? 'en');
    const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    const today = new Date().toISOString().slice(0, 10);
    res.render('pages/student-profile', {
      ...pageLocals(res, req.query, 'profile'),
      title: translate(locale, 'student.profile.title'),
      interests: profile.interests.join(', '),
      modalities: MODALITIES.map((m) => ({ value: m, key: `student.modality.${m}`, id: `modality-${m}`, checked: profile.preferredModalities.includes(m) })),
      goals: goals.map((g) => ({
        id: g.id,
        text: g.text,
        statusKey: `student.goal.status.${g.status}`,
        target: g.targetDate ? day.format(new Date(`${g.targetDate}T00:00:00Z`)) : null,
        overdue: g.status === 'active' && !!g.targetDate && g.targetDate < today,
        statuses: GOAL_STATUSES.map((s) => ({ value: s, key: `student.goal.status.${s}`, selected: s === g.status })),
      })),
      goalCounts: { achieved: goals.filter((g) => g.status === 'achieved').length, total: goals.filter((g) => g.status !== 'dropped').length },
      help: help.map((h) => ({
        competency: titles.get(h.competencyId) ?? h.competencyId,
        message: h.message,
        statusKey: `student.help.status.${h.status}`,
        when: day.format(h.createdAt),
      })),
      reflections: reflections
        .map((r) => ({
          competency: titles.get(r.competencyId) ?? r.competencyId,
          whatHelped: r.whatHelped,
          confidence: r.confidence,
          when: day.format(r.createdAt),
        }))
        .reverse(),
    });
  });

  router.post('/student/profile', async (req, res) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const interests = (typeof form.interests === 'string' ? form.interests : '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const parsed = profileUpdateSchema.safeParse({ interests, preferredModalities: list(form.modalities) });
    if (!parsed.success) throw invalid('profile_invalid', 'Up to 20 interests of at most 60 characters each, and the listed ways to learn.');
    await profiles.update(scopeOf(req).userId, parsed.data);
    res.redirect(303, back(res, '/student/profile', 'profile_saved'));
  });

  router.post('/student/goals', async (req, res) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const parsed = goalSchema.safeParse({ text: typeof form.text === 'string' ? form.text.trim() : '', targetDate: form.targetDate ? form.targetDate : null });
    if (!parsed.success) throw invalid('goal_invalid', 'Write your goal (up to 500 characters) and, if you like, a target date.');
    await profiles.addGoal(scopeOf(req).userId, parsed.data, scopeOf(req).courseId);
    res.redirect(303, back(res, '/student/profile', 'goal_added', '#goals'));
  });

  router.post('/student/goals/:goalId', async (req, res) => {
    const userId = scopeOf(req).userId;
    const id = z.uuid().safeParse(req.params.goalId);
    // Only the student's own goals: another student's goal id is not found.
    const goal = id.success ? (await profiles.goals(userId)).find((g) => g.id === id.data) : undefined;
    if (!goal) throw notFound('goal_not_found', 'This goal does not exist.');
    const body = goalStatusBody.safeParse(req.body);
    if (!body.success) throw invalid('goal_invalid', 'Choose active, achieved or dropped.');
    await profiles.updateGoal(userId, goal.id, { text: goal.text, targetDate: goal.targetDate, status: body.data.status });
    res.redirect(303, back(res, '/student/profile', 'goal_updated', '#goals'));
  });
  return router;
}
