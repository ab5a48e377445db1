import { ROLE } from '../lti/claims.js';

/** The demo LMS's registration of Pathwise: one client id, one deployment. */
export const DEMO_CLIENT_ID = 'pathwise-demo';
export const DEMO_DEPLOYMENT_ID = 'demo-deployment';
/** The path the demo LMS lives under; its issuer is PUBLIC_URL + this. */
export const DEMO_BASE_PATH = '/demo-lms';

/** The one course of the demo LMS (an LTI context, https://www.imsglobal.org/spec/lti/v1p3/#context-claim). */
export const DEMO_COURSE = {
  id: 'demo-course',
  label: 'ALG-1',
  title: 'Algebra 1 (demo)',
  type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'],
} as const;

export interface DemoUser {
  /** What the home page and login_hint call the user. */
  key: string;
  /** The user's id at the demo LMS: the id_token `sub` and the AGS `userId`. */
  sub: string;
  givenName: string;
  familyName: string;
  email: string;
  roles: string[];
  teacher: boolean;
}

const person = (key: string, givenName: string, familyName: string, teacher: boolean): DemoUser => ({
  key,
  sub: `demo-${key}`,
  givenName,
  familyName,
  email: `${key}@demo.pathwise.example`,
  roles: teacher ? [ROLE.instructor] : [ROLE.learner],
  teacher,
});

/** The teacher and the students of the demo course. */
export const DEMO_USERS: readonly DemoUser[] = [
  person('teacher', 'Dana', 'Rivera', true),
  person('ana', 'Ana', 'García', false),
  person('ben', 'Ben', 'Okafor', false),
  person('chloe', 'Chloe', 'Martin', false),
];

export const demoStudents = (): DemoUser[] => DEMO_USERS.filter((u) => !u.teacher);

/** The demo user with this key (login_hint) or sub, if any. */
export function findDemoUser(keyOrSub: string | undefined): DemoUser | undefined {
  return DEMO_USERS.find((u) => u.key === keyOrSub || u.sub === keyOrSub);
}

export const fullName = (u: DemoUser): string => `${u.givenName} ${u.familyName}`;

/** Every URL of the demo LMS, from Pathwise's public URL. */
export function demoUrls(publicUrl: string) {
  const base = `${publicUrl}${DEMO_BASE_PATH}`;
  return {
    issuer: base,
    jwks: `${base}/jwks`,
    auth: `${base}/auth`,
    token: `${base}/token`,
    memberships: `${base}/nrps/memberships`,
    lineItems: `${base}/ags/lineitems`,
    lineItem: (id: string) => `${base}/ags/lineitems/${id}`,
    deepLinkReturn: `${base}/deep-link-return`,
    /** Where Pathwise receives launches (its registered redirect URI) and its login initiation URL. */
    toolLaunch: `${publicUrl}/lti/launch`,
    toolLogin: `${publicUrl}/lti/login`,
  };
}
export type DemoUrls = ReturnType<typeof demoUrls>;
