import { Router } from 'express';
import type { AppContext } from '../context.js';
import { renderDemoHome } from '../../demo-lms/home.js';

/** GET /: what Pathwise is, for someone who opens it outside an LMS; the demo LMS's home when it is on. */
export function homeRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    if (ctx.demo) return renderDemoHome(ctx.demo, req, res);
    res.render('pages/home', { title: 'Pathwise' });
  });
  return router;
}
