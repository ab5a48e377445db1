import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

const script = readFileSync(new URL('../../../public/deep-linking-return.js', import.meta.url), 'utf8');

describe('deep-linking-return.js', () => {
  it('submits the response form once, at load', () => {
    const attrs: Record<string, string> = {};
    let submits = 0;
    const form = { submit: () => (submits += 1), getAttribute: (n: string) => attrs[n] ?? null, setAttribute: (n: string, v: string) => (attrs[n] = v) };
    const document = { getElementById: (id: string) => (id === 'deep-linking-return' ? form : null) };
    runInNewContext(script, { document });
    runInNewContext(script, { document });
    expect(submits).toBe(1);
  });

  it('does nothing on a page without the form', () => {
    expect(() => runInNewContext(script, { document: { getElementById: () => null } })).not.toThrow();
  });
});
