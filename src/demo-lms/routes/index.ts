import { Router } from 'express';
import type { DemoLms } from '../demo-lms.js';
import { demoDeepLinkReturnRoutes } from './deep-link-return.js';
import { demoLaunchRoutes } from './launch.js';
import { demoServiceRoutes } from './services.js';

/**
 * Everything the demo LMS serves, under /demo-lms (full paths in each router, so request logs
 * show them). Mounted only when demo.enabled is on.
 */
export function demoLmsRoutes(demo: DemoLms): Router {
  const router = Router();
  router.use(demoLaunchRoutes(demo));
  router.use(demoServiceRoutes(demo));
  router.use(demoDeepLinkReturnRoutes(demo));
  return router;
}
