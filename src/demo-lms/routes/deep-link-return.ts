import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { z } from 'zod';
import { CLAIM, CONTENT_ITEM_TYPE, MESSAGE_TYPE } from '../../lti/claims.js';
import { invalid } from '../../shared/errors.js';
import { resolveLocale, translate } from '../../web/i18n/index.js';
import { DEMO_BASE_PATH, DEMO_CLIENT_ID, DEMO_DEPLOYMENT_ID, DEMO_USERS } from '../demo-course.js';
import type { DemoLms } from '../demo-lms.js';
import { coursePath } from '../paths.js';

/** The parts of an ltiResourceLink content item the demo keeps, https://www.imsglobal.org/spec/lti-dl/v2p0/#lti-resource-link */
const resourceLinkSchema = z.object({
  type: z.literal(CONTENT_ITEM_TYPE.ltiResourceLink),
  title: z.string().max(255).optional(),
  custom: z.record(z.string(), z.string()).optional(),
  lineItem: z
    .object({
      label: z.string().max(255).optional(),
      scoreMaximum: z.number().positive(),
      resourceId: z.string().max(255).optional(),
      tag: z.string().max(255).optional(),
    })
    .optional(),
});

const refused = () =>
  invalid(
    'demo_invalid_deep_linking_response',
    'The demo LMS could not verify the content Pathwise sent back.',
    'Go back to the demo course and place the unit again.',
  );

/**
 * The deep linking return URL: verifies the LtiDeepLinkingResponse (signed by Pathwise's key, iss =
 * our client id, aud = the demo issuer, our deployment, https://www.imsglobal.org/spec/lti-dl/v2p0/#deep-linking-response-message)
 * and adds each resource link to the demo course, with its gradebook column when it asks for one
 * (https://www.imsglobal.org/spec/lti-dl/v2p0/#line-item).
 */
export function demoDeepLinkReturnRoutes(demo: DemoLms): Router {
  const router = Router();
  router.post(`${DEMO_BASE_PATH}/deep-link-return`, async (req, res) => {
    const jwt = (req.body as Record<string, unknown> | undefined)?.JWT;
    if (typeof jwt !== 'string') throw refused();
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(jwt, createLocalJWKSet(await demo.toolJwks()), {
        issuer: DEMO_CLIENT_ID,
        audience: demo.urls.issuer,
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'iat', 'nonce'],
      }));
    } catch {
      throw refused();
    }
    if (payload[CLAIM.messageType] !== MESSAGE_TYPE.deepLinkingResponse || payload[CLAIM.deploymentId] !== DEMO_DEPLOYMENT_ID) throw refused();
    const items = Array.isArray(payload[CLAIM.contentItems]) ? (payload[CLAIM.contentItems] as unknown[]) : [];
    const placed: string[] = [];
    let firstLink: string | undefined;
    for (const raw of items) {
      const item = resourceLinkSchema.safeParse(raw);
      if (!item.success) continue;
      const title = item.data.title || item.data.lineItem?.label || 'Pathwise';
      const linkId = `link-${randomUUID()}`;
      const line = item.data.lineItem;
      const lineItem = line
        ? await demo.store.addLineItem({
            label: line.label ?? title,
            scoreMaximum: line.scoreMaximum,
            resourceId: line.resourceId ?? null,
            resourceLinkId: linkId,
            tag: line.tag ?? null,
          })
        : null;
      await demo.store.addLink({ id: linkId, title, custom: item.data.custom ?? {}, lineItemId: lineItem?.id ?? null });
      placed.push(title);
      firstLink ??= linkId;
    }
    const locale = resolveLocale(typeof req.query.lang === 'string' ? req.query.lang : 'en');
    res.locals.locale = locale;
    const teacher = DEMO_USERS.find((u) => u.teacher)!;
    const msg = payload[CLAIM.dlMsg] ?? payload[CLAIM.dlErrorMsg];
    res.render('pages/demo-placed', {
      title: translate(locale, 'demo.placed.title'),
      placed,
      message: typeof msg === 'string' ? msg : undefined,
      openHref: firstLink ? coursePath({ user: teacher.key, link: firstLink, message: 'resource', lang: locale === 'es' ? 'es' : 'en' }) : undefined,
      homeHref: `/?lang=${locale}`,
    });
  });
  return router;
}
