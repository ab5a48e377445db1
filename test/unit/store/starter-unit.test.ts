import { describe, expect, it } from 'vitest';
import { parseUnit } from '../../../src/learning/unit-import.js';
import { starterUnit, unitKeyFrom } from '../../../src/store/starter-unit.js';

describe('starterUnit', () => {
  it('is a valid unit document with the given title and language', () => {
    const unit = starterUnit('Razones y proporciones', 'es');
    expect(parseUnit(unit).ok).toBe(true);
    expect(unit).toMatchObject({ title: 'Razones y proporciones', key: 'razones-y-proporciones', language: 'es' });
  });

  it('makes keys the schema accepts from any title', () => {
    expect(unitKeyFrom('Ángulos: ¿qué son?')).toBe('angulos-que-son');
    expect(unitKeyFrom('***')).toBe('new-unit');
    expect(unitKeyFrom('a'.repeat(100))).toHaveLength(60);
    expect(parseUnit(starterUnit('%%% '.repeat(60))).ok).toBe(true);
  });
});
