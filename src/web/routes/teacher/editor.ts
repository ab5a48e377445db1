import { Router, type Request, type Response } from 'express';
import { exportUnit, parseUnit, type UnitProblem } from '../../../learning/unit-import.js';
import type { StoredUnit } from '../../../learning/ports.js';
import { learnsInCourse } from '../../../lti/course-role.js';
import { methodFit } from '../../../learning/mastery/method-fit.js';
import { AttemptRepository } from '../../../store/attempt-repository.js';
import { MasteryRepository } from '../../../store/mastery-repository.js';
import type { AppContext } from '../../context.js';
import { methodFitView } from '../../view-models/method-fit.js';
import { SUPPORTED_LOCALES } from '../../i18n/index.js';
import { addCompetency, applySettings, languageChoices, METHODS, removeCompetency, SCORE_POLICIES, str } from '../../view-models/teacher-unit-forms.js';
import { commitEdit, valuesFor, type Draft } from './editing.js';
import { renderTeacher } from './page.js';
import { competencyIn, editableUnit, scopeOf, teacherGuard, teacherUrl, visibleUnit } from './scope.js';

const pct = (x: number | undefined) => (x === undefined ? '' : String(Math.round(x * 1000) / 10));

/** How well each method would have predicted this course's active learners' checks in the unit. */
async function classFit(ctx: AppContext, courseId: string, unit: StoredUnit) {
  const [roster, checks, fitted, pfaModel] = await Promise.all([
    ctx.roster.listRoster(courseId),
    new AttemptRepository(ctx.db, courseId).classChecks(unit.id),
    new MasteryRepository(ctx.db, courseId).bktParamsForUnit(unit.id),
    new MasteryRepository(ctx.db, courseId).pfaModel(unit.id),
  ]);
  const learners = new Set(roster.filter((m) => learnsInCourse(m.roles) && m.status === 'Active').map((m) => m.userId));
  const marks = new Map(unit.document.competencies.map((c) => [c.id, c.check.passThreshold]));
  return methodFit(
    unit.document.mastery,
    checks.filter((c) => learners.has(c.userId)),
    (id) => marks.get(id) ?? 0.8,
    undefined,
    fitted,
    pfaModel ?? undefined,
  );
}

/** The unit page of the editor: settings and calculation method, competencies, whole-unit JSON. */
export function editorRoutes(ctx: AppContext): Router {
  const router = Router();
  const guard = teacherGuard(ctx);

  async function render(req: Request, res: Response, unit: StoredUnit, problems: UnitProblem[] = [], draft?: Draft) {
    const scope = scopeOf(req);
    const doc = unit.document;
    const m = doc.mastery as { method: string; weight?: number; n?: number; masteryThreshold: number; approachingThreshold: number };
    const settings = valuesFor(draft, 'settings', {
      title: doc.title,
      description: doc.description,
      method: m.method,
      weight: m.weight !== undefined ? String(m.weight) : '0.65',
      n: m.n !== undefined ? String(m.n) : '2',
      masteryThreshold: pct(m.masteryThreshold),
      approachingThreshold: pct(m.approachingThreshold),
      scorePolicy: doc.scorePolicy ?? 'level_points',
      // A unit saved before it had a language is taken to be in its teacher's language.
      language: doc.language ?? String(res.locals.locale ?? 'en'),
    });
    const titles = new Map(doc.competencies.map((c) => [c.id, c.title]));
    const fit = await classFit(ctx, scope.courseId, unit);
    renderTeacher(
      req,
      res,
      'teacher-unit',
      'teacher.unit.title',
      {
        nav: { units: true },
        unitId: unit.id,
        unit: { title: doc.title, key: doc.key },
        editable: unit.courseId === scope.courseId,
        problems,
        settings,
        fit: methodFitView(fit, doc.mastery.method),
        methods: METHODS.map((value) => ({ value, key: `teacher.method.${value}`, selected: value === settings.method })),
        scorePolicies: SCORE_POLICIES.map((value) => ({ value, key: `teacher.scorePolicy.${value}`, selected: value === settings.scorePolicy })),
        languages: languageChoices(SUPPORTED_LOCALES, String(settings.language)),
        contentLanguage: doc.language,
        competencies: doc.competencies.map((c) => ({
          id: c.id,
          title: c.title,
          standard: c.standard?.code ?? '',
          prerequisites: c.prerequisites.map((p) => titles.get(p) ?? p).join(', '),
          pathways: c.pathways.length,
          items: c.check.items.length,
        })),
        added: valuesFor(draft, 'add', { id: '', title: '' }),
        jsonText: draft?.form === 'json' ? str(draft.fields, 'json') : exportUnit(doc),
      },
      { title: doc.title },
    );
  }

  router.get('/teacher/units/:unitId', ...guard, async (req, res) => {
    await render(req, res, await visibleUnit(ctx, scopeOf(req), req.params.unitId));
  });

  router.post('/teacher/units/:unitId/settings', ...guard, async (req, res) => {
    const unit = await editableUnit(ctx, scopeOf(req), req.params.unitId);
    const body = req.body as Record<string, unknown>;
    await commitEdit(ctx, res, unit, applySettings(unit.document, body), {
      redirect: teacherUrl(res, `/teacher/units/${unit.id}`, { notice: 'saved' }),
      rerender: (p) => render(req, res, unit, p, { form: 'settings', fields: body }),
    });
  });

  router.post('/teacher/units/:unitId/json', ...guard, async (req, res) => {
    const unit = await editableUnit(ctx, scopeOf(req), req.params.unitId);
    const body = req.body as Record<string, unknown>;
    let json: unknown;
    let problems: UnitProblem[] = [];
    try {
      json = JSON.parse(str(body, 'json'));
    } catch (err) {
      problems = [{ path: '(root)', message: `not valid JSON: ${(err as Error).message}` }];
    }
    const parsed = problems.length ? null : parseUnit(json);
    await commitEdit(
      ctx,
      res,
      unit,
      { doc: parsed?.ok ? parsed.unit : unit.document, problems: parsed && !parsed.ok ? parsed.problems : problems },
      {
        redirect: teacherUrl(res, `/teacher/units/${unit.id}`, { notice: 'saved' }),
        rerender: (p) => render(req, res, unit, p, { form: 'json', fields: body }),
      },
    );
  });

  router.post('/teacher/units/:unitId/competencies', ...guard, async (req, res) => {
    const unit = await editableUnit(ctx, scopeOf(req), req.params.unitId);
    const body = req.body as Record<string, unknown>;
    const id = str(body, 'id').trim();
    await commitEdit(ctx, res, unit, addCompetency(unit.document, body), {
      redirect: teacherUrl(res, `/teacher/units/${unit.id}/competencies/${encodeURIComponent(id)}`, { notice: 'saved' }),
      rerender: (p) => render(req, res, unit, p, { form: 'add', fields: body }),
    });
  });

  router.post('/teacher/units/:unitId/competencies/:competencyId/delete', ...guard, async (req, res) => {
    const unit = await editableUnit(ctx, scopeOf(req), req.params.unitId);
    const { index } = competencyIn(unit, req.params.competencyId);
    await commitEdit(ctx, res, unit, removeCompetency(unit.document, index), {
      redirect: teacherUrl(res, `/teacher/units/${unit.id}`, { notice: 'deleted' }),
      rerender: (p) => render(req, res, unit, p),
    });
  });
  return router;
}
