import { Router, type Request, type Response } from 'express';
import type { Item } from '../../../learning/items/item-schema.js';
import { toItemView } from '../../../learning/items/item-view.js';
import { correctAnswer, scoreItem } from '../../../learning/items/score-item.js';
import type { AppContext } from '../../context.js';
import { readAnswers } from '../student/check.js';
import { renderTeacher } from './page.js';
import { competencyIn, scopeOf, teacherGuard, visibleUnit } from './scope.js';

/** The items as a student's check form shows them: built from toItemView, so no key reaches the page. */
function formItems(items: readonly Item[], answers: Record<string, unknown>) {
  return items.map((item, i) => {
    const v = toItemView(item);
    const given = answers[item.id];
    const chosen = new Set(Array.isArray(given) ? given : [given]);
    return {
      ...v,
      n: i + 1,
      field: `answer-${item.id}`,
      choice: v.type === 'single_choice',
      multiple: v.type === 'multiple_select',
      numeric: v.type === 'numeric',
      text: v.type === 'short_text',
      value: typeof given === 'string' ? given : '',
      options: 'options' in v ? v.options.map((o, j) => ({ ...o, inputId: `q${i + 1}-o${j + 1}`, checked: chosen.has(o.id) })) : [],
    };
  });
}

/** "Preview as a student": one item or the whole bank, answered and scored here, never recorded. */
export function previewRoutes(ctx: AppContext): Router {
  const router = Router();
  const guard = teacherGuard(ctx);

  async function show(req: Request, res: Response, scored: boolean) {
    const unit = await visibleUnit(ctx, scopeOf(req), req.params.unitId);
    const { competency } = competencyIn(unit, req.params.competencyId);
    const only =
      typeof req.query.item === 'string'
        ? req.query.item
        : typeof (req.body as Record<string, unknown>)?.item === 'string'
          ? String((req.body as Record<string, unknown>).item)
          : '';
    const items = only ? competency.check.items.filter((i) => i.id === only) : competency.check.items;
    const answers = scored ? readAnswers(items, req.body) : {};
    renderTeacher(
      req,
      res,
      'teacher-preview',
      'teacher.preview.title',
      {
        nav: { units: true },
        unitId: unit.id,
        contentLanguage: unit.document.language,
        competency: { id: competency.id, title: competency.title },
        only,
        count: items.length,
        items: formItems(items, answers),
        results: scored
          ? items.map((item, i) => {
              const r = scoreItem(item, answers[item.id]);
              return { n: i + 1, prompt: item.prompt, correct: r.correct, credit: r.credit, feedback: r.feedback, answer: correctAnswer(item) };
            })
          : null,
      },
      { title: competency.title },
    );
  }

  router.get('/teacher/units/:unitId/competencies/:competencyId/preview', ...guard, (req, res) => show(req, res, false));
  router.post('/teacher/units/:unitId/competencies/:competencyId/preview', ...guard, (req, res) => show(req, res, true));
  return router;
}
