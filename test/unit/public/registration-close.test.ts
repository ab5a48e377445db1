import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

const script = readFileSync(new URL('../../../public/registration-close.js', import.meta.url), 'utf8');

/** Runs the page script with a stub window whose opener/parent records postMessage calls. */
function runWith(frame: 'opener' | 'parent') {
  const posted: Array<[unknown, string]> = [];
  const target = { postMessage: (msg: unknown, origin: string) => posted.push([msg, origin]) };
  const listeners: Record<string, () => void> = {};
  const button = { addEventListener: (type: string, fn: () => void) => (listeners[type] = fn) };
  const window: Record<string, unknown> = { opener: frame === 'opener' ? target : null };
  window.parent = frame === 'parent' ? target : window;
  runInNewContext(script, { window, document: { getElementById: (id: string) => (id === 'registration-close' ? button : null) } });
  return { posted, click: () => listeners.click?.() };
}

describe('registration-close.js', () => {
  it.each(['opener', 'parent'] as const)('posts org.imsglobal.lti.close to the %s at load and on Close', (frame) => {
    const { posted, click } = runWith(frame);
    // https://www.imsglobal.org/spec/lti-dr/v1p0/ : the tool tells the platform it may close the registration window.
    expect(posted).toEqual([[{ subject: 'org.imsglobal.lti.close' }, '*']]);
    click();
    expect(posted).toHaveLength(2);
  });
});
