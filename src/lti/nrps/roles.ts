import { ROLE } from '../claims.js';

const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';
const INSTITUTION = 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#';
const SYSTEM = 'http://purl.imsglobal.org/vocab/lis/v2/system/person#';
/** LTI 1.1 URNs some platforms still send, https://www.imsglobal.org/spec/lti/v1p3/#lti-1-1-compatibility */
const LEGACY: Array<[RegExp, string]> = [
  [/^urn:lti:role:ims\/lis\/(.+)$/, MEMBERSHIP],
  [/^urn:lti:instrole:ims\/lis\/(.+)$/, INSTITUTION],
  [/^urn:lti:sysrole:ims\/lis\/(.+)$/, SYSTEM],
];

/** `base#Role`, or `base/Role#Sub` for a sub-role (LTI Core 1.3 §A.2.3.1 writes sub-roles so). */
function subRole(base: string, [principal, sub]: string[]): string {
  return sub ? `${base.slice(0, -1)}/${principal}#${sub}` : `${base}${principal}`;
}

/**
 * One role as a full vocabulary URI. Context roles may be sent as simple names ("Learner",
 * "Instructor#TeachingAssistant"), as Moodle does in NRPS, as per
 * https://www.imsglobal.org/spec/lti/v1p3/#lis-vocabulary-for-context-roles ; unknown URIs are kept.
 */
export function normaliseRole(role: string): string {
  const r = role.trim();
  for (const [pattern, base] of LEGACY) {
    const m = pattern.exec(r);
    if (m) return subRole(base, m[1]!.split('/'));
  }
  if (/^[A-Za-z]+(#[A-Za-z]+)?$/.test(r)) return subRole(MEMBERSHIP, r.split('#'));
  return r;
}

/** Normalised, de-duplicated roles, in first-seen order; blanks dropped. */
export function normaliseRoles(roles: readonly string[]): string[] {
  return [...new Set(roles.filter((r) => r.trim() !== '').map(normaliseRole))];
}

/** True when the normalised roles include the context Learner role (or a sub-role of it). */
export function isLearnerRole(roles: readonly string[]): boolean {
  return roles.some((r) => r === ROLE.learner || r.startsWith(`${ROLE.learner}#`));
}
