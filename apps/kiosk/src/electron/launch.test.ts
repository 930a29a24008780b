import { describe, expect, it } from 'vitest';
import { ElectronUnavailableError, findElectronBinary, launchElectronKiosk } from './launch.ts';

describe('finding the Electron binary', () => {
  it('uses the path the electron package reports when the file is there', () => {
    expect(
      findElectronBinary(
        () => '/opt/electron/electron',
        (file) => file === '/opt/electron/electron',
      ),
    ).toBe('/opt/electron/electron');
  });

  it('finds nothing when the package says the binary was not downloaded', () => {
    const notDownloaded = () => {
      throw new Error('Electron failed to install correctly, please delete node_modules/electron');
    };
    expect(findElectronBinary(notDownloaded, () => true)).toBeUndefined();
  });

  it('finds nothing when the reported file is missing', () => {
    expect(
      findElectronBinary(
        () => '/nowhere/electron',
        () => false,
      ),
    ).toBeUndefined();
  });
});

describe('launching the Electron kiosk', () => {
  it.skipIf(findElectronBinary() !== undefined)(
    'says to use a browser when Electron is not installed',
    async () => {
      const launching = launchElectronKiosk({ url: 'http://127.0.0.1:7392' });
      await expect(launching).rejects.toThrow(ElectronUnavailableError);
      await expect(launching).rejects.toThrow(
        'Electron is not installed on this machine; open http://127.0.0.1:7392 in a browser instead',
      );
    },
  );
});
