import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger, type Logger } from '@cardbind/shared';
import { DEFAULT_PAGE_CONFIG, KIOSK_API, type KioskPageConfig } from '../kiosk-api.ts';
import { errorBody, HttpError, readJsonBody, SECURITY_HEADERS, sendJson } from './http.ts';
import { startKioskServices, type KioskServices } from './kiosk-services.ts';
import { createSseFeedRoute } from './page-events.ts';
import { TERMINAL_CALL_NAMES, TERMINAL_CALLS, type TerminalCall } from './terminal-calls.ts';
import type { UiAssets } from './ui-build.ts';

export interface KioskHostOptions {
  /** Loopback port; 0 picks a free one. */
  port?: number;
  /** The Cardbind server, e.g. `http://127.0.0.1:7390`. */
  serverUrl: string;
  /** Sent to the server as `Authorization: Bearer …`; never sent to the page, never logged. */
  terminalToken: string;
  /** The reader daemon, e.g. `http://127.0.0.1:7391`. */
  readerUrl: string;
  /** The reader daemon's shared secret, when it has one; never sent to the page. */
  readerToken?: string;
  /** The terminal's settings for the page (language, panel, timing); defaults for the rest. */
  page?: PageSettings;
  logger?: Logger;
}

/** What a technician may set for the page; nested groups may be given in part. */
export interface PageSettings extends Partial<Omit<KioskPageConfig, 'delays' | 'retry' | 'wedge'>> {
  delays?: Partial<KioskPageConfig['delays']>;
  retry?: Partial<KioskPageConfig['retry']>;
  wedge?: Partial<KioskPageConfig['wedge']>;
}

/** The page's configuration: the defaults with the terminal's settings over them. */
export function pageConfig(settings: PageSettings = {}): KioskPageConfig {
  const defaults = DEFAULT_PAGE_CONFIG;
  return {
    ...defaults,
    ...settings,
    delays: { ...defaults.delays, ...settings.delays },
    retry: { ...defaults.retry, ...settings.retry },
    wedge: { ...defaults.wedge, ...settings.wedge },
  };
}

