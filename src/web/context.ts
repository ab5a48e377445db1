import type { Config } from '../config/schema.js';
import type { Database } from '../store/database.js';
import type { Logger } from '../shared/logger.js';
import type { ToolKeys } from '../lti/keys/tool-keys.js';
import type { DynamicRegistration } from '../lti/registration/dynamic-registration.js';
import type { PlatformRepository } from '../store/platform-repository.js';
import type { LaunchService } from '../lti/launch/launch-service.js';
import type { RosterSync } from '../lti/nrps/roster-sync.js';
import type { RosterRepository } from '../store/roster-repository.js';
import type { ServiceTokens } from '../lti/services/access-token.js';
import type { OutboxWorker } from '../lti/ags/outbox-worker.js';
import type { PlacementService } from '../store/placement-service.js';
import type { LearningService } from '../store/learning-service.js';
import type { DemoLms } from '../demo-lms/demo-lms.js';
import type { PrivacyService } from '../store/privacy-service.js';
import type { AdminSessions } from '../store/admin-sessions.js';
import type { RateLimitRepository } from '../store/rate-limit-repository.js';

/**
 * What the web layer is given. main.ts builds it; tests build it with the same function.
 * Each area adds the use cases it needs here.
 */
export interface AppContext {
  config: Config;
  db: Database;
  logger: Logger;
  /** Origins of registered platforms, for frame-ancestors and form-action (cached, see PlatformOriginsCache). */
  platformOrigins(): Promise<string[]>;
  /** Origins of one platform: what a page of that platform's launch session may be framed by. */
  platformOriginsFor(platformId: string): Promise<string[]>;
  /** The tool's key set: signing key, public JWKS, rotation. */
  keys: ToolKeys;
  /** Registered platforms (LMS registrations) and their deployments. */
  platforms: PlatformRepository;
  /** LTI Dynamic Registration: invites and the registration itself. */
  dynamicRegistration: DynamicRegistration;
  /** LTI 1.3 OIDC login, launch validation and launch sessions. */
  launch: LaunchService;
  /** Course rosters (NRPS) and the class list teacher views show. */
  roster: RosterRepository;
  rosterSync: RosterSync;
  /** OAuth 2 service tokens for AGS/NRPS calls (cached per platform and scope set). */
  serviceTokens: ServiceTokens;
  /** The grade outbox worker: `kick()` after committing an enqueueScore. */
  outbox: OutboxWorker;
  /** The learning use cases (units, pathways, attempts, mastery), each in its own transaction. */
  learning: LearningService;
  /** Deep linking placements: the unit picker's options, unit copies, a link's unit. */
  placements: PlacementService;
  /** Student data requests (export, delete), retention and the audit log. */
  privacy: PrivacyService;
  /** Admin console sessions and the operator sign-in lock-out. */
  adminSessions: AdminSessions;
  /** Failed requests per address (rate limits shared by every instance). */
  rateLimits: RateLimitRepository;
  /** The built-in demo LMS (config demo.enabled); absent when it is off. */
  demo?: DemoLms;
}
