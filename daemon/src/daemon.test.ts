import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CardEvent, ReaderStatus } from '@cardbind/shared';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startReaderDaemon, type ReaderDaemon } from './daemon.ts';
import { startPtyPair } from './testing/pty-pair.ts';
import { simulateSwipe } from './simulate.ts';
import { subscribe } from './testing/sse-client.ts';

describe('reader daemon', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const start = async (options: Parameters<typeof startReaderDaemon>[0]) => {
    const daemon = await startReaderDaemon(options);
    cleanups.push(() => daemon.close());
    return daemon;
  };
  const events = async (daemon: ReaderDaemon, headers?: Record<string, string>) => {
    const stream = await subscribe(`${daemon.url}/v1/events`, headers);
    cleanups.push(() => stream.close());
    return stream;
  };
  const tempDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cardbind-daemon-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  it('publishes simulated swipes, normalized and repeat-suppressed, on loopback SSE', async () => {
    const daemon = await start({ repeatWindowMs: 60_000 });
    expect(daemon.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const stream = await events(daemon);
    await simulateSwipe({ port: daemon.port, cardId: ' 04a1b2c3d4 ' });
    const { data } = await stream.next('card');
    expect(CardEvent.parse(data)).toEqual({
      cardId: '04A1B2C3D4',
      readerId: 'simulated',
      profile: 'simulated',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    await simulateSwipe({ port: daemon.port, cardId: '04A1B2C3D4' }); // suppressed
    await simulateSwipe({ port: daemon.port, cardId: '04A1B2C3D4', readerId: 'desk' });
    expect((await stream.next('card')).data).toMatchObject({ readerId: 'desk' });
    expect(stream.events).toEqual([]);
    await expect(simulateSwipe({ port: daemon.port, cardId: 'AB CD' })).rejects.toThrow(
      /refused the swipe: .*not a card number/,
    );
  });

  it('tells `cardbind swipe` users when no daemon listens, and names bad arguments', async () => {
    const daemon = await start({});
    const port = daemon.port;
    await daemon.close();
    await expect(simulateSwipe({ port, cardId: 'AB' })).rejects.toThrow(
      /No reader daemon on 127\.0\.0\.1:\d+.*cardbind reader/,
    );
    await expect(simulateSwipe({ port: 0, cardId: 'AB' })).rejects.toThrow(/"port"/);
    await expect(simulateSwipe({ port, cardId: '' })).rejects.toThrow(/"cardId"/);
  });

  it('tells `cardbind swipe` users when what listens on the port is no reader daemon', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket)); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      sockets.forEach((socket) => socket.destroy());
      return new Promise((resolve) => silent.close(resolve));
    });
    const { port } = silent.address() as { port: number };
    await expect(simulateSwipe({ port, cardId: 'AB', timeoutMs: 200 })).rejects.toThrow(
      /does not answer like a reader daemon/,
    );
  });

  it('reads a real PTY with serialport, suppresses repeats, and reopens a port that comes back', async () => {
    const dir = tempDir();
    let pty = await startPtyPair(dir);
    cleanups.push(() => pty.stop());

    const daemon = await start({
      readers: [{ path: pty.readerEnd, profile: 'generic-serial', readerId: 'front' }],
      repeatWindowMs: 60_000,
    });
    const stream = await events(daemon);
    expect((await stream.next('reader')).data).toMatchObject({
      readerId: 'front',
      status: 'connected',
    });

    writeFileSync(pty.deviceEnd, '04A1B2C3D4\r\n');
    expect(CardEvent.parse((await stream.next('card')).data)).toMatchObject({
      cardId: '04A1B2C3D4',
      readerId: 'front',
      profile: 'generic-serial',
    });
    writeFileSync(pty.deviceEnd, '04a1b2c3d4\r\n'); // held in the field: suppressed
    writeFileSync(pty.deviceEnd, '\x00\xff\x13garbage\r\n' + 'X'.repeat(500) + '\r\n'); // dropped
    writeFileSync(pty.deviceEnd, '0000112233\n'); // another card: delivered
    expect((await stream.next('card')).data).toMatchObject({ cardId: '0000112233' });
    expect(stream.events).toEqual([]);

    // Unplug: the PTY vanishes. Plug back in: a new PTY appears at the same path.
    await pty.stop();
    expect(ReaderStatus.parse((await stream.next('reader')).data)).toMatchObject({
      readerId: 'front',
      status: 'disconnected',
    });
    pty = await startPtyPair(dir);
    expect((await stream.next('reader')).data).toMatchObject({ status: 'connected' });
    writeFileSync(pty.deviceEnd, 'AABBCCDD\r');
    expect((await stream.next('card')).data).toMatchObject({ cardId: 'AABBCCDD' });

    const health = await request(`${daemon.url}/healthz`);
    expect(await health.body.json()).toEqual({
      status: 'ok',
      readers: [{ readerId: 'front', status: 'connected', at: expect.any(String) }],
    });
  }, 20_000);

  it('reports a reader missing at start as disconnected until it is plugged in', async () => {
    const dir = tempDir();
    const daemon = await start({
      readers: [{ path: path.join(dir, 'reader'), profile: 'generic-serial' }],
    });
    const stream = await events(daemon);
    expect((await stream.next('reader')).data).toMatchObject({
      readerId: `serial:${path.join(dir, 'reader')}`,
      status: 'disconnected',
    });
    const pty = await startPtyPair(dir);
    cleanups.push(() => pty.stop());
    expect((await stream.next('reader')).data).toMatchObject({ status: 'connected' });
  }, 20_000);

  it('refuses a wrong configuration at start', async () => {
    await expect(
      startReaderDaemon({ readers: [{ path: '/dev/null', profile: 'nope' }] }),
    ).rejects.toThrow(/Unknown reader profile "nope"/);
    await expect(startReaderDaemon({ readers: [{ profile: 'generic-serial' }] })).rejects.toThrow(
      /generic-serial is a serial reader: give its device path/,
    );
    await expect(
      startReaderDaemon({
        readers: [
          { path: '/dev/ttyUSB0', profile: 'generic-serial', readerId: 'front' },
          { path: '/dev/ttyUSB1', profile: 'generic-serial', readerId: 'front' },
        ],
      }),
    ).rejects.toThrow(/"readers\[1\]": reader id "front" is used twice/);
    await expect(startReaderDaemon({ port: 70_000 })).rejects.toThrow(/"port"/);
    await expect(startReaderDaemon({ repeatWindowMs: -1 })).rejects.toThrow(/"repeatWindowMs"/);
  });

  it('guards the stream and simulated swipes with its token, when it has one', async () => {
    const daemon = await start({ token: 'kiosk-secret', repeatWindowMs: 0 });
    const anonymous = await request(`${daemon.url}/v1/events`);
    expect(anonymous.statusCode).toBe(401);
    expect(((await anonymous.body.json()) as { error: { code: string } }).error.code).toBe(
      'unauthorized',
    );
    await expect(simulateSwipe({ port: daemon.port, cardId: 'AB12' })).rejects.toThrow(
      /needs its token/,
    );
    await expect(
      simulateSwipe({ port: daemon.port, cardId: 'AB12', token: 'wrong' }),
    ).rejects.toThrow(/needs its token/);
    const stream = await events(daemon, { authorization: 'Bearer kiosk-secret' });
    await simulateSwipe({ port: daemon.port, cardId: 'AB12', token: 'kiosk-secret' });
    expect((await stream.next('card')).data).toMatchObject({ cardId: 'AB12' });
    const health = await request(`${daemon.url}/healthz`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
  });
});
