import { describe, expect, it } from 'vitest';
import { ROLE } from '../../../../src/lti/claims.js';
import { isLearnerRole, normaliseRole, normaliseRoles } from '../../../../src/lti/nrps/roles.js';

describe('normaliseRole', () => {
  it('turns Moodle-style short context roles into vocabulary URIs', () => {
    expect(normaliseRole('Learner')).toBe(ROLE.learner);
    expect(normaliseRole('Instructor')).toBe(ROLE.instructor);
    expect(normaliseRole('Instructor#TeachingAssistant')).toBe(ROLE.teachingAssistant);
  });

  it('keeps full URIs and maps LTI 1.1 URNs', () => {
    expect(normaliseRole(ROLE.institutionStudent)).toBe(ROLE.institutionStudent);
    expect(normaliseRole('urn:lti:role:ims/lis/Learner')).toBe(ROLE.learner);
    expect(normaliseRole('urn:lti:role:ims/lis/Instructor/TeachingAssistant')).toBe(ROLE.teachingAssistant);
    expect(normaliseRole('urn:lti:instrole:ims/lis/Administrator')).toBe(ROLE.institutionAdministrator);
    expect(normaliseRole('https://example.org/custom#Role')).toBe('https://example.org/custom#Role');
  });

  it('de-duplicates and drops blanks', () => {
    expect(normaliseRoles(['Learner', ROLE.learner, ' ', ''])).toEqual([ROLE.learner]);
  });

  it('recognises learners', () => {
    expect(isLearnerRole(normaliseRoles(['Learner']))).toBe(true);
    expect(isLearnerRole(normaliseRoles(['Instructor']))).toBe(false);
  });
});
