import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { invalid, notFound } from '../../shared/errors.js';
import { translate } from '../../web/i18n/index.js';
import { DEMO_BASE_PATH, DEMO_CLIENT_ID, DEMO_COURSE, DEMO_DEPLOYMENT_ID, findDemoUser, fullName, type DemoUser } from '../demo-course.js';
import type { DemoLms } from '../demo-lms.js';
import type { DemoLink } from '../demo-store.js';
import { demoLaunchClaims, signDemoIdToken, type DemoMessage } from '../id-token.js';
import { coursePath, launchPath, messageHint, openQuerySchema, parseMessageHint, type DemoOpen } from '../paths.js';

const unknownUser = () => notFound('demo_unknown_user', 'There is no such user in the demo course.', 'Go back to the demo home page and pick a user.');

/** Reads who opens what; a student cannot place units, and a missing link means the first one. */
async function readOpen(demo: DemoLms, raw: unknown): Promise<{ open: DemoOpen; user: DemoUser; link: DemoLink | null }> {
  const parsed = openQuerySchema.safeParse(raw);
  const user = parsed.success ? findDemoUser(parsed.data.user) : undefined;
  if (!parsed.success || !user) throw unknownUser();
  const open: DemoOpen = { ...parsed.data, user: user.key };
  if (open.message === 'deep_linking') {
    if (!user.teacher) throw invalid('demo_teacher_only', 'Only the teacher can place units in the demo course.');
    return { open: { ...open, link: undefined }, user, link: null };
  }
  const link = open.link ? await demo.store.findLink(open.link) : ((await demo.store.links())[0] ?? null);
  if (!link) throw notFound('demo_unknown_link', 'There is no such activity in the demo course.', 'Go back to the demo home page.');
  return { open: { ...open, link: link.id }, user, link };
}

const authSchema = z.object({
  scope: z.string().optional(),
  response_type: z.string().optional(),
  response_mode: z.string().optional(),
  prompt: z.string().optional(),
  client_id: z.string().optional(),
  redirect_uri: z.string().optional(),
  login_hint: z.string().optional(),
  lti_message_hint: z.string().optional(),
  state: z.string().max(1024).optional(),
  nonce: z.string().max(1024).optional(),
});

/** The demo course page, the start of a launch (login initiation) and the OIDC authorization endpoint. */
export function demoLaunchRoutes(demo: DemoLms): Router {
  const router = Router();

  // The LMS page around the tool: course navigation and Pathwise in an iframe, as LMSs show tools.
  router.get(`${DEMO_BASE_PATH}/course`, async (req, res) => {
    const { open, user, link } = await readOpen(demo, req.query);
    res.locals.locale = open.lang;
    const links = (await demo.store.links()).map((l) => ({
      title: l.title,
      href: coursePath({ ...open, message: 'resource', link: l.id }),
      current: open.message === 'resource' && l.id === link?.id,
    }));
    res.render('pages/demo-course', {
      title: translate(open.lang, 'demo.course.pageTitle', { course: DEMO_COURSE.title }),
      course: DEMO_COURSE,
      userName: fullName(user),
      roleKey: user.teacher ? 'demo.role.teacher' : 'demo.role.student',
      links,
      placing: open.message === 'deep_linking',
      activityTitle: link?.title,
      frameSrc: launchPath(open),
      homeHref: `/?lang=${open.lang}`,
    });
  });

  // Third-party initiated login: https://www.imsglobal.org/spec/security/v1p0/#step-1-third-party-initiated-login
  router.get(`${DEMO_BASE_PATH}/launch`, async (req, res) => {
    const { open, user } = await readOpen(demo, req.query);
    const login = new URL(demo.urls.toolLogin);
    login.search = new URLSearchParams({
      iss: demo.urls.issuer,
      login_hint: user.key,
      target_link_uri: demo.urls.toolLaunch,
      client_id: DEMO_CLIENT_ID,
      lti_deployment_id: DEMO_DEPLOYMENT_ID,
      lti_message_hint: messageHint(open),
    }).toString();
    res.redirect(302, login.toString());
  });

  // Authentication request → response: https://www.imsglobal.org/spec/security/v1p0/#step-2-authentication-request
  router.get(`${DEMO_BASE_PATH}/auth`, async (req, res) => {
    const q = authSchema.safeParse(req.query);
    const p = q.success ? q.data : {};
    // The redirect URI must be the registered one, or the id_token could be posted anywhere.
    if (p.client_id !== DEMO_CLIENT_ID) throw invalid('demo_unknown_client', 'The demo LMS does not know this client_id.');
    if (p.redirect_uri !== demo.urls.toolLaunch) throw invalid('demo_invalid_redirect_uri', 'The redirect_uri is not the one registered for Pathwise.');
    const bad = [
      p.scope !== 'openid' && 'scope',
      p.response_type !== 'id_token' && 'response_type',
      p.response_mode !== 'form_post' && 'response_mode',
      p.prompt !== 'none' && 'prompt',
      !p.state && 'state',
      !p.nonce && 'nonce',
    ].filter(Boolean);
    if (bad.length > 0)
      throw invalid('demo_invalid_auth_request', `The authentication request is incomplete or wrong: ${bad.join(', ')}.`, undefined, undefined, {
        fields: bad.join(', '),
      });
    const user = findDemoUser(p.login_hint);
    if (!user) throw unknownUser();
    const hint = parseMessageHint(p.lti_message_hint);
    if (!hint) throw invalid('demo_invalid_message_hint', 'The lti_message_hint is not one the demo LMS issued.');
    let message: DemoMessage;
    if (hint.message === 'deep_linking' && user.teacher) {
      message = { kind: 'deep_linking', data: randomBytes(12).toString('base64url') };
    } else {
      const link = hint.link ? await demo.store.findLink(hint.link) : null;
      if (!link) throw notFound('demo_unknown_link', 'There is no such activity in the demo course.');
      message = { kind: 'resource', link };
    }
    const claims = demoLaunchClaims({
      user,
      message,
      nonce: p.nonce!,
      locale: hint.lang,
      urls: demo.urls,
      returnUrl: `${new URL(demo.urls.toolLaunch).origin}/?lang=${hint.lang}`,
    });
    const idToken = await signDemoIdToken(claims, user, demo.urls, demo.keys.signingKey());
    res.locals.locale = hint.lang;
    res.setHeader('Cache-Control', 'no-store');
    res.render('pages/demo-auto-post', {
      title: translate(hint.lang, 'demo.autoPost.title'),
      action: demo.urls.toolLaunch,
      idToken,
      state: p.state,
    });
  });

  return router;
}
