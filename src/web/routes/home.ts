import { Router } from 'express';
import type { AppContext } from '../context.js';

/** GET /: what Pathwise is, for someone who opens it outside an LMS. */
export function homeRoutes(_ctx: AppContext): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.render('pages/home', { title: 'Pathwise' });
  });
  return router;
}
