import express from 'express';
import { describe, expect, it } from 'vitest';
import { setupViews } from '../../../src/web/views.js';

function render(viewCache: boolean, view: string, locals: Record<string, unknown>): Promise<string> {
  const app = express();
  setupViews(app);
  app.set('view cache', viewCache);
  return new Promise((resolve, reject) => app.render(view, locals, (err, html) => (err ? reject(err) : resolve(html!))));
}

describe('views', () => {
  it('renders a page inside the layout, translated into the locale, the same with and without the view cache', async () => {
    const fresh = await render(false, 'pages/home', { title: 'Pathwise', locale: 'es' });
    expect(fresh).toMatch(/^<!doctype html>/i);
    expect(fresh).toContain('<html lang="es">');
    expect(fresh).toContain('Aprendizaje personalizado y basado en competencias dentro de tu LMS.');
    // Compiled once and reused: the second render of a cached view is the same page.
    expect(await render(true, 'pages/home', { title: 'Pathwise', locale: 'es' })).toBe(fresh);
    const cachedEn = await render(true, 'pages/home', { title: 'Pathwise' });
    expect(cachedEn).toContain('<html lang="en">');
    expect(cachedEn).toContain('Competency-based, personalized learning inside your LMS.');
  });

  it('escapes values and reports an unknown view as an error', async () => {
    const html = await render(true, 'pages/home', { title: '<script>x</script>' });
    expect(html).not.toContain('<script>x</script>');
    await expect(render(true, 'pages/no-such-page', {})).rejects.toThrow(/Failed to lookup view/);
  });
});
