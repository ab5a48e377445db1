import { Router, type Request, type Response } from 'express';
import type { UnitProblem } from '../../../learning/unit-import.js';
import type { StoredUnit } from '../../../learning/ports.js';
import { MODALITIES } from '../../../learning/unit-schema.js';
import { notFound } from '../../../shared/errors.js';
import type { AppContext } from '../../context.js';
import { applyItem, itemForm } from '../../view-models/teacher-item-form.js';
import { applyCompetency, applyPathway, list, removeItem, removePathway, str, type Edit, type Form } from '../../view-models/teacher-unit-forms.js';
import { commitEdit, valuesFor, type Draft } from './editing.js';
import { renderTeacher } from './page.js';
import { competencyIn, editableUnit, scopeOf, teacherGuard, teacherUrl, visibleUnit } from './scope.js';

const LEVELS = ['foundation', 'core', 'challenge'] as const;
const ITEM_TYPES = ['single_choice', 'multiple_select', 'numeric', 'short_text'] as const;

function pathwayView(f: Form, prefix: string, draftModalities?: string[]) {
  const chosen = new Set(draftModalities ?? list(f, 'modalities'));
  return {
    ...f,
    prefix,
    modalities: MODALITIES.map((m) => ({ value: m, key: `teacher.modality.${m}`, checked: chosen.has(m), inputId: `${prefix}-m-${m}` })),
    levels: LEVELS.map((l) => ({ value: l, key: `teacher.pathwayLevel.${l}`, selected: l === f.level })),
  };
}

function itemView(f: Form, prefix: string) {
  return { ...f, prefix, types: ITEM_TYPES.map((t) => ({ value: t, key: `teacher.itemType.${t}`, selected: t === f.type })) };
}