export interface KioskHost {
  /** `http://127.0.0.1:<port>`: open it in the kiosk browser. */
  url: string;
  port: number;
  /**
   * The terminal calls and the reader feed behind the HTTP routes, for the Electron shell's IPC
   * handlers: one implementation for both ways the page can reach the outside.
   */
  services: KioskServices;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

/**
 * Serves the kiosk page with the given UI assets, its same-origin API, and the reader feed.
 * `startKioskHost` builds the assets first; the packaged Electron app passes prebuilt ones.
 */
export async function serveKiosk(options: KioskHostOptions & { ui: UiAssets }): Promise<KioskHost> {
  const logger = options.logger ?? silentLogger;
  const config = pageConfig(options.page);
  const services = startKioskServices({
    serverUrl: options.serverUrl,
    terminalToken: options.terminalToken,
    readerUrl: options.readerUrl,
    ...(options.readerToken ? { readerToken: options.readerToken } : {}),
    config,
    logger,
  });
  const events = createSseFeedRoute(services);
  const assets = assetRoutes(options.ui, config.language);

  let allowedHosts = new Set<string>();
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.error('kiosk host request failed', { path: pathOf(request), error });
      if (!response.headersSent) {
        sendJson(response, 500, errorBody('internal_error', 'The kiosk host failed; see its log.'));
      } else {
        response.destroy();
      }
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Only pages of this very origin may use the host: defeats DNS rebinding and cross-site posts.
    if (!allowedHosts.has(request.headers.host ?? '')) {
      return sendJson(
        response,
        403,
        errorBody('forbidden', `Open the kiosk at http://${LOOPBACK}:${port}.`),
      );
    }
    const path = pathOf(request);
    const method = request.method ?? 'GET';

    const asset = assets.get(path);
    if (asset) {
      if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(response, 'GET');
      response.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': asset.type,
        'content-length': Buffer.byteLength(asset.body),
        'cache-control': asset.cacheControl,
      });
      response.end(method === 'HEAD' ? undefined : asset.body);
      return;
    }

    if (path === KIOSK_API.events) {
      if (method !== 'GET') return methodNotAllowed(response, 'GET');
      events.attach(request, response);
      return;
    }

    if (path === KIOSK_API.config) {
      if (method !== 'GET') return methodNotAllowed(response, 'GET');
      return sendJson(response, 200, services.config);
    }

    const call = terminalCalls.get(path);
    if (call) {
      const expected = TERMINAL_CALLS[call].method;
      if (method !== expected) return methodNotAllowed(response, expected);
      let payload: unknown;
      if (expected === 'POST') {
        const origin = request.headers.origin;
        if (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, ''))) {
          return sendJson(
            response,
            403,
            errorBody('forbidden', 'Cross-origin requests are refused.'),
          );
        }
        try {
          payload = await readJsonBody(request);
        } catch (error) {
          if (!(error instanceof HttpError)) throw error;
          // An oversized body is not read to its end: close the connection rather than drain it.
          if (error.status === 413) response.setHeader('connection', 'close');
          return sendJson(response, error.status, errorBody(error.code, error.message));
        }
      }
      // The services check the payload against the call's schema before forwarding it.
      const answer = await services.terminal(call, payload);
      return sendJson(response, answer.status, answer.body);
    }

    if (path === '/healthz') return sendJson(response, 200, { status: 'ok' });
    return sendJson(response, 404, errorBody('not_found', `No such page: ${method} ${path}`));
  }

  const stopAll = async () => {
    events.close();
    await services.close();
  };

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, LOOPBACK, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await stopAll();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`${LOOPBACK}:${port}`, `localhost:${port}`]);
  const url = `http://${LOOPBACK}:${port}`;
  logger.info('kiosk host listening', {
    url,
    server: options.serverUrl,
    reader: options.readerUrl,
  });

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    services,
    close() {
      closing ??= (async () => {
        const closed = new Promise((resolve) => server.close(resolve));
        await stopAll();
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}

/** The page's routes to the terminal calls of `TERMINAL_CALLS`. */
const terminalCalls = new Map<string, TerminalCall>(
  TERMINAL_CALL_NAMES.map((call) => [KIOSK_API[call], call]),
);

interface Asset {
  body: string;
  type: string;
  cacheControl: string;
}

/**
 * The page and its two assets. Asset names carry a content hash, so they may be cached for good;
 * the HTML, which names them, is never cached.
 */
function assetRoutes(ui: UiAssets, language: string): Map<string, Asset> {
  const hashed = (body: string, extension: string) =>
    `/assets/kiosk-${createHash('sha256').update(body).digest('hex').slice(0, 12)}.${extension}`;
  const script = hashed(ui.script, 'js');
  const css = hashed(ui.css, 'css');
  const immutable = 'public, max-age=31536000, immutable';
  return new Map([
    [
      '/',
      {
        body: indexHtml(script, css, language),
        type: 'text/html; charset=utf-8',
        cacheControl: 'no-store',
      },
    ],
    [script, { body: ui.script, type: 'text/javascript; charset=utf-8', cacheControl: immutable }],
    [css, { body: ui.css, type: 'text/css; charset=utf-8', cacheControl: immutable }],
  ]);
}

/**
 * No inline script or style: the CSP forbids them. The title is replaced by the UI's catalog; the
 * empty icon saves the browser a request for /favicon.ico.
 */
function indexHtml(script: string, css: string, language: string): string {
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cardbind</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${css}">
<script type="module" src="${script}"></script>
</head>
<body>
<div id="app"></div>
</body>
</html>
`;
}

function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://kiosk').pathname;
}

function methodNotAllowed(response: ServerResponse, allow: string): void {
  response.setHeader('allow', allow);
  sendJson(response, 405, errorBody('invalid_request', `Use ${allow} here.`));
}
