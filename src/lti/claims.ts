/**
 * Every LTI claim URI, message type, role, scope and media type Pathwise uses, defined once.
 * Sources: LTI Core 1.3 https://www.imsglobal.org/spec/lti/v1p3/ , Deep Linking 2.0
 * https://www.imsglobal.org/spec/lti-dl/v2p0/ , AGS 2.0 https://www.imsglobal.org/spec/lti-ags/v2p0/ ,
 * NRPS 2.0 https://www.imsglobal.org/spec/lti-nrps/v2p0/ .
 */

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';

/** Core message claims, https://www.imsglobal.org/spec/lti/v1p3/#required-message-claims */
export const CLAIM = {
  messageType: `${LTI}message_type`,
  version: `${LTI}version`,
  deploymentId: `${LTI}deployment_id`,
  targetLinkUri: `${LTI}target_link_uri`,
  resourceLink: `${LTI}resource_link`,
  roles: `${LTI}roles`,
  context: `${LTI}context`,
  toolPlatform: `${LTI}tool_platform`,
  roleScopeMentor: `${LTI}role_scope_mentor`,
  launchPresentation: `${LTI}launch_presentation`,
  lis: `${LTI}lis`,
  custom: `${LTI}custom`,
  lti11LegacyUserId: `${LTI}lti1p1`,
  /** https://www.imsglobal.org/spec/lti-dl/v2p0/#deep-linking-request-message */
  deepLinkingSettings: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
  /** https://www.imsglobal.org/spec/lti-dl/v2p0/#deep-linking-response-message */
  contentItems: 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items',
  dlData: 'https://purl.imsglobal.org/spec/lti-dl/claim/data',
  dlMsg: 'https://purl.imsglobal.org/spec/lti-dl/claim/msg',
  dlLog: 'https://purl.imsglobal.org/spec/lti-dl/claim/log',
  dlErrorMsg: 'https://purl.imsglobal.org/spec/lti-dl/claim/errormsg',
  dlErrorLog: 'https://purl.imsglobal.org/spec/lti-dl/claim/errorlog',
  /** https://www.imsglobal.org/spec/lti-ags/v2p0/#assignment-and-grade-service-claim */
  agsEndpoint: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  /** https://www.imsglobal.org/spec/lti-nrps/v2p0/#lti-1-3-integration */
  nrpsService: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
} as const;

/** The only LTI version this tool accepts, https://www.imsglobal.org/spec/lti/v1p3/#lti-version-claim */
export const LTI_VERSION = '1.3.0';

export const MESSAGE_TYPE = {
  resourceLink: 'LtiResourceLinkRequest',
  deepLinkingRequest: 'LtiDeepLinkingRequest',
  deepLinkingResponse: 'LtiDeepLinkingResponse',
} as const;
export type LaunchMessageType = typeof MESSAGE_TYPE.resourceLink | typeof MESSAGE_TYPE.deepLinkingRequest;

/** Role vocabularies, https://www.imsglobal.org/spec/lti/v1p3/#role-vocabularies */
const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';
const INSTITUTION = 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#';
const SYSTEM = 'http://purl.imsglobal.org/vocab/lis/v2/system/person#';
export const ROLE = {
  instructor: `${MEMBERSHIP}Instructor`,
  learner: `${MEMBERSHIP}Learner`,
  administrator: `${MEMBERSHIP}Administrator`,
  contentDeveloper: `${MEMBERSHIP}ContentDeveloper`,
  mentor: `${MEMBERSHIP}Mentor`,
  manager: `${MEMBERSHIP}Manager`,
  member: `${MEMBERSHIP}Member`,
  officer: `${MEMBERSHIP}Officer`,
  /** A sub-role: `membership/Instructor#TeachingAssistant`, https://www.imsglobal.org/spec/lti/v1p3/#context-sub-roles */
  teachingAssistant: 'http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant',
  institutionInstructor: `${INSTITUTION}Instructor`,
  institutionFaculty: `${INSTITUTION}Faculty`,
  institutionAdministrator: `${INSTITUTION}Administrator`,
  institutionStudent: `${INSTITUTION}Student`,
  institutionLearner: `${INSTITUTION}Learner`,
  systemAdministrator: `${SYSTEM}Administrator`,
  testUser: `${SYSTEM}TestUser`,
} as const;

/** What a role gives in a course is decided in one place: courseRole in ./course-role.ts. */

/** Service scopes, AGS https://www.imsglobal.org/spec/lti-ags/v2p0/#scopes , NRPS https://www.imsglobal.org/spec/lti-nrps/v2p0/ */
export const SCOPE = {
  agsLineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  agsLineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  agsResultReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  agsScore: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  nrpsContextMembershipReadOnly: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
} as const;

/** Media types for service calls. */
export const MEDIA_TYPE = {
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  lineItemContainer: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  score: 'application/vnd.ims.lis.v1.score+json',
  resultContainer: 'application/vnd.ims.lis.v2.resultcontainer+json',
  membershipContainer: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json',
} as const;

/** Deep linking content item types, https://www.imsglobal.org/spec/lti-dl/v2p0/#content-item-types */
export const CONTENT_ITEM_TYPE = {
  ltiResourceLink: 'ltiResourceLink',
  link: 'link',
  file: 'file',
  html: 'html',
  image: 'image',
} as const;

/** OAuth 2 client assertion type, https://www.imsglobal.org/spec/security/v1p0/#using-json-web-tokens-with-oauth-2-0-client-credentials-grant */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Platform storage message subjects, https://www.imsglobal.org/spec/lti-pm-s/v0p1 */
export const POST_MESSAGE = {
  putData: 'lti.put_data',
  getData: 'lti.get_data',
  capabilities: 'lti.capabilities',
  close: 'org.imsglobal.lti.close',
} as const;