/** The competency page of the editor: details and prerequisites, pathways and their resources, the item bank. */
export function competencyEditorRoutes(ctx: AppContext): Router {
  const router = Router();
  const guard = teacherGuard(ctx);

  async function render(req: Request, res: Response, unit: StoredUnit, competencyId: unknown, problems: UnitProblem[] = [], draft?: Draft) {
    const { competency: c, index } = competencyIn(unit, competencyId);
    const draftFields = (form: string) => (draft?.form === form ? draft.fields : undefined);
    const details = valuesFor(draft, 'details', {
      title: c.title,
      description: c.description,
      standardCode: c.standard?.code ?? '',
      caseGuid: c.standard?.caseGuid ?? '',
      itemsPerAttempt: String(c.check.itemsPerAttempt),
      passPercent: String(Math.round(c.check.passThreshold * 1000) / 10),
    });
    const prereqs = new Set(draftFields('details') ? list(draft!.fields, 'prerequisites') : c.prerequisites);
    renderTeacher(
      req,
      res,
      'teacher-competency',
      'teacher.competency.title',
      {
        nav: { units: true },
        unitId: unit.id,
        unitTitle: unit.document.title,
        contentLanguage: unit.document.language,
        editable: unit.courseId === scopeOf(req).courseId,
        competency: { id: c.id, index },
        problems,
        details,
        prerequisites: unit.document.competencies
          .filter((o) => o.id !== c.id)
          .map((o, i) => ({ id: o.id, title: o.title, checked: prereqs.has(o.id), inputId: `prereq-${i}` })),
        pathways: c.pathways.map((p, i) => {
          const saved = {
            id: p.id,
            title: p.title,
            description: p.description ?? '',
            level: p.level,
            minutes: String(p.estimatedMinutes),
            resources: JSON.stringify(p.resources, null, 2),
          };
          const d = draftFields(`pathway:${p.id}`);
          return { ...pathwayView(valuesFor(draft, `pathway:${p.id}`, saved), `p${i}`, d ? list(d, 'modalities') : p.modalities), open: Boolean(d) };
        }),
        newOpen: { pathway: Boolean(draftFields('pathway:new')), item: Boolean(draftFields('item:new')) },
        newPathway: pathwayView(
          valuesFor(draft, 'pathway:new', { id: '', title: '', description: '', level: 'core', minutes: '15', resources: '' }),
          'pnew',
          draftFields('pathway:new') ? list(draft!.fields, 'modalities') : ['read'],
        ),
        items: c.check.items.map((item, i) => ({
          ...itemView(valuesFor(draft, `item:${item.id}`, itemForm(item)), `i${i}`),
          open: Boolean(draftFields(`item:${item.id}`)),
        })),
        newItem: itemView(
          valuesFor(draft, 'item:new', {
            id: '',
            type: 'single_choice',
            prompt: '',
            choices: '',
            answer: '',
            tolerance: '',
            unitLabel: '',
            feedbackCorrect: '',
            feedbackIncorrect: '',
          }),
          'inew',
        ),
      },
      { title: c.title },
    );
  }

  router.get('/teacher/units/:unitId/competencies/:competencyId', ...guard, async (req, res) => {
    await render(req, res, await visibleUnit(ctx, scopeOf(req), req.params.unitId), req.params.competencyId);
  });

  /** Runs one edit of the competency and saves it, or shows the page again with its problems. */
  function edit(path: string, form: (req: Request) => string, change: (unit: StoredUnit, ci: number, body: Form, req: Request) => Edit, notice = 'saved') {
    router.post(`/teacher/units/:unitId/competencies/:competencyId${path}`, ...guard, async (req, res) => {
      const unit = await editableUnit(ctx, scopeOf(req), req.params.unitId);
      const { competency, index } = competencyIn(unit, req.params.competencyId);
      const body = (req.body ?? {}) as Form;
      await commitEdit(ctx, res, unit, change(unit, index, body, req), {
        redirect: teacherUrl(res, `/teacher/units/${unit.id}/competencies/${encodeURIComponent(competency.id)}`, { notice }),
        rerender: (p) => render(req, res, unit, competency.id, p, { form: form(req), fields: body }),
      });
    });
  }

  // Each code spelled out, so the catalog test finds it (test/unit/web/error-catalog.test.ts).
  const gone = {
    pathway: () => notFound('pathway_not_found', 'This pathway is not part of the competency.', 'Go back to the competency.'),
    item: () => notFound('item_not_found', 'This item is not part of the competency.', 'Go back to the competency.'),
  };
  const indexOf = <T extends { id: string }>(xs: T[], id: unknown, what: keyof typeof gone) => {
    const i = xs.findIndex((x) => x.id === id);
    if (i < 0) throw gone[what]();
    return i;
  };
  const pathways = (u: StoredUnit, ci: number) => u.document.competencies[ci]!.pathways;
  const items = (u: StoredUnit, ci: number) => u.document.competencies[ci]!.check.items;

  edit(
    '',
    () => 'details',
    (u, ci, body) => applyCompetency(u.document, ci, body),
  );
  edit(
    '/pathways',
    () => 'pathway:new',
    (u, ci, body) => applyPathway(u.document, ci, pathways(u, ci).length, body),
  );
  edit(
    '/pathways/:pathwayId',
    (req) => `pathway:${str(req.params, 'pathwayId')}`,
    (u, ci, body, req) => applyPathway(u.document, ci, indexOf(pathways(u, ci), req.params.pathwayId, 'pathway'), body),
  );
  edit(
    '/pathways/:pathwayId/delete',
    () => 'none',
    (u, ci, _b, req) => removePathway(u.document, ci, indexOf(pathways(u, ci), req.params.pathwayId, 'pathway')),
    'deleted',
  );
  edit(
    '/items',
    () => 'item:new',
    (u, ci, body) => applyItem(u.document, ci, items(u, ci).length, body),
  );
  edit(
    '/items/:itemId',
    (req) => `item:${str(req.params, 'itemId')}`,
    (u, ci, body, req) => applyItem(u.document, ci, indexOf(items(u, ci), req.params.itemId, 'item'), body),
  );
  edit(
    '/items/:itemId/delete',
    () => 'none',
    (u, ci, _b, req) => removeItem(u.document, ci, indexOf(items(u, ci), req.params.itemId, 'item')),
    'deleted',
  );
  return router;
}
