import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  findPanelProfile,
  listPanelProfileIds,
  loadPanelProfiles,
  PanelProfileError,
} from './panels.ts';

describe('shipped panel profiles', () => {
  it('all load, and cover the sizes the issue names', () => {
    const profiles = loadPanelProfiles();
    expect(profiles.map((p) => p.id)).toEqual(listPanelProfileIds());
    const sizes = new Set(profiles.map((p) => `${p.width}x${p.height}`));
    for (const size of ['800x480', '1024x600', '1280x800']) expect(sizes).toContain(size);
    expect(profiles.some((p) => p.orientation === 'portrait')).toBe(true);
    expect(profiles.some((p) => p.physicalKeyboard)).toBe(true);
  });

  it('finds one by id', () => {
    const panel = findPanelProfile('rpi-touch-display-7');
    expect(panel).toMatchObject({ width: 800, height: 480, orientation: 'landscape', touch: true });
  });
});

describe('panel profile errors', () => {
  let dir: string;
  const valid = {
    id: 'test-panel',
    name: 'Test panel',
    width: 800,
    height: 480,
    orientation: 'landscape',
    touch: true,
    physicalKeyboard: false,
    sources: { screen: 'measured', touch: 'measured', physicalKeyboard: 'none' },
  };
  const write = (file: string, content: unknown) =>
    writeFileSync(
      path.join(dir, file),
      typeof content === 'string' ? content : JSON.stringify(content),
    );

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cardbind-panels-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const errorOf = (id: string) => {
    try {
      findPanelProfile(id, dir);
    } catch (error) {
      expect(error).toBeInstanceOf(PanelProfileError);
      return (error as Error).message;
    }
    throw new Error('expected the profile to be refused');
  };

  it('accepts a valid file', () => {
    write('test-panel.json', valid);
    expect(findPanelProfile('test-panel', dir)).toEqual(valid);
  });

  it('names the file and every wrong field', () => {
    write('test-panel.json', {
      ...valid,
      width: 799.5,
      height: 100,
      touch: 'yes',
      colour: 'black',
      sources: { screen: 'x', touch: 'y' },
    });
    const message = errorOf('test-panel');
    expect(message).toContain(path.join('test-panel.json'));
    expect(message).toContain('width: expected a whole number of CSS pixels');
    expect(message).toContain('height: expected at least 320 CSS pixels');
    expect(message).toContain('touch: expected true or false');
    expect(message).toContain('colour: unknown field');
    expect(message).toContain('sources.physicalKeyboard: required');
  });

  it('refuses an orientation that contradicts the size', () => {
    write('test-panel.json', { ...valid, orientation: 'portrait' });
    expect(errorOf('test-panel')).toMatch(/orientation: "portrait" does not match 800×480/);
  });

  it('refuses an id that differs from the file name', () => {
    write('test-panel.json', { ...valid, id: 'other' });
    expect(errorOf('test-panel')).toContain('id: "other" must match the file name "test-panel"');
  });

  it('refuses broken JSON and lists the profiles for an unknown id', () => {
    write('test-panel.json', '{ "id": ');
    expect(errorOf('test-panel')).toMatch(/test-panel\.json: not valid JSON/);
    expect(errorOf('nope')).toBe(
      `Unknown panel profile "nope". Available: test-panel (in ${dir}).`,
    );
  });
});
