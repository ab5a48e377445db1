import { Router, type Request, type Response } from 'express';
import type { UnitProblem } from '../../../learning/unit-import.js';
import { isAppError } from '../../../shared/errors.js';
import { sampleUnitDocuments } from '../../../store/placement-service.js';
import { UnitRepository } from '../../../store/unit-repository.js';
import type { AppContext } from '../../context.js';
import { csrfProtection } from '../../middleware/csrf.js';
import { requireSession } from '../../middleware/session.js';
import { multipartText } from './multipart.js';
import { renderTeacher } from './page.js';
import { scopeOf, teacherGuard, teacherScope, teacherUrl, visibleUnit } from './scope.js';
import { withTeacherLanguage } from '../../view-models/teacher-unit-forms.js';

/** Reads the import: a file's text wins over the text area. A JSON syntax error is one problem at the root. */
function readImport(body: Record<string, unknown>): { text: string; json?: unknown; problems: UnitProblem[] } {
  const file = typeof body.file === 'string' ? body.file.trim() : '';
  const text = file || (typeof body.json === 'string' ? body.json.trim() : '');
  if (!text) return { text, problems: [{ path: '(root)', message: 'paste the unit JSON or choose a file' }] };
  try {
    return { text, json: JSON.parse(text) as unknown, problems: [] };
  } catch (err) {
    return { text, problems: [{ path: '(root)', message: `not valid JSON: ${(err as Error).message}` }] };
  }
}

/** The course's units: list, copy a sample or a library unit, import and export JSON. */
export function unitRoutes(ctx: AppContext): Router {
  const router = Router();
  const guard = teacherGuard(ctx);
  const units = new UnitRepository(ctx.db);

  async function render(req: Request, res: Response, extra: Record<string, unknown> = {}) {
    const scope = scopeOf(req);
    const all = await units.list(scope.courseId);
    const libraryKeys = new Set(all.filter((u) => u.courseId === null).map((u) => u.key));
    renderTeacher(req, res, 'teacher-units', 'teacher.units.title', {
      nav: { units: true },
      own: all.filter((u) => u.courseId === scope.courseId),
      library: all.filter((u) => u.courseId === null),
      samples: sampleUnitDocuments().map((d) => ({
        key: d.key,
        title: d.title,
        language: d.language,
        description: d.description,
        count: d.competencies.length,
        inLibrary: libraryKeys.has(d.key),
      })),
      ...extra,
    });
  }

  router.get('/teacher/units', ...guard, (req, res) => render(req, res));

  router.post('/teacher/units/samples', ...guard, async (req, res) => {
    const scope = scopeOf(req);
    const doc = sampleUnitDocuments().find((d) => d.key === (req.body as Record<string, unknown>).key);
    if (!doc) {
      res.status(400);
      await render(req, res, { problems: [{ path: 'key', message: 'choose one of the sample units' }] });
      return;
    }
    const [unit] = await ctx.learning.importUnits(doc, { courseId: scope.courseId, createdBy: scope.userId });
    res.redirect(303, teacherUrl(res, `/teacher/units/${unit!.id}`, { notice: 'copied' }));
  });

  router.post('/teacher/units/:unitId/copy', ...guard, async (req, res) => {
    const scope = scopeOf(req);
    const unit = await visibleUnit(ctx, scope, req.params.unitId);
    const id = await ctx.placements.repository.copyUnit(unit.id, scope.courseId, scope.userId);
    res.redirect(303, teacherUrl(res, `/teacher/units/${id}`, { notice: 'copied' }));
  });

  // A file upload comes as multipart/form-data: read it before the session and CSRF checks need its fields.
  router.post('/teacher/units/import', ...multipartText(), requireSession(ctx), teacherScope(), csrfProtection(), async (req, res) => {
    const scope = scopeOf(req);
    const input = readImport((req.body ?? {}) as Record<string, unknown>);
    let problems = input.problems;
    if (!problems.length) {
      try {
        const json = withTeacherLanguage(input.json, String(res.locals.locale ?? 'en'));
        await ctx.learning.importUnits(json, { courseId: scope.courseId, createdBy: scope.userId });
        res.redirect(303, teacherUrl(res, '/teacher/units', { notice: 'imported' }));
        return;
      } catch (err) {
        if (!isAppError(err) || err.code !== 'invalid_unit') throw err;
        problems = (err.details as { problems: UnitProblem[] }).problems;
      }
    }
    res.status(400);
    await render(req, res, { problems, importText: input.text });
  });

  router.get('/teacher/units/:unitId/export', ...guard, async (req, res) => {
    const unit = await visibleUnit(ctx, scopeOf(req), req.params.unitId);
    const body = await ctx.learning.exportUnit(unit.id);
    res.type('application/json');
    res.attachment(`${unit.document.key}.json`);
    res.send(body);
  });
  return router;
}
