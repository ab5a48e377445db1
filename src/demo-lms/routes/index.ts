import { Router } from 'express';
import { DEMO_BASE_PATH } from '../demo-course.js';
import type { DemoLms } from '../demo-lms.js';
import { demoDeepLinkReturnRoutes } from './deep-link-return.js';
import { demoLaunchRoutes } from './launch.js';
import { demoServiceRoutes } from './services.js';

/** Everything the demo LMS serves, under /demo-lms. Mounted only when demo.enabled is on. */
export function demoLmsRoutes(demo: DemoLms): Router {
  const router = Router();
  const inner = Router();
  inner.use(demoLaunchRoutes(demo));
  inner.use(demoServiceRoutes(demo));
  inner.use(demoDeepLinkReturnRoutes(demo));
  router.use(DEMO_BASE_PATH, inner);
  return router;
}
