import type { Response } from 'express';
import { parseUnit, type UnitProblem } from '../../../learning/unit-import.js';
import type { StoredUnit } from '../../../learning/ports.js';
import { UnitRepository } from '../../../store/unit-repository.js';
import type { AppContext } from '../../context.js';
import type { Edit } from '../../view-models/teacher-unit-forms.js';

/** A form the page re-shows after a refused save: which one, and what was typed into it. */
export interface Draft {
  form: string;
  fields: Record<string, unknown>;
}

/**
 * Saves an edited unit document when the form and the whole document are valid; otherwise the
 * page is shown again (400) with every problem and its JSON path, and nothing is saved.
 */
export async function commitEdit(
  ctx: AppContext,
  res: Response,
  unit: StoredUnit,
  edit: Edit,
  then: { redirect: string; rerender: (problems: UnitProblem[]) => Promise<void> },
): Promise<void> {
  const parsed = edit.problems.length ? null : parseUnit(edit.doc);
  const problems = parsed ? (parsed.ok ? [] : parsed.problems) : edit.problems;
  if (problems.length || !parsed?.ok) {
    res.status(400);
    await then.rerender(problems);
    return;
  }
  await new UnitRepository(ctx.db).update(unit.id, parsed.unit);
  // A competency added or removed, or a new score policy, changes unit scores the gradebook holds;
  // a new mastery method or threshold changes the students' levels themselves.
  await ctx.learning.rescoreUnit(unit.id, { recompute: JSON.stringify(parsed.unit.mastery) !== JSON.stringify(unit.document.mastery) });
  res.redirect(303, then.redirect);
}

/** Form values: the draft's when that form was refused, else the saved ones. */
export function valuesFor<T extends Record<string, unknown>>(draft: Draft | undefined, form: string, saved: T): T {
  return draft?.form === form ? ({ ...saved, ...draft.fields } as T) : saved;
}
