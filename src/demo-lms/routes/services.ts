import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { MEDIA_TYPE, SCOPE } from '../../lti/claims.js';
import { DEMO_BASE_PATH, DEMO_COURSE, DEMO_USERS, findDemoUser, fullName } from '../demo-course.js';
import type { DemoLms } from '../demo-lms.js';
import type { DemoLineItem } from '../demo-store.js';
import { DemoOAuthError } from '../service-auth.js';

const lineItemSchema = z.object({
  label: z.string().min(1).max(255),
  scoreMaximum: z.number().positive(),
  resourceId: z.string().max(255).optional(),
  resourceLinkId: z.string().max(255).optional(),
  tag: z.string().max(255).optional(),
});

/** https://www.imsglobal.org/spec/lti-ags/v2p0/#score-publish-service */
const scoreSchema = z
  .object({
    userId: z.string().min(1),
    scoreGiven: z.number().nonnegative().optional(),
    scoreMaximum: z.number().positive().optional(),
    comment: z.string().max(4000).optional(),
    activityProgress: z.enum(['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed']),
    gradingProgress: z.enum(['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady']),
    timestamp: z.iso.datetime({ offset: true }),
  })
  // "If scoreGiven is present, scoreMaximum MUST be present" (ibid.).
  .refine((s) => s.scoreGiven === undefined || s.scoreMaximum !== undefined, { message: 'scoreMaximum is required with scoreGiven' });

const oauthError = (res: Response, err: DemoOAuthError) => {
  if (err.status === 401) res.setHeader('WWW-Authenticate', `Bearer error="${err.error}"`);
  res.status(err.status).json({ error: err.error, error_description: err.message });
};

