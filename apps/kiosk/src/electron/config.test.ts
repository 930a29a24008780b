import { describe, expect, it } from 'vitest';
import { DEFAULT_READER_URL, parseElectronConfig } from './config.ts';

const TOKEN = { CARDBIND_TERMINAL_TOKEN: 'cbt_secret' };

describe('Electron kiosk configuration', () => {
  it('shows a running kiosk host given its URL', () => {
    expect(parseElectronConfig(['--kiosk-url', 'http://127.0.0.1:7392'], {})).toEqual({
      mode: 'attach',
      url: 'http://127.0.0.1:7392/',
      panel: null,
    });
    expect(parseElectronConfig([], { CARDBIND_KIOSK_URL: 'http://localhost:9/' })).toEqual({
      mode: 'attach',
      url: 'http://localhost:9/',
      panel: null,
    });
  });

  it('refuses to show a kiosk URL that is not on this machine', () => {
    expect(() => parseElectronConfig(['--kiosk-url=https://example.org/'], {})).toThrow(
      /on this machine/,
    );
  });

  it('starts its own host from flags, with the token from the environment', () => {
    expect(
      parseElectronConfig(
        [
          '/opt/app/cardbind-kiosk',
          '--server=http://cardbind.lan:7390',
          '--reader',
          'http://127.0.0.1:9999',
          '--port',
          '7392',
        ],
        TOKEN,
      ),
    ).toEqual({
      mode: 'host',
      serverUrl: 'http://cardbind.lan:7390',
      terminalToken: 'cbt_secret',
      readerToken: null,
      readerUrl: 'http://127.0.0.1:9999',
      port: 7392,
      language: null,
      readerArgs: null,
      panel: null,
    });
  });

  it('falls back to the environment, then to defaults', () => {
    expect(
      parseElectronConfig([], { ...TOKEN, CARDBIND_SERVER_URL: 'https://cardbind.example' }),
    ).toEqual({
      mode: 'host',
      serverUrl: 'https://cardbind.example',
      terminalToken: 'cbt_secret',
      readerToken: null,
      readerUrl: DEFAULT_READER_URL,
      port: 0,
      language: null,
      readerArgs: null,
      panel: null,
    });
    expect(
      parseElectronConfig(['--server', 'http://a:1'], {
        ...TOKEN,
        CARDBIND_SERVER_URL: 'http://b:2',
        CARDBIND_READER_URL: 'http://127.0.0.1:3',
        CARDBIND_KIOSK_PORT: '4',
      }),
    ).toMatchObject({ serverUrl: 'http://a:1', readerUrl: 'http://127.0.0.1:3', port: 4 });
  });

  it("takes the panel, the language and the bundled reader daemon's arguments", () => {
    expect(
      parseElectronConfig(['--server', 'http://a:1', '--panel', 'rpi-touch-display-7'], {
        ...TOKEN,
        CARDBIND_LANGUAGE: 'de',
        CARDBIND_READER_ARGS: ' --serial /dev/ttyACM0  --profile generic-serial ',
      }),
    ).toMatchObject({
      panel: 'rpi-touch-display-7',
      language: 'de',
      readerArgs: ['--serial', '/dev/ttyACM0', '--profile', 'generic-serial'],
    });
    expect(
      parseElectronConfig(['--kiosk-url=http://127.0.0.1:1'], { CARDBIND_PANEL: 'x-1' }),
    ).toEqual({ mode: 'attach', url: 'http://127.0.0.1:1/', panel: 'x-1' });
    expect(
      parseElectronConfig(['--server', 'http://a:1'], { ...TOKEN, CARDBIND_READER_ARGS: '  ' }),
    ).toMatchObject({ readerArgs: null });
  });

  it('ignores the switches Electron and Chromium add', () => {
    expect(
      parseElectronConfig(['--no-sandbox', '--enable-logging', '--server', 'http://a:1'], TOKEN),
    ).toMatchObject({ mode: 'host', serverUrl: 'http://a:1' });
  });

  it('refuses the terminal token on the command line', () => {
    expect(() =>
      parseElectronConfig(['--server', 'http://a:1', '--terminal-token', 'cbt_x'], TOKEN),
    ).toThrow(/CARDBIND_TERMINAL_TOKEN/);
  });

  it('takes the reader token from the environment only', () => {
    expect(
      parseElectronConfig(['--server', 'http://a:1'], {
        ...TOKEN,
        CARDBIND_READER_TOKEN: 'cbr_secret',
      }),
    ).toMatchObject({ readerToken: 'cbr_secret' });
    expect(() =>
      parseElectronConfig(['--server', 'http://a:1', '--reader-token=cbr_x'], TOKEN),
    ).toThrow(/CARDBIND_READER_TOKEN/);
  });

  it.each([
    [[], TOKEN, /needs the Cardbind server URL/],
    [['--server', 'http://a:1'], {}, /needs the terminal token/],
    [['--server', 'nope'], TOKEN, /not a URL/],
    [['--server', 'ftp://a/'], TOKEN, /http:\/\//],
    [['--server', 'http://a:1', '--port', '70000'], TOKEN, /0 to 65535/],
    [['--server', 'http://a:1', '--port', '-1'], TOKEN, /0 to 65535/],
    [['--server', 'http://a:1', '--language', 'xx'], TOKEN, /no "xx" language; use one of en, de/],
    [['--server', 'http://a:1', '--panel', '../etc/passwd'], TOKEN, /not a panel profile id/],
  ] as const)('explains what is wrong: %j', (argv, env, message) => {
    expect(() => parseElectronConfig(argv, env)).toThrow(message);
  });
});
