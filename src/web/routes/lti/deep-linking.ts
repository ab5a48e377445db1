import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { MESSAGE_TYPE } from '../../../lti/claims.js';
import { parseChoices, pickerFormSchema } from '../../../lti/deep-linking/choices.js';
import { unitIdFromCustom, unitResourceLink } from '../../../lti/deep-linking/content-items.js';
import { signDeepLinkingResponse, type DeepLinkingResponseInput } from '../../../lti/deep-linking/response.js';
import { acceptsResourceLinks, readDeepLinkingSettings, type DeepLinkingSettings } from '../../../lti/deep-linking/settings.js';
import { LINE_ITEM_TAG, placementResourceId } from '../../../lti/ags/line-items.js';
import { AppError, forbidden, invalid, isAppError } from '../../../shared/errors.js';
import type { SessionRecord } from '../../../store/session-repository.js';
import type { AppContext } from '../../context.js';
import { csrfProtection } from '../../middleware/csrf.js';
import { requireSession } from '../../middleware/session.js';
import { translate } from '../../i18n/index.js';
import { isPickerMistake, pickerError, pickerView, postedValues, teacherInCourse } from './unit-picker.js';

const responseForm = pickerFormSchema.extend({ action: z.enum(['add', 'cancel']).optional() });

/** The session of a deep linking launch by a teacher of a course. */
function deepLinkingSession(req: Request): SessionRecord & { courseId: string } {
  if (req.launchSession!.messageType !== MESSAGE_TYPE.deepLinkingRequest) {
    throw forbidden(
      'not_deep_linking',
      'This page only opens from "add content" in the LMS.',
      'Use the LMS’s "add content" or "external tool" button to place a unit.',
    );
  }
  return teacherInCourse(req);
}

/** Lets this response's form post to the platform's return URL (CSP form-action). */
function allowFormAction(res: Response, url: string): void {
  const csp = String(res.getHeader('Content-Security-Policy') ?? '');
  res.setHeader(
    'Content-Security-Policy',
    csp.replace(/form-action ([^;]*)/, (_m, list: string) => `form-action ${list} ${new URL(url).origin}`),
  );
}

/** The response JWT's common claims for a session (iss = client_id, aud = issuer, deployment_id, data). */
function responseBase(s: SessionRecord, settings: DeepLinkingSettings): Omit<DeepLinkingResponseInput, 'contentItems'> {
  const l = s.launch as { clientId: string; issuer: string; deploymentId: string };
  return { clientId: l.clientId, platformIssuer: l.issuer, deploymentId: l.deploymentId, data: settings.data };
}

/**
 * Deep Linking 2.0 (https://www.imsglobal.org/spec/lti-dl/v2p0/): the unit picker a deep linking
 * launch opens, and the signed LtiDeepLinkingResponse that carries the chosen units back to the LMS.
 */
