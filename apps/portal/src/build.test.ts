import { describe, expect, it } from 'vitest';
import { buildPortalAssets, portalAssets } from './build.ts';
import { renderIndexHtml } from './html.ts';

describe('portal build', () => {
  it('bundles one hashed script and style sheet, linked from a page without inline code', async () => {
    const { html, assets } = await buildPortalAssets();
    const names = [...assets.keys()];
    expect(names).toHaveLength(2);
    expect(names.some((n) => /^portal-[A-Z0-9]+\.js$/.test(n))).toBe(true);
    expect(names.some((n) => /^portal-[A-Z0-9]+\.css$/.test(n))).toBe(true);
    for (const name of names) expect(html).toContain(`/portal/assets/${name}`);
    expect(html).not.toMatch(/<script>|style=|<style/);
    const script = [...assets.values()].find((a) => a.contentType.startsWith('text/javascript'));
    // Types only from @cardbind/shared: no zod in the browser.
    expect(script?.body).not.toContain('ZodError');
  });

  it('builds once per process', async () => {
    expect(await portalAssets()).toBe(await portalAssets());
  });

  it('escapes asset names in the page', () => {
    expect(renderIndexHtml({ script: 'a".js', css: 'b<.css' })).toContain('a&quot;.js');
  });
});
