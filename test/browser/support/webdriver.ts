import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { freePort } from './journey.js';

/**
 * A small W3C WebDriver client (https://www.w3.org/TR/webdriver2/) for Debian's WebKitWebDriver
 * (package webkit2gtk-driver), which drives WebKitGTK's MiniBrowser: the same engine as Safari
 * and every iPad browser. Only the commands the WebKit journeys use.
 */

export const WEBKIT_DRIVER = '/usr/bin/WebKitWebDriver';
export const XVFB_RUN = '/usr/bin/xvfb-run';

/** MiniBrowser's path (it lives under the multiarch lib dir). */
export function miniBrowserPath(): string | undefined {
  if (!existsSync('/usr/lib')) return undefined;
  for (const dir of readdirSync('/usr/lib')) {
    const candidate = `/usr/lib/${dir}/webkit2gtk-4.1/MiniBrowser`;
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Whether WebKit tests can run here. Missing WebKitWebDriver, MiniBrowser or xvfb-run skips them
 * with a message, except in CI (CI=true), where it fails the run. SKIP_WEBKIT=1 skips them on
 * purpose (CI runs them in one pass only).
 */
export function webkitAvailable(): boolean {
  if (process.env.SKIP_WEBKIT === '1') return false;
  const missing = [WEBKIT_DRIVER, XVFB_RUN].filter((p) => !existsSync(p));
  if (!miniBrowserPath()) missing.push('MiniBrowser (webkit2gtk-driver)');
  if (missing.length === 0) return true;
  const message = `WebKit tests need ${missing.join(', ')}: apt-get install -y webkit2gtk-driver xvfb`;
  if (process.env.CI === 'true') throw new Error(message);
  process.stderr.write(`WebKit tests skipped. ${message}\n`);
  return false;
}

export class WebDriverError extends Error {
  override name = 'WebDriverError';
}

/** W3C's key for element references in JSON. */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
export type ElementRef = { [ELEMENT]: string };

/** One WebKitWebDriver process (under xvfb-run) and one session on it. */
export class WebKitSession {
  private marks = 0;

  private constructor(
    private readonly driver: ChildProcess,
    private readonly base: string,
    readonly id: string,
    readonly log: string[],
  ) {}

  /**
   * Starts WebKitWebDriver under a virtual X server and opens a session. `certificates` names the
   * self-signed certificate each https host presents (webkitgtk:browserOptions.certificates):
   * WebKitGTK accepts it for that host only.
   */
  static async start(opts: { certificates: Array<{ host: string; certificateFile: string }>; width: number; height: number }): Promise<WebKitSession> {
    const port = await freePort();
    const log: string[] = [];
    // Its own process group, so stopping it also stops Xvfb and the browser it started.
    const driver = spawn(XVFB_RUN, ['-a', '-s', '-screen 0 1400x1200x24', WEBKIT_DRIVER, `--port=${port}`, '--host=127.0.0.1'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    driver.stdout!.on('data', (d: Buffer) => log.push(d.toString()));
    driver.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ready = await fetch(`${base}/status`).then(
        (r) => r.json() as Promise<{ value?: { ready?: boolean } }>,
        () => null,
      );
      if (ready?.value?.ready) break;
      if (Date.now() > deadline || driver.exitCode !== null) {
        stopGroup(driver);
        throw new WebDriverError(`WebKitWebDriver did not start: ${log.join('').slice(-500)}`);
      }
      await sleep(200);
    }
    const capabilities = {
      alwaysMatch: {
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: miniBrowserPath(), args: ['--automation'], certificates: opts.certificates },
      },
    };
    const created = (await call(base, 'POST', '/session', { capabilities })) as { sessionId: string };
    const session = new WebKitSession(driver, base, created.sessionId, log);
    await session.cmd('POST', '/window/rect', { width: opts.width, height: opts.height });
    await session.cmd('POST', '/timeouts', { pageLoad: 60_000, script: 30_000, implicit: 0 });
    return session;
  }

  cmd(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    return call(this.base, method, `/session/${this.id}${path}`, body);
  }

  async quit(): Promise<void> {
    await this.cmd('DELETE', '').catch(() => undefined);
    stopGroup(this.driver);
  }

  navigate(url: string): Promise<unknown> {
    return this.cmd('POST', '/url', { url });
  }

  async url(): Promise<string> {
    return (await this.cmd('GET', '/url')) as string;
  }

  /** The first element matching `css` in the current frame, or null. */
  async find(css: string): Promise<ElementRef | null> {
    const found = (await this.cmd('POST', '/elements', { using: 'css selector', value: css })) as ElementRef[];
    return found[0] ?? null;
  }

  /** Waits (up to `timeoutMs`) for an element matching `css` in the current frame. */
  async waitFor(css: string, timeoutMs = 20_000): Promise<ElementRef> {
    let el: ElementRef | null = null;
    await this.until(async () => (el = await this.find(css).catch(() => null)) !== null, `element ${css}`, timeoutMs);
    return el!;
  }

  /** Polls `check` until it is true; throws with `what` and the current URL on timeout. */
  async until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check().catch(() => false)) return;
      if (Date.now() > deadline) throw new WebDriverError(`timed out waiting for ${what} (at ${await this.url().catch(() => '?')})`);
      await sleep(150);
    }
  }

  async click(css: string): Promise<void> {
    const el = await this.waitFor(css);
    await this.cmd('POST', `/element/${el[ELEMENT]}/click`, {});
  }

  /** Clicks the first element matching `css` whose text includes `text` (buttons and links by name). */
  async clickText(css: string, text: string): Promise<void> {
    // The script marks the element, then a real WebDriver click goes to it by that mark.
    const mark = `m${++this.marks}`;
    await this.until(
      () =>
        this.run<boolean>(
          'var css = arguments[0], text = arguments[1], mark = arguments[2];' +
            'var el = Array.prototype.find.call(document.querySelectorAll(css), function (e) { return e.textContent.indexOf(text) !== -1; });' +
            'if (el) el.setAttribute("data-webdriver", mark); return !!el;',
          css,
          text,
          mark,
        ),
      `${css} with "${text}"`,
    );
    await this.click(`[data-webdriver="${mark}"]`);
  }

  /** The current frame's location. */
  location(): Promise<string> {
    return this.run<string>('return location.href');
  }

  /** Waits until the current frame's location matches. */
  async waitForLocation(pattern: RegExp | string, timeoutMs = 30_000): Promise<string> {
    let href = '';
    const test = (h: string) => (typeof pattern === 'string' ? h === pattern : pattern.test(h));
    await this.until(async () => test((href = await this.location())), `a page at ${String(pattern)}`, timeoutMs);
    return href;
  }

  async type(css: string, text: string): Promise<void> {
    const el = await this.waitFor(css);
    await this.cmd('POST', `/element/${el[ELEMENT]}/clear`, {});
    await this.cmd('POST', `/element/${el[ELEMENT]}/value`, { text });
  }

  async text(css: string): Promise<string> {
    const el = await this.waitFor(css);
    return (await this.cmd('GET', `/element/${el[ELEMENT]}/text`)) as string;
  }

  /** Runs `script` (a function body) in the current frame, with `args`. */
  async run<T>(script: string, ...args: unknown[]): Promise<T> {
    return (await this.cmd('POST', '/execute/sync', { script, args })) as T;
  }

  /** Into the iframe matching `css` (in the current frame), or back to the top with null. */
  async frame(css: string | null): Promise<void> {
    if (css === null) {
      await this.cmd('POST', '/frame', { id: null });
      return;
    }
    const el = await this.waitFor(css);
    await this.cmd('POST', '/frame', { id: el });
  }

  async windows(): Promise<string[]> {
    return (await this.cmd('GET', '/window/handles')) as string[];
  }

  async window(): Promise<string> {
    return (await this.cmd('GET', '/window')) as string;
  }

  async switchTo(handle: string): Promise<void> {
    await this.cmd('POST', '/window', { handle });
  }

  /** A PNG of the current top-level browsing context. */
  async screenshot(): Promise<Buffer> {
    return Buffer.from((await this.cmd('GET', '/screenshot')) as string, 'base64');
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function stopGroup(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}

async function call(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as { value?: unknown };
  const value = json.value as { error?: string; message?: string } | null | undefined;
  if (!res.ok || (value && typeof value === 'object' && 'error' in value && value.error)) {
    throw new WebDriverError(`${method} ${path}: ${value?.error ?? res.status} ${value?.message ?? ''}`.trim());
  }
  return json.value;
}
