/**
 * Every personal field Pathwise stores (table.column): why, where it comes from, how long it is
 * kept and who can see it. The console's privacy page and docs/privacy.md show this list; a test
 * checks that every column of the database that can hold personal data is in it.
 * Texts are i18n keys: privacy.why.<key>, privacy.source.<source>, privacy.kept.<kept>, privacy.who.<who>.
 */
export interface PersonalField {
  field: string;
  why: string;
  source: 'lms_launch' | 'lms_roster' | 'student' | 'teacher' | 'pathwise' | 'admin' | 'request';
  kept: 'account' | 'course' | 'session' | 'login' | 'audit' | 'delivery';
  who: 'student_teacher' | 'teacher' | 'student' | 'admin' | 'nobody';
}

export const PERSONAL_FIELDS: readonly PersonalField[] = [
  { field: 'users.id', why: 'link', source: 'pathwise', kept: 'account', who: 'nobody' },
  { field: 'users.sub', why: 'sub', source: 'lms_launch', kept: 'account', who: 'admin' },
  { field: 'users.name', why: 'name', source: 'lms_launch', kept: 'account', who: 'student_teacher' },
  { field: 'users.given_name', why: 'name', source: 'lms_launch', kept: 'account', who: 'student_teacher' },
  { field: 'users.family_name', why: 'name', source: 'lms_launch', kept: 'account', who: 'student_teacher' },
  { field: 'users.email', why: 'email', source: 'lms_launch', kept: 'account', who: 'teacher' },
  { field: 'users.locale', why: 'locale', source: 'lms_launch', kept: 'account', who: 'nobody' },
  { field: 'enrollments.roles', why: 'roles', source: 'lms_roster', kept: 'course', who: 'teacher' },
  { field: 'enrollments.status', why: 'roles', source: 'lms_roster', kept: 'course', who: 'teacher' },
  { field: 'enrollments.last_launch_at', why: 'activity', source: 'pathwise', kept: 'course', who: 'teacher' },
  { field: 'sessions.launch', why: 'session', source: 'lms_launch', kept: 'session', who: 'nobody' },
  { field: 'learner_profiles.interests', why: 'profile', source: 'student', kept: 'account', who: 'student_teacher' },
  { field: 'learner_profiles.preferred_modalities', why: 'profile', source: 'student', kept: 'account', who: 'student_teacher' },
  { field: 'learner_goals.text', why: 'goals', source: 'student', kept: 'account', who: 'student_teacher' },
  { field: 'reflections.what_helped', why: 'reflections', source: 'student', kept: 'account', who: 'student_teacher' },
  { field: 'reflections.confidence', why: 'reflections', source: 'student', kept: 'account', who: 'student_teacher' },
  { field: 'attempts.score', why: 'attempts', source: 'pathwise', kept: 'account', who: 'student_teacher' },
  { field: 'responses.answer', why: 'responses', source: 'student', kept: 'account', who: 'student_teacher' },
  { field: 'attempt_drafts.answers', why: 'responses', source: 'student', kept: 'account', who: 'student' },
  { field: 'mastery_current.level', why: 'mastery', source: 'pathwise', kept: 'account', who: 'student_teacher' },
  { field: 'mastery_current.explanation', why: 'mastery', source: 'pathwise', kept: 'account', who: 'student_teacher' },
  { field: 'mastery_current.explanation_data', why: 'mastery', source: 'pathwise', kept: 'account', who: 'student_teacher' },
  { field: 'mastery_history.level', why: 'mastery', source: 'pathwise', kept: 'account', who: 'student_teacher' },
  { field: 'mastery_history.explanation', why: 'mastery', source: 'pathwise', kept: 'account', who: 'student_teacher' },
  { field: 'mastery_history.explanation_data', why: 'mastery', source: 'pathwise', kept: 'account', who: 'student_teacher' },
  { field: 'mastery_overrides.reason', why: 'overrides', source: 'teacher', kept: 'account', who: 'student_teacher' },
  { field: 'mastery_overrides.created_by_name', why: 'overrides', source: 'lms_launch', kept: 'account', who: 'student_teacher' },
  { field: 'competency_waivers.reason', why: 'overrides', source: 'teacher', kept: 'account', who: 'student_teacher' },
  { field: 'pathway_choices.pathway_id', why: 'choices', source: 'student', kept: 'account', who: 'student_teacher' },
  { field: 'resource_marks.done_at', why: 'choices', source: 'student', kept: 'account', who: 'student' },
  { field: 'help_requests.message', why: 'help', source: 'student', kept: 'course', who: 'student_teacher' },
  { field: 'grade_outbox.score_given', why: 'grades', source: 'pathwise', kept: 'delivery', who: 'teacher' },
  { field: 'grade_outbox.comment', why: 'grades', source: 'pathwise', kept: 'delivery', who: 'teacher' },
  { field: 'audit_log.ip', why: 'audit', source: 'admin', kept: 'audit', who: 'admin' },
  { field: 'audit_log.actor_ref', why: 'audit', source: 'pathwise', kept: 'audit', who: 'admin' },
  { field: 'audit_log.subject_ref', why: 'audit', source: 'pathwise', kept: 'audit', who: 'admin' },
  { field: 'admin_sessions.user_id', why: 'admin_session', source: 'lms_launch', kept: 'session', who: 'nobody' },
  { field: 'admin_tickets.user_id', why: 'admin_session', source: 'lms_launch', kept: 'login', who: 'nobody' },
  { field: 'admin_sign_in_failures.ip', why: 'lockout', source: 'admin', kept: 'login', who: 'nobody' },
  { field: 'rate_limit_failures.key', why: 'rate_limit', source: 'request', kept: 'login', who: 'nobody' },
];
