import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import Handlebars, { type HelperDelegate, type HelperOptions, type TemplateDelegate } from 'handlebars';
import { contentLang } from './i18n/content-language.js';
import { translate } from './i18n/index.js';

/** The project root: views/ and public/ sit there whether we run from src/ or dist/. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const EXT = '.hbs';

/** Stands for the title while the sentence around it is translated and escaped (a private-use character). */
const TITLE_SLOT = '\uE000';

const helpers: Record<string, HelperDelegate> = {
  /** {{t "key" name=value}} — translated into the response's locale. */
  t(this: unknown, key: string, options: HelperOptions) {
    const locale = (options.data?.root?.locale as string | undefined) ?? 'en';
    return translate(locale, key, options.hash as Record<string, unknown>);
  },
  /**
   * {{langOf}} — ` lang="en"` on an element holding teacher-written content when the unit's
   * language (the page's `contentLanguage`, or the tag given: {{langOf language}}) differs from
   * the page's; nothing otherwise.
   */
  langOf(this: unknown, ...args: unknown[]) {
    const options = args.pop() as HelperOptions;
    const root = (options.data?.root ?? {}) as { locale?: string; contentLanguage?: unknown };
    const lang = contentLang(args.length ? args[0] : root.contentLanguage, root.locale ?? 'en');
    return lang ? new Handlebars.SafeString(` lang="${Handlebars.escapeExpression(lang)}"`) : '';
  },
  /**
   * {{tc "key" title=…}} — like t, for a sentence around a teacher-written `title`: the title is
   * marked with its own language ({{langOf}}) inside the translated sentence. Element content only.
   */
  tc(this: unknown, key: string, options: HelperOptions) {
    const root = (options.data?.root ?? {}) as { locale?: string; contentLanguage?: unknown };
    const locale = root.locale ?? 'en';
    const hash = options.hash as Record<string, unknown>;
    const lang = contentLang(root.contentLanguage, locale);
    if (!lang || typeof hash.title !== 'string') return translate(locale, key, hash);
    const text = Handlebars.escapeExpression(translate(locale, key, { ...hash, title: TITLE_SLOT }));
    const title = `<span lang="${Handlebars.escapeExpression(lang)}">${Handlebars.escapeExpression(hash.title)}</span>`;
    return new Handlebars.SafeString(text.split(TITLE_SLOT).join(title));
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
