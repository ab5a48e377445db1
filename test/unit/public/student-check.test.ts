import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

const script = readFileSync(new URL('../../../public/student-check.js', import.meta.url), 'utf8');

/** A check form with one text answer, and the listeners the script adds to it. */
function checkPage() {
  const listeners: Record<string, Array<(e: unknown) => void>> = {};
  const answer = { name: 'answer-1', type: 'text', value: '' };
  const form = {
    elements: [answer],
    getAttribute: (n: string) => (n === 'data-attempt' ? 'a1' : null),
    addEventListener: (type: string, fn: (e: unknown) => void) => (listeners[type] ??= []).push(fn),
  };
  const document = { getElementById: (id: string) => (id === 'check-form' ? form : null) };
  return { answer, listeners, document };
}

describe('student-check.js', () => {
  it('does not throw where reading window.localStorage is denied (storage blocked), and the form still works', () => {
    const { document, listeners } = checkPage();
    const window = {};
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new Error('SecurityError: The operation is insecure.');
      },
    });
    expect(() => runInNewContext(script, { window, document })).not.toThrow();
    // Without storage the script leaves the form alone: the server-side draft still works.
    expect(listeners).toEqual({});
  });

  it('keeps answers in localStorage as they are typed and restores them after a reload', () => {
    const store = new Map<string, string>();
    const localStorage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => store.set(k, v),
      removeItem: (k: string) => store.delete(k),
    };
    const first = checkPage();
    runInNewContext(script, { window: { localStorage }, document: first.document });
    first.answer.value = '42';
    first.listeners.input!.forEach((fn) => fn({}));
    expect(JSON.parse(store.get('pathwise-check-a1')!)).toEqual({ 'answer-1': ['42'] });
    const again = checkPage();
    runInNewContext(script, { window: { localStorage }, document: again.document });
    expect(again.answer.value).toBe('42');
  });

  it('keeps the answers when the form is submitted (the session may have ended), and clears them on the result page', () => {
    const store = new Map<string, string>();
    const localStorage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => store.set(k, v),
      removeItem: (k: string) => store.delete(k),
    };
    const check = checkPage();
    runInNewContext(script, { window: { localStorage }, document: check.document });
    check.answer.value = '42';
    check.listeners.input!.forEach((fn) => fn({}));
    (check.listeners.submit ?? []).forEach((fn) => fn({ submitter: { getAttribute: () => null } }));
    expect(store.has('pathwise-check-a1')).toBe(true);

    store.set('pathwise-check-other', '{}');
    const result = { getAttribute: (n: string) => (n === 'data-attempt' ? 'a1' : null) };
    const resultPage = { getElementById: (id: string) => (id === 'check-result' ? result : null) };
    runInNewContext(script, { window: { localStorage }, document: resultPage });
    expect([...store.keys()]).toEqual(['pathwise-check-other']);
  });
});