export function deepLinkingRoutes(ctx: AppContext): Router {
  const router = Router();
  const guard = [requireSession(ctx), csrfProtection()];

  /** The unit this launch edits: the link's custom parameter, else its placement's unit. */
  async function currentUnit(s: SessionRecord & { courseId: string }): Promise<string | undefined> {
    const repo = ctx.placements.repository;
    const named = unitIdFromCustom(s.launch.custom);
    const ref = named ? await repo.findUnitRef(named) : null;
    if (ref && (ref.courseId === s.courseId || ref.courseId === null)) return ref.id;
    return s.placementId ? ((await repo.placementUnitId(s.placementId)) ?? undefined) : undefined;
  }

  async function renderPicker(req: Request, res: Response, settings: DeepLinkingSettings, selected: string[], extra: Record<string, unknown> = {}) {
    const s = deepLinkingSession(req);
    const options = await ctx.placements.pickerOptions({ courseId: s.courseId, userId: s.userId });
    const info = await ctx.launch.contexts.describe(s);
    res.render('pages/deep-linking-picker', {
      title: translate(res.locals.locale as string, 'deepLinking.title'),
      heading: 'deepLinking.title',
      course: info.course,
      action: '/lti/deep-linking/response',
      cancellable: true,
      editing: selected.length > 0 && !extra.error,
      picker: pickerView(options, settings.acceptMultiple, selected, typeof extra.newTitle === 'string' ? extra.newTitle : ''),
      ...extra,
    });
  }

  /** A page explaining the problem, with a button returning an error response to the LMS. */
  async function renderError(res: Response, s: SessionRecord, settings: DeepLinkingSettings, err: AppError) {
    const locale = res.locals.locale as string;
    const error = pickerError(err, locale);
    const jwt = await signDeepLinkingResponse(
      { ...responseBase(s, settings), contentItems: [], errorMsg: error.message, errorLog: `pathwise: ${err.code}` },
      await ctx.keys.signingKey(),
    );
    allowFormAction(res, settings.returnUrl);
    res
      .status(err.kind === 'forbidden' ? 403 : 400)
      .render('pages/deep-linking-error', { title: translate(locale, 'deepLinking.error.title'), error, returnUrl: settings.returnUrl, jwt });
  }

  router.get('/lti/deep-linking', ...guard, async (req, res) => {
    const s = deepLinkingSession(req);
    const settings = readDeepLinkingSettings(s.launch.deepLinkingSettings);
    if (!acceptsResourceLinks(settings)) {
      await renderError(
        res,
        s,
        settings,
        invalid(
          'resource_links_not_accepted',
          'This LMS page does not accept Pathwise activities (LTI resource links).',
          'Add Pathwise from a course module or assignment instead.',
        ),
      );
      return;
    }
    const current = await currentUnit(s);
    await renderPicker(req, res, settings, current ? [`unit:${current}`] : []);
  });

  router.post('/lti/deep-linking/response', ...guard, async (req, res) => {
    const s = deepLinkingSession(req);
    const settings = readDeepLinkingSettings(s.launch.deepLinkingSettings);
    const form = responseForm.safeParse(req.body ?? {});
    if (!form.success) throw invalid('invalid_choice', 'This choice is not one Pathwise offered.', 'Reload the page and choose again.');
    let contentItems: DeepLinkingResponseInput['contentItems'] = [];
    if (form.data.action !== 'cancel') {
      if (!acceptsResourceLinks(settings))
        throw invalid('resource_links_not_accepted', 'This LMS page does not accept Pathwise activities (LTI resource links).');
      try {
        const choices = parseChoices(form.data, { multiple: settings.acceptMultiple });
        if (choices.length === 0) throw invalid('no_unit_chosen', 'No unit was chosen.', 'Choose a unit, or cancel.');
        const locale = res.locals.locale as string;
        const units = await ctx.placements.materialize(choices, { courseId: s.courseId, userId: s.userId, language: locale }, { sessionId: s.id });
        const launchUrl = `${ctx.config.publicUrl}/lti/launch`;
        contentItems = units.map((u) =>
          unitResourceLink(u, {
            launchUrl,
            lineItem: settings.acceptLineItem,
            resourceId: placementResourceId({ unitId: u.id, placementId: '' }),
            tag: LINE_ITEM_TAG,
          }),
        );
        // Editing a placed activity: the link keeps working even when the LMS drops custom parameters.
        if (s.placementId && units.length === 1) await ctx.placements.place(s.placementId, units[0]!.id);
      } catch (err) {
        if (isPickerMistake(err)) {
          res.status(400);
          await renderPicker(req, res, settings, postedValues(form.data), {
            error: pickerError(err, res.locals.locale as string),
            newTitle: form.data.new_title,
          });
          return;
        }
        if (isAppError(err) && err.kind !== 'internal') {
          await renderError(res, s, settings, err);
          return;
        }
        throw err;
      }
    }
    const jwt = await signDeepLinkingResponse({ ...responseBase(s, settings), contentItems }, await ctx.keys.signingKey());
    req.log?.info({ items: contentItems.length, course: s.courseId }, 'deep linking response');
    allowFormAction(res, settings.returnUrl);
    res.render('pages/deep-linking-return', {
      title: translate(res.locals.locale as string, 'deepLinking.return.title'),
      returnUrl: settings.returnUrl,
      jwt,
      cancelled: contentItems.length === 0,
      count: contentItems.length,
    });
  });
  return router;
}
