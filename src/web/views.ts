import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import Handlebars, { type HelperDelegate, type HelperOptions, type TemplateDelegate } from 'handlebars';
import { translate } from './i18n/index.js';

/** The project root: views/ and public/ sit there whether we run from src/ or dist/. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const EXT = '.hbs';

const helpers: Record<string, HelperDelegate> = {
  /** {{t "key" name=value}} — translated into the response's locale. */
  t(this: unknown, key: string, options: HelperOptions) {
    const locale = (options.data?.root?.locale as string | undefined) ?? 'en';
    return translate(locale, key, options.hash as Record<string, unknown>);
  },
  eq: (a: unknown, b: unknown) => a === b,
  json: (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c'),
};

/** Templates compiled from views/: pages by file path, partials by name (path below partials/ without .hbs). */
interface Compiled {
  pages: Map<string, TemplateDelegate>;
  partials: Record<string, TemplateDelegate>;
  layout: TemplateDelegate;
}

const compile = (file: string): TemplateDelegate => Handlebars.compile(readFileSync(file, 'utf8').trim());

function templateFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(EXT))
    .map((f) => f.split(path.sep).join('/'));
}

function compileViews(viewsDir: string): Compiled {
  const partialsDir = path.join(viewsDir, 'partials');
  const partials: Record<string, TemplateDelegate> = {};
  for (const f of templateFiles(partialsDir)) partials[f.slice(0, -EXT.length)] = compile(path.join(partialsDir, f));
  return { pages: new Map(), partials, layout: compile(path.join(viewsDir, 'layouts', `main${EXT}`)) };
}

/**
 * Handlebars views: pages in views/pages, partials from views/partials, every page inside the
 * layout views/layouts/main.hbs (as `{{{body}}}`), and the `t` helper for the i18n catalog.
 *
 * Rendering is synchronous. With Express's `view cache` (on when NODE_ENV=production) every
 * template is compiled once per process; without it (development) the files are read again on
 * each render, so an edited template shows on the next reload. This replaces express-handlebars,
 * whose render awaited each of the 15 partials' cached promises twice and copied the render
 * options three times per page: about a tenth of the tool's CPU per launch round trip in a profile.
 */
export function setupViews(app: Express): void {
  const viewsDir = path.join(ROOT, 'views');
  let cached: Compiled | undefined;
  app.engine('hbs', (file, options, callback) => {
    let html: string;
    try {
      const cache = (options as { cache?: boolean }).cache === true;
      const views = cache ? (cached ??= compileViews(viewsDir)) : compileViews(viewsDir);
      let page = views.pages.get(file);
      if (!page) {
        page = compile(file);
        if (cache) views.pages.set(file, page);
      }
      const runtime = { helpers, partials: views.partials };
      const context = options as Record<string, unknown>;
      const body = page(context, runtime).trim();
      html = views.layout({ ...context, body }, runtime).trim();
    } catch (err) {
      callback(err as Error);
      return;
    }
    callback(null, html);
  });
  app.set('view engine', 'hbs');
  app.set('views', viewsDir);
}
