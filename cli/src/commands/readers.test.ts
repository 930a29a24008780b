import { loadProfile, unconfirmedFacts, type AttachedDevice } from '@cardbind/daemon';
import { describe, expect, it } from 'vitest';
import { attachedDeviceLines, unconfirmedNotice } from './readers.ts';

describe('cardbind readers: what a technician is told to check', () => {
  const pcprox: AttachedDevice = {
    transport: 'hid',
    path: '/dev/hidraw0',
    vendorId: 0x0c27,
    productId: 0x3bfa,
    product: 'pcProx',
    profiles: ['rfideas-pcprox-keyboard', 'rfideas-pcprox-sdk'],
    unconfirmed: { 'rfideas-pcprox-keyboard': [], 'rfideas-pcprox-sdk': ['hid', 'output'] },
  };

  it('lists under a device the unconfirmed facts of each profile that fits it', () => {
    const [device, ...notes] = attachedDeviceLines(pcprox);
    expect(device).toMatch(
      /^hid +\/dev\/hidraw0 +0c27:3bfa +pcProx +rfideas-pcprox-keyboard, rfideas-pcprox-sdk$/,
    );
    expect(notes).toEqual(['        rfideas-pcprox-sdk: unconfirmed hid, output']);
  });

  it('adds nothing for a device without a fitting profile', () => {
    const unknown = { ...pcprox, vendorId: null, productId: null, profiles: [], unconfirmed: {} };
    expect(attachedDeviceLines(unknown)).toEqual([expect.stringContaining('----:----') as string]);
  });

  it('gives the reasons of the tested profile before the first read', () => {
    const profile = loadProfile('rfideas-pcprox-sdk');
    const lines = unconfirmedNotice(profile, unconfirmedFacts(profile));
    expect(lines[0]).toContain('rfideas-pcprox-sdk has unconfirmed facts');
    expect(lines.slice(1)).toEqual([
      `  hid: ${profile.sources.hid}`,
      `  output: ${profile.sources.output}`,
    ]);
    expect(lines.slice(1).every((line) => line.includes(': unconfirmed'))).toBe(true);
    expect(unconfirmedNotice(profile, [])).toEqual([]);
  });
});
