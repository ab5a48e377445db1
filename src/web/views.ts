import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import { engine } from 'express-handlebars';
import type { HelperOptions } from 'handlebars';
import { translate } from './i18n/index.js';

/** The project root: views/ and public/ sit there whether we run from src/ or dist/. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Handlebars with layouts/partials from views/ and the `t` helper for the i18n catalog. */
export function setupViews(app: Express): void {
  const render = engine({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: path.join(ROOT, 'views', 'layouts'),
    partialsDir: path.join(ROOT, 'views', 'partials'),
    helpers: {
      /** {{t "key" name=value}} — translated into the response's locale. */
      t(this: unknown, key: string, options: HelperOptions) {
        const locale = (options.data?.root?.locale as string | undefined) ?? 'en';
        return translate(locale, key, options.hash as Record<string, unknown>);
      },
      eq: (a: unknown, b: unknown) => a === b,
      json: (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c'),
    },
  });
  // express-handlebars answers through the callback (errors included); its promise is not needed.
  app.engine('hbs', (file, options, callback) => {
    void render(file, options, callback);
  });
  app.set('view engine', 'hbs');
  app.set('views', path.join(ROOT, 'views'));
}
