import type { Request, Response } from 'express';
import { MEDIA_TYPE, SCOPE } from '../../src/lti/claims.js';
import type { FakePlatform } from './fake-platform.js';
import type { FakeTokenEndpoint } from './fake-services.js';

/** A line item held by the fake, https://www.imsglobal.org/spec/lti-ags/v2p0/#line-item-service */
export interface FakeLineItem {
  id: string;
  label: string;
  scoreMaximum: number;
  resourceId?: string;
  resourceLinkId?: string;
  tag?: string;
}

export interface FakeScore {
  userId: string;
  scoreGiven?: number;
  scoreMaximum?: number;
  activityProgress: string;
  gradingProgress: string;
  timestamp: string;
  comment?: string;
  [extension: string]: unknown;
}

export interface FakeAgs {
  /** The `lineitems` URL for the launch's AGS claim. */
  lineitemsUrl: string;
  lineItems: FakeLineItem[];
  /** Accepted scores, oldest first. */
  scores: Array<{ lineItemId: string; score: FakeScore }>;
  /** Every score POST that reached the endpoint (refused ones included). */
  scorePosts: number;
  lineItemGets: number;
  lineItemPosts: number;
  /** Scores whose timestamp was not after the last accepted one for that line item and user. */
  outOfOrder: number;
  /** Refuse the next `n` score posts with `status` (503 by default), optionally with Retry-After. */
  failNextScores(n: number, status?: number, retryAfter?: string, body?: unknown): void;
  /** Answer the next service call with 401 (an early-revoked token). */
  unauthorizedOnce(): void;
  /** Answers GET lineitems without applying the filters (some platforms do). */
  ignoreFilters: boolean;
  /** Line items per page of the container (Link rel="next" beyond). */
  pageSize: number;
  /** Delay before answering each score post (to catch deliveries in flight). */
  scoreDelayMs: number;
  addLineItem(item: Omit<FakeLineItem, 'id'>): FakeLineItem;
  scoresFor(lineItemId: string, userId: string): FakeScore[];
}

/**
 * Adds AGS line items and scores to a fake platform: GET/POST `lineitems` (filters resource_link_id,
 * resource_id, tag; paged), POST `{lineitem}/scores`. Checks media types (415/406) and, with
 * `tokens`, that the bearer token was granted the scope the call needs (401 otherwise).
 */
