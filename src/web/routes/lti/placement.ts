import { Router, type Request, type Response } from 'express';
import { MESSAGE_TYPE } from '../../../lti/claims.js';
import { teachesCourse } from '../../../lti/course-role.js';
import { parseChoices, pickerFormSchema } from '../../../lti/deep-linking/choices.js';
import { unitIdFromCustom } from '../../../lti/deep-linking/content-items.js';
import { invalid } from '../../../shared/errors.js';
import type { PlacementUnit } from '../../../store/placement-repository.js';
import type { AppContext } from '../../context.js';
import { csrfProtection, csrfTokenFor } from '../../middleware/csrf.js';
import { requireSession } from '../../middleware/session.js';
import { translate } from '../../i18n/index.js';
import { isPickerMistake, pickerError, pickerView, postedValues, teacherInCourse } from './unit-picker.js';

/**
 * Resolves the unit of a resource link launch before its landing page renders (see
 * resolvePlacement). Returns the unit, null when the launch is not a resource link in a course, or
 * 'handled' when the link has no unit and this answered: a teacher gets the unit picker, a student
 * a friendly "not ready yet" page. `view` is the landing page's data (course, placement, user, role);
 * `known` is the placement's unit as the landing page read it with its titles.
 */
export async function placementGate(
  ctx: AppContext,
  req: Request,
  res: Response,
  view: Record<string, unknown>,
  known: PlacementUnit | null,
): Promise<PlacementUnit | null | 'handled'> {
  const s = req.launchSession!;
  if (s.messageType !== MESSAGE_TYPE.resourceLink || !s.placementId || !s.courseId) return null;
  const teacher = teachesCourse(s.roles);
  const customUnitId = unitIdFromCustom(s.launch.custom);
  // The LMS names no unit, or the one the placement already points at: resolvePlacement would
  // answer with the placement's unit (rules 1 and 3) or "unplaced" and record nothing, so the unit
  // read with the page's titles is the answer, without another query.
  const settled = !customUnitId || (known !== null && customUnitId === known.id && (known.courseId === s.courseId || known.courseId === null));
  if (settled && known) return known;
  if (!settled) {
    const outcome = await ctx.placements.resolve({
      placementId: s.placementId,
      courseId: s.courseId,
      platformId: s.platformId,
      userId: s.userId,
      teacher,
      customUnitId,
    });
    if (outcome.status === 'placed') return ctx.placements.repository.findUnit(outcome.unitId);
  }
  if (teacher) {
    // Rendered in place (no redirect): this GET carries no CSRF check, so the form gets its token here.
    res.locals.csrfToken = csrfTokenFor(res.locals.sessionToken as string);
    await renderPlacementPicker(ctx, res, { courseId: s.courseId, userId: s.userId }, [], view);
  } else {
    res.render('pages/placement-not-ready', { ...view, title: translate(res.locals.locale as string, 'placement.notReady.title') });
  }
  return 'handled';
}

/** The picker in placement mode: one unit, stored on the placement (POST /lti/placement). */
async function renderPlacementPicker(
  ctx: AppContext,
  res: Response,
  who: { courseId: string; userId: string },
  selected: string[],
  view: Record<string, unknown>,
) {
  const options = await ctx.placements.pickerOptions(who);
  res.render('pages/deep-linking-picker', {
    ...view,
    title: translate(res.locals.locale as string, 'placement.pick.title'),
    heading: 'placement.pick.title',
    intro: 'placement.pick.intro',
    action: '/lti/placement',
    cancellable: false,
    // Before any unit is placed, the teacher can still look at the class (the roster came with the launch).
    classLink: true,
    picker: pickerView(options, false, selected, typeof view.newTitle === 'string' ? view.newTitle : ''),
  });
}

/** A teacher's resource link launch in a course with its placement. */
function placementSession(req: Request) {
  const s = teacherInCourse(req);
  if (s.messageType !== MESSAGE_TYPE.resourceLink || !s.placementId) {
    throw invalid('no_placement', 'This page opens from an activity link in a course.', 'Open the Pathwise activity from your course.');
  }
  return s as typeof s & { placementId: string };
}

/** The unit picker for a link that points at no unit yet: the pick is stored on the placement, no JWT. */
export function placementRoutes(ctx: AppContext): Router {
  const router = Router();
  const guard = [requireSession(ctx), csrfProtection()];

  async function render(req: Request, res: Response, selected: string[], extra: Record<string, unknown> = {}) {
    const s = placementSession(req);
    const info = await ctx.launch.contexts.describe(s);
    await renderPlacementPicker(ctx, res, { courseId: s.courseId, userId: s.userId }, selected, {
      course: info.course,
      placement: info.placement,
      user: info.user,
      ...extra,
    });
  }

  router.get('/lti/placement', ...guard, async (req, res) => {
    const s = placementSession(req);
    const current = await ctx.placements.repository.placementUnitId(s.placementId);
    await render(req, res, current ? [`unit:${current}`] : []);
  });

  router.post('/lti/placement', ...guard, async (req, res) => {
    const s = placementSession(req);
    const form = pickerFormSchema.safeParse(req.body ?? {});
    if (!form.success) throw invalid('invalid_choice', 'This choice is not one Pathwise offered.', 'Reload the page and choose again.');
    try {
      const choices = parseChoices(form.data, { multiple: false });
      if (choices.length === 0) throw invalid('no_unit_chosen', 'No unit was chosen.', 'Choose a unit for this activity.');
      const [unit] = await ctx.placements.materialize(choices, { courseId: s.courseId, userId: s.userId, language: res.locals.locale as string });
      await ctx.placements.place(s.placementId, unit!.id);
    } catch (err) {
      if (!isPickerMistake(err)) throw err;
      res.status(400);
      await render(req, res, postedValues(form.data), { error: pickerError(err, res.locals.locale as string), newTitle: form.data.new_title });
      return;
    }
    res.redirect(303, `/lti/home?${String(res.locals.sessionQuery)}`);
  });
  return router;
}
