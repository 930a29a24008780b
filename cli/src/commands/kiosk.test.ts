import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { pageSettingsFrom, parseTimeouts } from './kiosk.ts';

describe('cardbind kiosk: page options', () => {
  it('reads screen timeouts in seconds as milliseconds', () => {
    expect(parseTimeouts('session=30, form=90.5')).toEqual({
      sessionTimeout: 30_000,
      formTimeout: 90_500,
    });
  });

  it.each(['sesion=30', 'form=0', 'error=abc', 'prompt', 'form=4000'])(
    'refuses %s, naming the allowed names',
    (value) => {
      expect(() => parseTimeouts(value)).toThrow(InvalidArgumentError);
      expect(() => parseTimeouts(value)).toThrow(/session, prompt, form, error/);
    },
  );

  it('turns the options into page settings with the panel profile facts', async () => {
    const settings = await pageSettingsFrom({
      language: 'cs',
      panel: 'generic-7in-800x480',
      wedge: true,
      wedgeGap: 50,
    });
    expect(settings).toEqual({
      language: 'cs',
      panel: expect.objectContaining({ id: 'generic-7in-800x480', width: 800, height: 480 }),
      enrollWithoutPrompt: false,
      wedge: { enabled: true, maxGapMs: 50 },
    });
    expect(settings.panel).not.toHaveProperty('sources');
  });

  it('says which panels exist when the id is unknown', async () => {
    await expect(pageSettingsFrom({ language: 'en', panel: 'nope', wedge: true })).rejects.toThrow(
      /Unknown panel profile "nope".*generic-7in-800x480/,
    );
  });
});
