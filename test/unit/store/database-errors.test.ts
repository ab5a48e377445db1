import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../../src/store/database-errors.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable: "not reachable now" (503, retry) apart from "this query is wrong" (a bug)', () => {
  it('network errors, server shutdown, too many connections and connection-class SQLSTATEs', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '53300', '08006'])
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
  });

  it('the drivers’ own words: pg pool ended or timed out, PGlite closed', () => {
    for (const message of [
      'Connection terminated unexpectedly',
      'timeout exceeded when trying to connect',
      'Cannot use a pool after calling end on the pool',
      'PGlite is closed',
    ]) {
      expect(isDatabaseUnavailable(new Error(message)), message).toBe(true);
    }
  });

  it('looks through causes and AggregateError (a connect() that tried IPv4 and IPv6), but not forever', () => {
    expect(isDatabaseUnavailable(new Error('query failed', { cause: withCode('ECONNREFUSED') }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'connect'))).toBe(true);
    let deep: Error = withCode('ECONNREFUSED');
    for (let i = 0; i < 5; i++) deep = new Error(`wrapped ${i}`, { cause: deep });
    expect(isDatabaseUnavailable(deep)).toBe(false);
  });

  it('a wrong query, a constraint, a plain error or nothing at all is not an outage', () => {
    expect(isDatabaseUnavailable(withCode('42P01', 'relation "nope" does not exist'))).toBe(false);
    expect(isDatabaseUnavailable(withCode('23505', 'duplicate key value violates unique constraint'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('something else'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });
});
