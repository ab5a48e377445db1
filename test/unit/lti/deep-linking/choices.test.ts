import { describe, expect, it } from 'vitest';
import { choiceValueOf, parseChoices } from '../../../../src/lti/deep-linking/choices.js';

const id = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('parseChoices', () => {
  it('reads unit, copy, sample and new choices (ids lower-cased, duplicates dropped)', () => {
    const got = parseChoices(
      { choice: [`unit:${id.toUpperCase()}`, `copy:${id}`, 'sample:linear-equations', 'new', 'new'], new_title: ' Ratios ' },
      { multiple: true },
    );
    expect(got).toEqual([
      { kind: 'unit', unitId: id },
      { kind: 'copy', unitId: id },
      { kind: 'sample', key: 'linear-equations' },
      { kind: 'new', title: 'Ratios' },
    ]);
    expect(got.map(choiceValueOf)).toEqual([`unit:${id}`, `copy:${id}`, 'sample:linear-equations', 'new']);
  });

  it('returns nothing when nothing was chosen', () => {
    expect(parseChoices({}, { multiple: false })).toEqual([]);
  });

  it('refuses two choices when the platform accepts one (too_many_items)', () => {
    expect(() => parseChoices({ choice: [`unit:${id}`, 'new'], new_title: 'x' }, { multiple: false })).toThrow(
      expect.objectContaining({ code: 'too_many_items' }),
    );
  });

  it.each(['unit:42', 'unit:', 'sample:../../etc', 'other:thing', 'copy'])('refuses %s (invalid_choice)', (v) => {
    expect(() => parseChoices({ choice: v }, { multiple: true })).toThrow(expect.objectContaining({ code: 'invalid_choice' }));
  });

  it('a new unit needs a name (unit_name_required)', () => {
    expect(() => parseChoices({ choice: 'new', new_title: '   ' }, { multiple: false })).toThrow(expect.objectContaining({ code: 'unit_name_required' }));
  });
});
