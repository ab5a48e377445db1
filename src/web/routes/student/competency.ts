import { Router } from 'express';
import { z } from 'zod';
import { findPathway } from '../../../learning/pathway.js';
import { invalid, notFound } from '../../../shared/errors.js';
import { localizeExplanation } from '../../i18n/explanations.js';
import { formatDay } from '../../i18n/format.js';
import { renderReasons } from '../../i18n/reasons.js';
import { back, competencyOf, pageLocals, unitDocument, type StudentDeps } from './deps.js';
import { displayState } from './map.js';
import { pathwayFacts, resourceView } from './present.js';
import { scopeOf } from './scope.js';

const chooseBody = z.object({ pathwayId: z.string().min(1).max(64) });
const markBody = z.object({ pathwayId: z.string().min(1).max(64), index: z.coerce.number().int().min(0).max(49), done: z.enum(['1', '0']) });
const helpBody = z.object({ message: z.string().max(1000).default('') });

/** The competency page: pathways with the recommendation and its reason, resources, "I'm ready", help. */
export function competencyRoutes(deps: StudentDeps): Router {
  const router = Router();
  const { ctx, work } = deps;

  router.get('/student/competencies/:competencyId', async (req, res) => {
    const scope = scopeOf(req);
    const unit = await unitDocument(deps, scope);
    const competency = competencyOf(unit, req.params.competencyId);
    const map = await ctx.learning.unitMap({ userId: scope.userId, unitId: scope.unitId, courseId: scope.courseId });
    const entry = map.competencies.find((e) => e.competencyId === competency.id)!;
    const counts = (await work.attemptCounts(scope.userId, scope.unitId, scope.courseId)).get(competency.id);
    const ranked = await ctx.learning.recommendPathways({ userId: scope.userId, unitId: scope.unitId, competencyId: competency.id, courseId: scope.courseId });
    const top = ranked[0];
    const chosen = entry.chosenPathwayId ? findPathway(competency, entry.chosenPathwayId) : undefined;
    const marks = chosen ? await work.marks(scope.userId, scope.unitId, competency.id, chosen.id) : new Set<number>();
    const help = (await work.helpRequests(scope.userId, scope.unitId)).find((h) => h.competencyId === competency.id && h.status === 'open');
    const titles = new Map(unit.competencies.map((c) => [c.id, c.title]));
    const state = displayState(entry, counts);
    res.render('pages/student-competency', {
      ...pageLocals(res, req.query, 'none'),
      title: competency.title,
      contentLanguage: unit.language,
      competency: { id: competency.id, title: competency.title, description: competency.description, standard: competency.standard?.code ?? null },
      stateKey: `student.state.${state}`,
      levelKey: `student.level.${entry.level}`,
      explanation: localizeExplanation(String(res.locals.locale ?? 'en'), entry.explanation),
      locked: entry.state === 'locked',
      missing: entry.missing.map((p) => titles.get(p) ?? p),
      recommendation: top
        ? { title: findPathway(competency, top.pathwayId)?.title ?? top.pathwayId, reason: renderReasons(String(res.locals.locale ?? 'en'), top.reasons) }
        : null,
      pathways: ranked.map((r) => {
        const p = findPathway(competency, r.pathwayId)!;
        return {
          id: p.id,
          title: p.title,
          description: p.description ?? '',
          ...pathwayFacts(p),
          recommended: r.rank === 1,
          chosen: chosen?.id === p.id,
          checked: (chosen ?? (top && findPathway(competency, top.pathwayId)))?.id === p.id,
        };
      }),
      chosen: chosen ? { id: chosen.id, title: chosen.title, resources: chosen.resources.map((r, i) => resourceView(r, i, marks.has(i))) } : null,
      doneCount: marks.size,
      check: { items: competency.check.itemsPerAttempt, passShare: competency.check.passThreshold, inProgress: (counts?.open ?? 0) > 0 },
      help: help ? { message: help.message, createdAt: formatDay(String(res.locals.locale ?? 'en'), help.createdAt) } : null,
    });
  });

  router.post('/student/competencies/:competencyId/pathway', async (req, res) => {
    const scope = scopeOf(req);
    competencyOf(await unitDocument(deps, scope), req.params.competencyId);
    const body = chooseBody.safeParse(req.body);
    if (!body.success) throw invalid('pathway_required', 'Choose one of the pathways.');
    await ctx.learning.choosePathway({
      userId: scope.userId,
      unitId: scope.unitId,
      competencyId: req.params.competencyId,
      pathwayId: body.data.pathwayId,
      courseId: scope.courseId,
    });
    res.redirect(303, back(res, `/student/competencies/${encodeURIComponent(req.params.competencyId)}`, 'pathway_chosen', '#resources'));
  });

  router.post('/student/competencies/:competencyId/resources', async (req, res) => {
    const scope = scopeOf(req);
    const competency = competencyOf(await unitDocument(deps, scope), req.params.competencyId);
    const body = markBody.safeParse(req.body);
    const pathway = body.success ? findPathway(competency, body.data.pathwayId) : undefined;
    if (!body.success || !pathway || body.data.index >= pathway.resources.length)
      throw notFound('resource_not_found', 'This resource is not part of the pathway.');
    await work.setMark(
      { userId: scope.userId, unitId: scope.unitId, competencyId: competency.id, pathwayId: pathway.id, index: body.data.index },
      body.data.done === '1',
    );
    res.redirect(303, back(res, `/student/competencies/${encodeURIComponent(competency.id)}`, 'resource_marked', `#resource-${body.data.index}`));
  });

  router.post('/student/competencies/:competencyId/help', async (req, res) => {
    const scope = scopeOf(req);
    const competency = competencyOf(await unitDocument(deps, scope), req.params.competencyId);
    const body = helpBody.safeParse(req.body);
    if (!body.success) throw invalid('help_message_too_long', 'Keep the message under 1000 characters.');
    await work.askForHelp({
      userId: scope.userId,
      courseId: scope.courseId,
      unitId: scope.unitId,
      competencyId: competency.id,
      message: body.data.message.trim(),
    });
    res.redirect(303, back(res, `/student/competencies/${encodeURIComponent(competency.id)}`, 'help_requested', '#help'));
  });

  // "I'm ready": starts (or resumes) the mastery check; the engine refuses locked competencies and cool-downs.
  router.post('/student/competencies/:competencyId/check', async (req, res) => {
    const scope = scopeOf(req);
    const competency = competencyOf(await unitDocument(deps, scope), req.params.competencyId);
    const attempt = await ctx.learning.startAttempt({ userId: scope.userId, unitId: scope.unitId, competencyId: competency.id, courseId: scope.courseId });
    res.redirect(303, back(res, `/student/attempts/${attempt.attemptId}`));
  });
  return router;
}