/** The demo LMS's key set, token endpoint, NRPS and AGS services, each called by Pathwise over HTTP. */
export function demoServiceRoutes(demo: DemoLms): Router {
  const router = Router();
  const json = express.json({ type: ['application/json', 'application/*+json'], limit: '64kb' });

  /** Wraps a service handler: bearer check for `scopes`, OAuth errors as JSON. */
  const service = (scopes: readonly string[], handler: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    try {
      await demo.auth.authorize(req.headers.authorization, scopes);
    } catch (err) {
      if (err instanceof DemoOAuthError) return oauthError(res, err);
      throw err;
    }
    await handler(req, res);
  };
  const lineItemJson = (item: DemoLineItem) => ({
    id: demo.urls.lineItem(item.id),
    label: item.label,
    scoreMaximum: item.scoreMaximum,
    ...(item.resourceId ? { resourceId: item.resourceId } : {}),
    ...(item.resourceLinkId ? { resourceLinkId: item.resourceLinkId } : {}),
    ...(item.tag ? { tag: item.tag } : {}),
  });

  router.get(`${DEMO_BASE_PATH}/jwks`, (_req, res) => {
    res.setHeader('Cache-Control', 'max-age=300');
    res.json(demo.keys.jwks());
  });

  router.post(`${DEMO_BASE_PATH}/token`, async (req, res) => {
    try {
      res.setHeader('Cache-Control', 'no-store');
      res.json(await demo.auth.issue((req.body ?? {}) as Record<string, unknown>));
    } catch (err) {
      if (err instanceof DemoOAuthError) return oauthError(res, err);
      throw err;
    }
  });

  // https://www.imsglobal.org/spec/lti-nrps/v2p0/#membership-container-media-type
  router.get(
    `${DEMO_BASE_PATH}/nrps/memberships`,
    service([SCOPE.nrpsContextMembershipReadOnly], async (req, res) => {
      const role = typeof req.query.role === 'string' ? req.query.role : undefined;
      const members = DEMO_USERS.filter((u) => !role || u.roles.some((r) => r === role || r.endsWith(`#${role}`))).map((u) => ({
        status: 'Active',
        name: fullName(u),
        given_name: u.givenName,
        family_name: u.familyName,
        email: u.email,
        user_id: u.sub,
        roles: u.roles,
      }));
      res
        .type(MEDIA_TYPE.membershipContainer)
        .send(JSON.stringify({ id: demo.urls.memberships, context: { id: DEMO_COURSE.id, label: DEMO_COURSE.label, title: DEMO_COURSE.title }, members }));
    }),
  );

  const readScopes = [SCOPE.agsLineItem, SCOPE.agsLineItemReadOnly];
  // https://www.imsglobal.org/spec/lti-ags/v2p0/#container-request-filters
  router.get(
    `${DEMO_BASE_PATH}/ags/lineitems`,
    service(readScopes, async (req, res) => {
      const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
      const items = await demo.store.lineItems({
        resourceLinkId: str(req.query.resource_link_id),
        resourceId: str(req.query.resource_id),
        tag: str(req.query.tag),
      });
      res.type(MEDIA_TYPE.lineItemContainer).send(JSON.stringify(items.map(lineItemJson)));
    }),
  );

  // https://www.imsglobal.org/spec/lti-ags/v2p0/#creating-a-new-line-item
  router.post(
    `${DEMO_BASE_PATH}/ags/lineitems`,
    json,
    service([SCOPE.agsLineItem], async (req, res) => {
      const body = lineItemSchema.safeParse(req.body);
      if (!body.success) {
        res.status(400).json({ error: 'invalid_request', error_description: 'The line item needs a label and a positive scoreMaximum.' });
        return;
      }
      const { resourceId, resourceLinkId, tag, ...rest } = body.data;
      const item = await demo.store.addLineItem({ ...rest, resourceId: resourceId ?? null, resourceLinkId: resourceLinkId ?? null, tag: tag ?? null });
      res
        .status(201)
        .type(MEDIA_TYPE.lineItem)
        .send(JSON.stringify(lineItemJson(item)));
    }),
  );

  router.get(
    `${DEMO_BASE_PATH}/ags/lineitems/:id`,
    service(readScopes, async (req, res) => {
      const item = await demo.store.findLineItem(String(req.params.id));
      if (!item) {
        res.status(404).json({ error: 'not_found', error_description: 'No such line item.' });
        return;
      }
      res.type(MEDIA_TYPE.lineItem).send(JSON.stringify(lineItemJson(item)));
    }),
  );

  router.post(
    `${DEMO_BASE_PATH}/ags/lineitems/:id/scores`,
    json,
    service([SCOPE.agsScore], async (req, res) => {
      const item = await demo.store.findLineItem(String(req.params.id));
      if (!item) {
        res.status(404).json({ error: 'not_found', error_description: 'No such line item.' });
        return;
      }
      const body = scoreSchema.safeParse(req.body);
      if (!body.success || !findDemoUser(body.data.userId) || findDemoUser(body.data.userId)!.sub !== body.data.userId) {
        res.status(400).json({ error: 'invalid_request', error_description: 'The score is malformed or names no member of the course.' });
        return;
      }
      const s = body.data;
      const timestamp = new Date(s.timestamp);
      const last = await demo.store.lastTimestamp(item.id, s.userId);
      // "The platform MUST NOT update a result if the last timestamp on record is later than the
      // incoming score update. It may inform the tool using a 409" (AGS 2.0, score timestamp).
      if (last && last.getTime() > timestamp.getTime()) {
        res.status(409).json({ error: 'conflict', error_description: 'A newer score for this user is on record.' });
        return;
      }
      await demo.store.addScore({
        lineItemId: item.id,
        userId: s.userId,
        scoreGiven: s.scoreGiven ?? null,
        scoreMaximum: s.scoreMaximum ?? null,
        activityProgress: s.activityProgress,
        gradingProgress: s.gradingProgress,
        comment: s.comment ?? null,
        timestamp,
      });
      res.status(204).end();
    }),
  );

  return router;
}
