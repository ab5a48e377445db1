import { Router } from 'express';
import type { UnitDocument } from '../../../learning/unit-schema.js';
import { translate } from '../../i18n/index.js';
import { pageLocals, unitDocument, type StudentDeps } from './deps.js';
import { scopeOf } from './scope.js';
import { layoutUnitGraph } from './unit-graph.js';

type MapEntry = Awaited<ReturnType<StudentDeps['ctx']['learning']['unitMap']>>['competencies'][number];

/** locked / open / in_progress / mastered: "in progress" is an open competency the student has started. */
export function displayState(e: Pick<MapEntry, 'state' | 'level' | 'chosenPathwayId'>, attempts: { submitted: number; open: number } | undefined): string {
  if (e.state !== 'open') return e.state;
  return e.level !== 'not_started' || e.chosenPathwayId || (attempts && attempts.submitted + attempts.open > 0) ? 'in_progress' : 'open';
}

/** The unit map's view model: each competency with its state, what it needs and what it unlocks. */
export async function unitMapView(deps: StudentDeps, scope: { userId: string; unitId: string; courseId: string }, unit: UnitDocument, locale: string) {
  const [map, counts] = await Promise.all([
    deps.ctx.learning.unitMap({ userId: scope.userId, unitId: scope.unitId, courseId: scope.courseId }),
    deps.work.attemptCounts(scope.userId, scope.unitId, scope.courseId),
  ]);
  const titles = new Map(unit.competencies.map((c) => [c.id, c.title]));
  const competencies = map.competencies.map((e) => {
    const doc = unit.competencies.find((c) => c.id === e.competencyId)!;
    const state = displayState(e, counts.get(e.competencyId));
    return {
      id: e.competencyId,
      title: e.title,
      state,
      stateKey: `student.state.${state}`,
      levelKey: `student.level.${e.level}`,
      locked: e.state === 'locked',
      needs: doc.prerequisites.map((p) => titles.get(p) ?? p),
      missing: e.missing.map((p) => titles.get(p) ?? p),
      unlocks: unit.competencies.filter((c) => c.prerequisites.includes(e.competencyId)).map((c) => c.title),
      prerequisites: doc.prerequisites,
    };
  });
  const graph = layoutUnitGraph(competencies.map((c) => ({ id: c.id, title: c.title, state: c.state, prerequisites: c.prerequisites })));
  return {
    map,
    competencies,
    graph: { ...graph, nodes: graph.nodes.map((n) => ({ ...n, stateLabel: translate(locale, `student.state.${n.state}`) })) },
    next: competencies.find((c) => c.state === 'in_progress') ?? competencies.find((c) => c.state === 'open') ?? null,
  };
}

/** GET /student/map: the unit's competencies as a list (and a drawing), with the next step. */
export function mapRoutes(deps: StudentDeps): Router {
  const router = Router();
  router.get('/student', (_req, res) => res.redirect(303, `/student/map?${String(res.locals.sessionQuery)}`));
  router.get('/student/map', async (req, res) => {
    const scope = scopeOf(req);
    const unit = await unitDocument(deps, scope);
    const locale = String(res.locals.locale ?? 'en');
    const view = await unitMapView(deps, scope, unit, locale);
    res.render('pages/student-map', {
      ...pageLocals(res, req.query, 'map'),
      title: unit.title,
      contentLanguage: unit.language,
      unitTitle: unit.title,
      unitDescription: unit.description,
      competencies: view.competencies,
      graph: view.graph,
      next: view.next,
      progress: { mastered: view.map.score.mastered, total: view.map.score.total },
    });
  });
  return router;
}
