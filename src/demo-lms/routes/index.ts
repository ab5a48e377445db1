import { Router } from 'express';
import { DEMO_BASE_PATH } from '../demo-course.js';
import type { DemoLms } from '../demo-lms.js';
import { langOf } from '../paths.js';
import { demoDeepLinkReturnRoutes } from './deep-link-return.js';
import { demoLaunchRoutes } from './launch.js';
import { demoServiceRoutes } from './services.js';

/**
 * Everything the demo LMS serves, under /demo-lms (full paths in each router, so request logs
 * show them). Mounted only when demo.enabled is on.
 */
export function demoLmsRoutes(demo: DemoLms): Router {
  const router = Router();
  // The README and the start-up line name the demo by /demo-lms (also its issuer): its home page is /.
  router.get(DEMO_BASE_PATH, (req, res) => {
    res.redirect(302, `/?lang=${langOf(req.query.lang)}`);
  });
  router.use(demoLaunchRoutes(demo));
  router.use(demoServiceRoutes(demo));
  router.use(demoDeepLinkReturnRoutes(demo));
  return router;
}
