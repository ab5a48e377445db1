import type { BrowserContext, Frame, Page } from 'playwright-core';
import { describeViolations, runAxe } from './browser.js';

/** Scripts of pages that move on by themselves (platform storage hand-offs, the deep linking auto-post). */
const SELF_SUBMITTING = /\/assets\/(browser-binding|deep-linking-return)\.js(\?|$)/;

/**
 * Runs axe on every tool page a browser context shows, and knows which ones it missed. Pages the
 * test stops on are audited with `audit(frame)`. Pages that navigate on their own are audited while
 * their script (the last element of the page) is held back by a route, so the whole page is in the
 * DOM and nothing has moved on yet; the route then lets the script through.
 */
export class PageAudit {
  /** Every URL the tool's frames committed to, in order. */
  readonly navigated: string[] = [];
  /** URLs audited, in order (a URL shown twice is audited twice). */
  readonly audited: string[] = [];
  /** One readable line per violation, with the page URL. */
  readonly violations: string[] = [];

  constructor(private readonly toolOrigin: string) {}

  async attach(context: BrowserContext, page: Page): Promise<void> {
    page.on('framenavigated', (frame) => {
      if (new URL(frame.url()).origin === this.toolOrigin) this.navigated.push(frame.url());
    });
    await context.route(SELF_SUBMITTING, async (route) => {
      try {
        await this.audit(route.request().frame());
      } catch (err) {
        this.violations.push(`${route.request().url()}: axe could not run (${(err as Error).message})`);
      }
      await route.continue();
    });
  }

  /** Runs axe in the frame; violations are collected (and returned) rather than thrown. */
  async audit(frame: Frame): Promise<string[]> {
    const url = frame.url();
    const found = await runAxe(frame);
    this.audited.push(url);
    const lines = found.length ? describeViolations(url, found).split('\n') : [];
    this.violations.push(...lines);
    return lines;
  }

  /** Tool pages that were shown but never audited (should be none). */
  unaudited(): string[] {
    return [...new Set(this.navigated)].filter((u) => !this.audited.includes(u));
  }
}
