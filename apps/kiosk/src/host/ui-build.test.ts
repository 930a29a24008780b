import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildUiAssets } from './ui-build.ts';

const WEDGE_HARNESS = fileURLToPath(new URL('../ui/input/wedge.harness.tsx', import.meta.url));

describe('buildUiAssets', { timeout: 60_000 }, () => {
  it('bundles the kiosk UI, script and style sheet, by default', async () => {
    const { script, css } = await buildUiAssets();
    expect(script).toContain('The kiosk machine needs a');
    expect(css).not.toBe('');
  });

  it('bundles the entry it is given, with the same options as the kiosk UI', async () => {
    const { script, css } = await buildUiAssets({ entry: WEDGE_HARNESS, requireCss: false });
    expect(script).toContain('The harness page has no #app element.');
    expect(script).not.toContain('The kiosk machine needs a');
    // Minified as the kiosk UI is: no line per statement.
    expect(script.split('\n').length).toBeLessThan(10);
    expect(css).toBe('');
  });

  it('says which entry brought no style sheet when one is required', async () => {
    await expect(buildUiAssets({ entry: WEDGE_HARNESS })).rejects.toThrow(
      `The UI build of ${WEDGE_HARNESS} produced no style sheet`,
    );
  });
});
