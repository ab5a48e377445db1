import type { JWK } from 'jose';
import type { Config } from '../config/schema.js';
import type { Logger } from '../shared/logger.js';
import type { Database } from '../store/database.js';
import type { LearningService } from '../store/learning-service.js';
import { SAMPLE_UNITS } from '../store/learning-service.js';
import type { PlatformRepository } from '../store/platform-repository.js';
import { UnitRepository } from '../store/unit-repository.js';
import { UNIT_CUSTOM_PARAM } from '../lti/deep-linking/content-items.js';
import { LINE_ITEM_TAG } from '../lti/ags/line-items.js';
import { DEMO_CLIENT_ID, DEMO_DEPLOYMENT_ID, demoUrls, type DemoUrls } from './demo-course.js';
import { DemoKeys } from './demo-keys.js';
import { DemoStore } from './demo-store.js';
import { DemoServiceAuth } from './service-auth.js';

export interface DemoLmsDeps {
  db: Database;
  config: Config;
  platforms: PlatformRepository;
  learning: LearningService;
  /** Pathwise's public key set: the demo checks client assertions and deep linking responses with it. */
  toolJwks: () => Promise<{ keys: JWK[] }>;
  logger: Logger;
}

/** The built-in demo LMS: its keys, its tables and its authorization server. */
export interface DemoLms {
  urls: DemoUrls;
  keys: DemoKeys;
  store: DemoStore;
  auth: DemoServiceAuth;
  toolJwks: () => Promise<{ keys: JWK[] }>;
}

/** The sample the demo course starts with. */
const DEMO_SAMPLE = SAMPLE_UNITS[0] as { key: string; title: string; scoreMaximum?: number };

/**
 * Sets up the demo LMS at start-up: its key pair, its registration with Pathwise (the same record
 * an admin's manual registration creates), and a demo course with a sample unit placed, the way a
 * teacher's deep linking would leave it: a resource link whose custom parameter names the unit,
 * with its gradebook column. Pathwise resolves the unit at the first launch like any other.
 */
export async function createDemoLms(deps: DemoLmsDeps): Promise<DemoLms> {
  const urls = demoUrls(deps.config.publicUrl);
  const keys = new DemoKeys(deps.db);
  await keys.ensure();
  await registerWithPathwise(deps, urls);
  const store = new DemoStore(deps.db);
  if ((await store.links()).length === 0) await placeSampleUnit(deps, store);
  deps.logger.warn(
    { url: `${deps.config.publicUrl}/` },
    'the demo LMS is on (DEMO_LMS): anyone who can open this address can launch as its teacher or students; open it in a browser to try Pathwise, set DEMO_LMS=false to turn it off',
  );
  return { urls, keys, store, auth: new DemoServiceAuth(keys, deps.toolJwks, urls), toolJwks: deps.toolJwks };
}

async function registerWithPathwise(deps: DemoLmsDeps, urls: DemoUrls): Promise<void> {
  if (await deps.platforms.findByIssuerAndClient(urls.issuer, DEMO_CLIENT_ID)) return;
  try {
    await deps.platforms.create({
      issuer: urls.issuer,
      clientId: DEMO_CLIENT_ID,
      name: 'Pathwise demo LMS',
      productFamily: 'pathwise-demo',
      authLoginUrl: urls.auth,
      authTokenUrl: urls.token,
      authTokenAudience: null,
      jwksUrl: urls.jwks,
      deploymentIds: [DEMO_DEPLOYMENT_ID],
    });
  } catch (err) {
    // Another instance registered it a moment ago (unique issuer + client id): nothing left to do.
    if ((err as { code?: unknown }).code !== '23505') throw err;
  }
}

async function placeSampleUnit(deps: DemoLmsDeps, store: DemoStore): Promise<void> {
  await deps.learning.installSampleUnits();
  const library = await new UnitRepository(deps.db).list(null);
  let unit = library.find((u) => u.key === DEMO_SAMPLE.key && u.courseId === null);
  if (!unit) {
    const [created] = await deps.learning.importUnits(DEMO_SAMPLE);
    unit = { id: created!.id, key: DEMO_SAMPLE.key, title: DEMO_SAMPLE.title } as (typeof library)[number];
  }
  const linkId = 'demo-link-1';
  const lineItem = await store.addLineItem({
    label: unit.title,
    scoreMaximum: DEMO_SAMPLE.scoreMaximum ?? 100,
    resourceId: `unit:${unit.id}`,
    resourceLinkId: linkId,
    tag: LINE_ITEM_TAG,
  });
  await store.addLink({ id: linkId, title: unit.title, custom: { [UNIT_CUSTOM_PARAM]: unit.id }, lineItemId: lineItem.id });
}
