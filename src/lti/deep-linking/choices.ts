import { z } from 'zod';
import { invalid } from '../../shared/errors.js';

/**
 * What a teacher picks in the unit picker. The form sends each as one string:
 * `unit:<uuid>` (a unit of this course or the library, placed as it is), `copy:<uuid>` (a unit the
 * teacher has in another course, copied into this one), `sample:<key>` (a sample unit, copied),
 * `new` (an empty unit with the name typed next to it).
 */
export type UnitChoice = { kind: 'unit'; unitId: string } | { kind: 'copy'; unitId: string } | { kind: 'sample'; key: string } | { kind: 'new'; title: string };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const choiceValue = z.string().max(200);

/** The picker form: `choice` once (radios) or repeated (checkboxes), `new_title` for a new unit. */
export const pickerFormSchema = z.object({
  choice: z.union([choiceValue, z.array(choiceValue).max(100)]).optional(),
  new_title: z.string().max(200).optional(),
});
export type PickerForm = z.infer<typeof pickerFormSchema>;

/** The form value of a choice (the inverse of parseChoices for one item). */
export function choiceValueOf(choice: UnitChoice): string {
  if (choice.kind === 'new') return 'new';
  if (choice.kind === 'sample') return `sample:${choice.key}`;
  return `${choice.kind}:${choice.unitId}`;
}

/**
 * Reads the chosen units. Unknown values fail with `invalid_choice`; several choices when the
 * platform accepts one fail with `too_many_items`
 * (https://www.imsglobal.org/spec/lti-dl/v2p0/#deep-linking-settings , accept_multiple).
 * Returns an empty list when nothing was chosen: the caller asks again.
 */
export function parseChoices(form: PickerForm, options: { multiple: boolean }): UnitChoice[] {
  const values = [...new Set(form.choice === undefined ? [] : Array.isArray(form.choice) ? form.choice : [form.choice])];
  if (values.length > 1 && !options.multiple) {
    throw invalid('too_many_items', 'The LMS accepts one item here, and more than one was chosen.', 'Choose one unit, then add the next one separately.');
  }
  return values.map((v): UnitChoice => {
    const [kind, ref = ''] = v.split(/:(.*)/s, 2) as [string, string | undefined];
    if ((kind === 'unit' || kind === 'copy') && uuid.test(ref)) return { kind, unitId: ref.toLowerCase() };
    if (kind === 'sample' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(ref)) return { kind, key: ref };
    if (v === 'new') {
      const title = (form.new_title ?? '').trim();
      if (!title) throw invalid('unit_name_required', 'A new unit needs a name.', 'Type a name next to "New unit", then choose again.');
      return { kind: 'new', title };
    }
    throw invalid('invalid_choice', 'This choice is not one Pathwise offered.', 'Reload the page and choose again.');
  });
}
