import type { Request } from 'express';
import { teachesCourse } from '../../../lti/course-role.js';
import { forbidden, invalid, isAppError, type AppError } from '../../../shared/errors.js';
import type { PickerOptions } from '../../../store/placement-service.js';
import type { SessionRecord } from '../../../store/session-repository.js';
import { localizeError } from '../../i18n/errors.js';

/** One option of the picker: the form value, what the teacher reads, whether it is preselected. */
export interface PickerOption {
  value: string;
  title: string;
  description: string;
  competencyCount: number;
  /** A library unit (shared by every course). */
  library?: boolean;
  /** Where it comes from (another course's title), for copies. */
  from?: string | null;
  checked: boolean;
}

export interface PickerView {
  multiple: boolean;
  course: PickerOption[];
  elsewhere: PickerOption[];
  samples: PickerOption[];
  newChecked: boolean;
  newTitle: string;
  empty: boolean;
}

/** The picker's view model; `selected` are form values to preselect (the current unit, a re-shown form). */
export function pickerView(options: PickerOptions, multiple: boolean, selected: readonly string[], newTitle = ''): PickerView {
  const on = new Set(selected);
  const course = options.course.map((u) => ({
    value: `unit:${u.id}`,
    title: u.title,
    description: u.description,
    competencyCount: u.competencyCount,
    library: u.courseId === null,
    checked: on.has(`unit:${u.id}`),
  }));
  const elsewhere = options.elsewhere.map((u) => ({
    value: `copy:${u.id}`,
    title: u.title,
    description: u.description,
    competencyCount: u.competencyCount,
    from: u.courseTitle,
    checked: on.has(`copy:${u.id}`),
  }));
  const samples = options.samples.map((s) => ({
    value: `sample:${s.key}`,
    title: s.title,
    description: s.description,
    competencyCount: s.competencyCount,
    checked: on.has(`sample:${s.key}`),
  }));
  return { multiple, course, elsewhere, samples, newChecked: on.has('new'), newTitle, empty: course.length + elsewhere.length + samples.length === 0 };
}

/** The picked values of a posted form, to show them again after a refusal. */
export function postedValues(body: { choice?: string | string[] }): string[] {
  return body.choice === undefined ? [] : Array.isArray(body.choice) ? body.choice : [body.choice];
}

/** A teacher's launch session in a course, or `teacher_only` / `no_course`. */
export function teacherInCourse(req: Request): SessionRecord & { courseId: string } {
  const s = req.launchSession!;
  if (!teachesCourse(s.roles))
    throw forbidden('teacher_only', 'Only teachers of this course can place units.', 'Open Pathwise from the course as its teacher.');
  if (!s.courseId) throw invalid('no_course', 'This launch did not come from a course.', 'Open Pathwise from a course in the LMS.');
  return s as SessionRecord & { courseId: string };
}

/** An error shown above the picker (translated when the catalog has it), with its code. */
export function pickerError(err: AppError, locale: string): { code: string; message: string; help?: string } {
  return { code: err.code, ...localizeError(err, locale) };
}

/** Refusals of the picked values that the teacher fixes on the same page (not a dead end). */
export function isPickerMistake(err: unknown): err is AppError {
  return isAppError(err) && ['no_unit_chosen', 'unit_name_required', 'too_many_items', 'invalid_choice'].includes(err.code);
}
