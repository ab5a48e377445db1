import { Router } from 'express';
import type { AppContext } from '../context.js';
import { renderDemoHome } from '../../demo-lms/home.js';
import { browserLocale } from '../i18n/index.js';

/** GET /: what Pathwise is, for someone who opens it outside an LMS; the demo LMS's home when it is on. */
export function homeRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    if (ctx.demo) return renderDemoHome(ctx.demo, req, res);
    // Someone who opens Pathwise outside an LMS (an evaluator, an admin) reads it in their browser's language.
    res.locals.locale = browserLocale(req);
    res.render('pages/home', {});
  });
  return router;
}
