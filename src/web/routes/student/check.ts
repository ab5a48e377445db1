import { Router, type Request } from 'express';
import { z } from 'zod';
import { isExpired } from '../../../learning/attempt-rules.js';
import type { Item } from '../../../learning/items/item-schema.js';
import { toItemView } from '../../../learning/items/item-view.js';
import { reflectionSchema } from '../../../learning/learner-profile.js';
import { conflict, invalid, notFound } from '../../../shared/errors.js';
import type { LearnerAttempt } from '../../../store/student-work-repository.js';
import { back, pageLocals, type StudentDeps } from './deps.js';
import { scopeOf } from './scope.js';
import { resultView } from './result-view.js';

const attemptId = z.uuid();
const MAX_TEXT = 500;
const field = (itemId: string) => `answer-${itemId}`;

/** Reads the answers of the drawn items from the form (other fields are ignored). */
export function readAnswers(items: readonly Item[], body: unknown): Record<string, unknown> {
  const form = (body ?? {}) as Record<string, unknown>;
  const answers: Record<string, unknown> = {};
  for (const item of items) {
    const raw = form[field(item.id)];
    const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === 'string');
    if (item.type === 'multiple_select') answers[item.id] = values;
    else if (values[0] !== undefined) answers[item.id] = values[0].slice(0, MAX_TEXT);
  }
  return answers;
}

/** The check form's view of each item, with the answers saved so far filled in. */
function itemsView(items: readonly Item[], draft: Record<string, unknown>) {
  return items.map((item, i) => {
    const v = toItemView(item);
    const saved = draft[item.id];
    const chosen = new Set(Array.isArray(saved) ? saved : [saved]);
    return {
      ...v,
      n: i + 1,
      field: field(item.id),
      choice: v.type === 'single_choice',
      multiple: v.type === 'multiple_select',
      numeric: v.type === 'numeric',
      text: v.type === 'short_text',
      value: typeof saved === 'string' ? saved : '',
      options: 'options' in v ? v.options.map((o, j) => ({ ...o, inputId: `q${i + 1}-o${j + 1}`, checked: chosen.has(o.id) })) : [],
    };
  });
}

/** The mastery check (one form), the draft save, the submission, the result and the reflection. */
export function checkRoutes(deps: StudentDeps): Router {
  const router = Router();
  const { ctx, work, profiles } = deps;

  async function ownAttempt(req: Request): Promise<LearnerAttempt> {
    const scope = scopeOf(req);
    const id = attemptId.safeParse(req.params.attemptId);
    // Another student's attempt, or one of another unit, is simply not found: ids cannot be probed.
    const attempt = id.success ? await work.attempt(id.data, scope.userId, scope.unitId) : null;
    if (!attempt) throw notFound('attempt_not_found', 'This attempt does not exist.', 'Go back to the unit map.');
    return attempt;
  }

  router.get('/student/attempts/:attemptId', async (req, res) => {
    const attempt = await ownAttempt(req);
    if (attempt.status === 'submitted') return res.redirect(303, back(res, `/student/attempts/${attempt.id}/result`));
    if (attempt.status === 'expired' || isExpired(attempt, new Date())) {
      throw conflict('attempt_expired', 'This attempt expired before it was submitted.', 'Start a new attempt when you are ready.');
    }
    const unit = await deps.units.findById(scopeOf(req).unitId);
    const competency = unit?.document.competencies.find((c) => c.id === attempt.competencyId);
    // The teacher removed the competency after the check began: it can no longer be submitted.
    if (!competency)
      throw notFound(
        'competency_removed',
        'Your teacher has removed this competency from the unit, so this check can no longer be submitted.',
        'Go back to the unit map.',
      );
    const draft = await work.draft(attempt.id, scopeOf(req).userId);
    res.render('pages/student-check', {
      ...pageLocals(res, req.query, 'none'),
      title: competency?.title ?? '',
      contentLanguage: unit?.document.language,
      competency: { id: attempt.competencyId, title: competency?.title ?? attempt.competencyId },
      attemptId: attempt.id,
      expiresAt: attempt.expiresAt.toISOString(),
      // Minutes left rather than a clock time: the server does not know the student's time zone.
      minutesLeft: Math.max(1, Math.floor((attempt.expiresAt.getTime() - Date.now()) / 60_000)),
      count: attempt.items.length,
      passShare: competency ? competency.check.passThreshold : null,
      items: itemsView(attempt.items, draft),
    });
  });

  // "Save my answers": keeps them server-side, so a reload or another device shows them again.
  router.post('/student/attempts/:attemptId/draft', async (req, res) => {
    const attempt = await ownAttempt(req);
    if (attempt.status !== 'open') return res.redirect(303, back(res, `/student/attempts/${attempt.id}/result`));
    await work.saveDraft(attempt.id, scopeOf(req).userId, readAnswers(attempt.items, req.body));
    res.redirect(303, back(res, `/student/attempts/${attempt.id}`, 'answers_saved'));
  });

  router.post('/student/attempts/:attemptId', async (req, res) => {
    const attempt = await ownAttempt(req);
    const answers = readAnswers(attempt.items, req.body);
    // Submitting twice returns the stored result (the engine is idempotent by attempt id).
    await ctx.learning.submitAttempt({ attemptId: attempt.id, userId: scopeOf(req).userId, answers });
    res.redirect(303, back(res, `/student/attempts/${attempt.id}/result`));
  });

  router.get('/student/attempts/:attemptId/result', async (req, res) => {
    const attempt = await ownAttempt(req);
    if (attempt.status !== 'submitted' || !attempt.result) return res.redirect(303, back(res, `/student/attempts/${attempt.id}`));
    const view = await resultView(deps, scopeOf(req), attempt, String(res.locals.locale ?? 'en'));
    res.render('pages/student-result', { ...pageLocals(res, req.query, 'none'), ...view });
  });

  router.post('/student/attempts/:attemptId/reflection', async (req, res) => {
    const attempt = await ownAttempt(req);
    if (attempt.status !== 'submitted') throw conflict('attempt_not_submitted', 'Reflect after you submit the check.');
    const form = (req.body ?? {}) as Record<string, unknown>;
    const parsed = reflectionSchema.safeParse({
      unitId: scopeOf(req).unitId,
      competencyId: attempt.competencyId,
      attemptId: attempt.id,
      whatHelped: typeof form.whatHelped === 'string' ? form.whatHelped.trim() : '',
      confidence: Number(form.confidence),
    });
    if (!parsed.success) throw invalid('reflection_invalid', 'Choose how confident you feel, from 1 to 5.', 'Go back and pick one of the five answers.');
    await profiles.addReflection(scopeOf(req).userId, parsed.data, scopeOf(req).courseId);
    res.redirect(303, back(res, `/student/attempts/${attempt.id}/result`, 'reflection_saved', '#next-step'));
  });
  return router;
}
