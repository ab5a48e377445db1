import { Router } from 'express';
import { z } from 'zod';
import { notFound } from '../../../shared/errors.js';
import { enqueueScore } from '../../../store/grade-outbox.js';
import type { AppContext } from '../../context.js';
import { adminAuth } from '../../middleware/admin-auth.js';
import { parseOrThrow } from './validate.js';

const scoreSchema = z
  .object({
    placementId: z.uuid(),
    userId: z.uuid(),
    scoreGiven: z.number().min(0),
    scoreMaximum: z.number().positive(),
    activityProgress: z.enum(['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed']).default('Completed'),
    gradingProgress: z.enum(['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady']).default('FullyGraded'),
    comment: z.string().max(1000).optional(),
  })
  .refine((s) => s.scoreGiven <= s.scoreMaximum, { message: 'must not exceed scoreMaximum', path: ['scoreGiven'] });

/**
 * TEMPORARY: POST /admin/api/scores queues a score for a student, to exercise grade sync until
 * the learning engine records scores itself. Remove this route when the engine lands.
 */
export function scoreAdminRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post('/admin/api/scores', adminAuth(ctx.config.adminToken), async (req, res) => {
    const score = parseOrThrow(scoreSchema, req.body);
    const outboxId = await ctx.db.transaction(async (tx) => {
      const found = await tx.query<{ placement: boolean; user: boolean }>(
        `select exists (select 1 from placements where id = $1) as placement,
           exists (select 1 from users where id = $2) as "user"`,
        [score.placementId, score.userId],
      );
      if (!found.rows[0]?.placement) throw notFound('placement_not_found', 'There is no placement with this id.');
      if (!found.rows[0]?.user) throw notFound('user_not_found', 'There is no user with this id.');
      await enqueueScore(tx, score);
      const row = await tx.query<{ id: string }>('select id from grade_outbox where placement_id = $1 and user_id = $2', [
        score.placementId,
        score.userId,
      ]);
      return row.rows[0]!.id;
    });
    ctx.outbox.kick();
    req.log.info({ outboxId, placementId: score.placementId }, 'score queued by admin');
    res.status(202).json({ outboxId, status: 'waiting' });
  });
  return router;
}
