import type { Database } from '../../store/database.js';
import type { LaunchFacts } from '../../store/context-repository.js';
import { parseAgsEndpointClaim } from '../../store/ags-endpoints.js';
import { recordLaunch, type LaunchRecorded } from '../../store/launch-record.js';
import { membershipsUrlFromClaim } from '../nrps/roster-sync.js';
import { CLAIM } from '../claims.js';
import { teachesCourse } from '../course-role.js';
import type { Claims, ValidatedLaunch } from './pipeline.js';

export interface CompleteDeps {
  db: Database;
  sessionTtlMinutes: number;
  /** What personal data the configuration lets Pathwise keep (the same switches as roster sync). */
  privacy: { storeNames: boolean; storeEmails: boolean };
}

const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v.slice(0, 1000) : undefined);

/** Reads the course, person and placement out of validated claims (https://www.imsglobal.org/spec/lti/v1p3/#user-identity-claims). */
export function launchFacts(
  launch: ValidatedLaunch,
  privacy: { storeNames: boolean; storeEmails: boolean } = { storeNames: true, storeEmails: true },
): LaunchFacts {
  const c: Claims = launch.claims;
  const context = obj(c[CLAIM.context]);
  const link = obj(c[CLAIM.resourceLink]);
  const ags = obj(c[CLAIM.agsEndpoint]);
  const presentation = obj(c[CLAIM.launchPresentation]);
  return {
    platformId: launch.platform.id,
    deploymentRowId: launch.deployment.id,
    user: {
      sub: String(c.sub),
      name: privacy.storeNames ? str(c.name) : undefined,
      givenName: privacy.storeNames ? str(c.given_name) : undefined,
      familyName: privacy.storeNames ? str(c.family_name) : undefined,
      email: privacy.storeEmails ? str(c.email) : undefined,
      locale: str(presentation.locale) ?? str(c.locale),
    },
    roles: c[CLAIM.roles] as string[],
    audience: teachesCourse(c[CLAIM.roles] as string[]) ? 'teacher' : 'student',
    context: str(context.id)
      ? { id: str(context.id)!, title: str(context.title), label: str(context.label), nrpsUrl: membershipsUrlFromClaim(c[CLAIM.nrpsService]) ?? undefined }
      : undefined,
    resourceLink: str(link.id) ? { id: str(link.id)!, title: str(link.title), custom: obj(c[CLAIM.custom]), lineitemUrl: str(ags.lineitem) } : undefined,
  };
}

/** The launch data kept with the session for later steps (deep linking response, services). */
export function sessionLaunchData(launch: ValidatedLaunch): Record<string, unknown> {
  const c = launch.claims;
  return {
    issuer: launch.platform.issuer,
    clientId: launch.platform.clientId,
    deploymentId: launch.deployment.deploymentId,
    messageType: c[CLAIM.messageType],
    targetLinkUri: c[CLAIM.targetLinkUri] ?? null,
    context: c[CLAIM.context] ?? null,
    resourceLink: c[CLAIM.resourceLink] ?? null,
    deepLinkingSettings: c[CLAIM.deepLinkingSettings] ?? null,
    agsEndpoint: c[CLAIM.agsEndpoint] ?? null,
    nrpsService: c[CLAIM.nrpsService] ?? null,
    launchPresentation: c[CLAIM.launchPresentation] ?? null,
    custom: c[CLAIM.custom] ?? null,
    // A launch restarted in a new tab: its pages tell the user how to get back to the course.
    openedInNewTab: launch.openedInNewTab ?? false,
  };
}

/** Records course, user, enrolment, placement and AGS endpoint and opens the session, in one statement. */
export async function completeLaunch(launch: ValidatedLaunch, locale: string, deps: CompleteDeps): Promise<LaunchRecorded> {
  const facts = launchFacts(launch, deps.privacy);
  return recordLaunch(
    deps.db,
    facts,
    parseAgsEndpointClaim(launch.claims[CLAIM.agsEndpoint]),
    {
      platformId: launch.platform.id,
      messageType: String(launch.claims[CLAIM.messageType]),
      roles: facts.roles,
      locale,
      launch: sessionLaunchData(launch),
    },
    deps.sessionTtlMinutes,
  );
}