export function addAgs(fake: FakePlatform, options: { tokens?: FakeTokenEndpoint; contextId?: string } = {}): FakeAgs {
  const base = `/ags/${encodeURIComponent(options.contextId ?? 'course-1')}/lineitems`;
  let failures: { n: number; status: number; retryAfter?: string; body?: unknown } = { n: 0, status: 503 };
  let unauthorized = 0;
  const last = new Map<string, number>();
  const ags: FakeAgs = {
    get lineitemsUrl() {
      return fake.url(base);
    },
    lineItems: [],
    scores: [],
    scorePosts: 0,
    lineItemGets: 0,
    lineItemPosts: 0,
    outOfOrder: 0,
    ignoreFilters: false,
    pageSize: 10,
    scoreDelayMs: 0,
    failNextScores(n, status = 503, retryAfter, body) {
      failures = { n, status, retryAfter, body };
    },
    unauthorizedOnce() {
      unauthorized = 1;
    },
    addLineItem(item) {
      const created = { ...item, id: fake.url(`${base}/${ags.lineItems.length + 1}`) };
      ags.lineItems.push(created);
      return created;
    },
    scoresFor(lineItemId, userId) {
      return ags.scores.filter((s) => s.lineItemId === lineItemId && s.score.userId === userId).map((s) => s.score);
    },
  };

  const authorized = (req: Request, res: Response, scopes: string[]): boolean => {
    const auth = req.headers.authorization;
    const ok = unauthorized === 0 && (options.tokens ? scopes.some((s) => options.tokens!.allows(auth, s)) : /^Bearer \S+$/.test(auth ?? ''));
    if (unauthorized > 0) unauthorized -= 1;
    if (!ok) res.status(401).json({ error: 'invalid_token' });
    return ok;
  };

  fake.app.get(base, (req, res) => {
    ags.lineItemGets += 1;
    if (!authorized(req, res, [SCOPE.agsLineItem, SCOPE.agsLineItemReadOnly])) return;
    if (!String(req.headers.accept ?? '').includes(MEDIA_TYPE.lineItemContainer)) return void res.status(406).end();
    const q = req.query as Record<string, string | undefined>;
    const items = ags.lineItems.filter(
      (i) =>
        ags.ignoreFilters ||
        ((!q.resource_link_id || i.resourceLinkId === q.resource_link_id) && (!q.resource_id || i.resourceId === q.resource_id) && (!q.tag || i.tag === q.tag)),
    );
    const page = Number(q.page ?? 0) || 0;
    if ((page + 1) * ags.pageSize < items.length) {
      const next = new URL(fake.url(base + req.url.slice(req.path.length)));
      next.searchParams.set('page', String(page + 1));
      res.setHeader('Link', `<${next.toString()}>; rel="next"`);
    }
    res.type(MEDIA_TYPE.lineItemContainer).send(JSON.stringify(items.slice(page * ags.pageSize, (page + 1) * ags.pageSize)));
  });

  fake.app.post(base, (req, res) => {
    ags.lineItemPosts += 1;
    if (!authorized(req, res, [SCOPE.agsLineItem])) return;
    if (!req.is(MEDIA_TYPE.lineItem)) return void res.status(415).end();
    const body = req.body as Partial<FakeLineItem>;
    if (typeof body.label !== 'string' || !(Number(body.scoreMaximum) > 0)) return void res.status(400).json({ error: 'label and scoreMaximum are required' });
    const created = ags.addLineItem({
      label: body.label,
      scoreMaximum: Number(body.scoreMaximum),
      resourceId: body.resourceId,
      resourceLinkId: body.resourceLinkId,
      tag: body.tag,
    });
    res.status(201).type(MEDIA_TYPE.lineItem).send(JSON.stringify(created));
  });

  fake.app.post(`${base}/:item/scores`, async (req, res) => {
    ags.scorePosts += 1;
    if (ags.scoreDelayMs > 0) await new Promise((r) => setTimeout(r, ags.scoreDelayMs));
    if (!authorized(req, res, [SCOPE.agsScore])) return;
    const lineItemId = fake.url(`${base}/${req.params.item}`);
    if (!ags.lineItems.some((i) => i.id === lineItemId)) return void res.status(404).json({ error: 'no such line item' });
    if (!req.is(MEDIA_TYPE.score)) return void res.status(415).end();
    if (failures.n > 0) {
      failures.n -= 1;
      if (failures.retryAfter) res.setHeader('Retry-After', failures.retryAfter);
      return void res.status(failures.status).json(failures.body ?? { error: 'try again later' });
    }
    const score = req.body as FakeScore;
    const at = Date.parse(score?.timestamp ?? '');
    if (!score?.userId || Number.isNaN(at) || !score.activityProgress || !score.gradingProgress) {
      return void res.status(400).json({ error: 'userId, timestamp, activityProgress and gradingProgress are required' });
    }
    const problem = scoreShapeProblem(score);
    if (problem) return void res.status(400).json({ error: problem });
    const key = `${lineItemId} ${score.userId}`;
    if (at <= (last.get(key) ?? -Infinity)) ags.outOfOrder += 1;
    last.set(key, Math.max(at, last.get(key) ?? -Infinity));
    ags.scores.push({ lineItemId, score });
    res.status(200).json({});
  });
  return ags;
}

const ACTIVITY_PROGRESS = ['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed'];
const GRADING_PROGRESS = ['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady'];
/** ISO 8601 with sub-second precision and a zone (Z or ±hh:mm), as the score service asks. */
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+(?:Z|[+-]\d\d:\d\d)$/;

/**
 * What a strict platform (or the certification suite) refuses in a score,
 * https://www.imsglobal.org/spec/lti-ags/v2p0/#score-publish-service : the two progress values
 * from their vocabularies, the timestamp's form, scoreMaximum with scoreGiven, numbers not
 * below 0; and, as Pathwise never gives extra credit, scoreGiven not above scoreMaximum.
 */
export function scoreShapeProblem(score: FakeScore): string | null {
  if (!ACTIVITY_PROGRESS.includes(score.activityProgress)) return `activityProgress ${score.activityProgress} is not in the vocabulary`;
  if (!GRADING_PROGRESS.includes(score.gradingProgress)) return `gradingProgress ${score.gradingProgress} is not in the vocabulary`;
  if (!TIMESTAMP.test(score.timestamp)) return `timestamp ${score.timestamp} lacks sub-second precision or a zone`;
  if (score.scoreGiven === undefined) return score.scoreMaximum === undefined || score.scoreMaximum > 0 ? null : 'scoreMaximum must be above 0';
  if (typeof score.scoreGiven !== 'number' || score.scoreGiven < 0) return 'scoreGiven must be a number, at least 0';
  if (typeof score.scoreMaximum !== 'number' || !(score.scoreMaximum > 0)) return 'scoreMaximum is required with scoreGiven and must be above 0';
  if (score.scoreGiven > score.scoreMaximum) return 'scoreGiven is above scoreMaximum';
  return null;
}
