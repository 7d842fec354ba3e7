// The Express application: security headers, health checks, the sign-in API and the static client pages.
import { existsSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { errorBody, MAX_JSON_BODY, residentLeaveBeaconSchema } from '../../protocol/index.ts';
import type { Logger } from '../logger.ts';
import { accountRoutes } from './account-routes.ts';
import { authRoutes, type AuthRouteDeps } from './auth-routes.ts';
import { enrolRoutes } from './enrol-routes.ts';
import { sameOriginApi } from './same-origin.ts';
import { securityHeaders } from './security-headers.ts';

export interface HttpAppDeps extends AuthRouteDeps {
  logger: Logger;
  /** PUBLIC_ORIGIN, when set: the only origin state-changing API requests may come from. */
  publicOrigin?: string;
  clientDir: string;
  ready: () => Promise<boolean>;
  /** Ends the visit holding this resume token, if any (the quick-exit beacon). */
  residentLeave: (resumeToken: string, reason: 'ended' | 'exit' | 'abandon') => Promise<void>;
}

export function createHttpApp(deps: HttpAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ok = await deps.ready().catch(() => false);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'unavailable' });
  });

  app.use('/api', sameOriginApi(deps.publicOrigin));
  app.use('/api', express.json({ limit: MAX_JSON_BODY, strict: true, type: 'application/json' }));
  app.use('/api/auth', authRoutes(deps));
  app.use('/api/enrol', enrolRoutes(deps));
  app.use('/api/account', accountRoutes(deps));
  app.post('/api/resident/leave', async (req, res) => {
    const parsed = residentLeaveBeaconSchema.safeParse(req.body);
    if (!parsed.success) return res.status(400).json({ error: errorBody('BAD_REQUEST', 'Send { resumeToken, reason }.') });
    await deps.residentLeave(parsed.data.resumeToken, parsed.data.reason);
    // The same answer whether or not the token matched anything.
    return res.status(204).end();
  });
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: errorBody('NOT_FOUND', 'No such API endpoint.') });
  });

  const staticOptions = { index: false, etag: false, lastModified: false, cacheControl: false, dotfiles: 'ignore' as const };
  // Pre-compressed scripts and styles (the build writes .gz beside them): on slow 3G this cuts the time
  // before libsodium is ready by seconds.
  const root = resolve(deps.clientDir);
  app.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !/\.(js|css)$/.test(req.path)) return next();
    if (!/\bgzip\b/.test(req.get('accept-encoding') ?? '')) return next();
    const file = resolve(root, `.${req.path}`);
    if (!file.startsWith(root + sep) || !existsSync(`${file}.gz`)) return next();
    res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Vary', 'Accept-Encoding');
    res.type(extname(file));
    return res.sendFile(`${file}.gz`, { cacheControl: false, lastModified: false, etag: false, dotfiles: 'ignore' });
  });
  app.use(express.static(deps.clientDir, staticOptions));
  const page = (file: string) => (_req: Request, res: Response) => {
    const path = join(deps.clientDir, file);
    if (!existsSync(path)) return res.status(503).type('text/plain').send('The client is not built yet: run `npm run build`.');
    return res.sendFile(path, { cacheControl: false, lastModified: false, etag: false });
  };
  app.get('/', page('index.html'));
  app.get(['/console', '/console/'], page('console/index.html'));
  app.get(['/supervisor', '/supervisor/'], page('supervisor/index.html'));
  app.get('/safety', page('safety.html'));

  app.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found');
  });
  // Express 5 hands body-parser errors (bad JSON, too large) and handler rejections here.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = typeof err === 'object' && err && 'status' in err && typeof err.status === 'number' ? err.status : 500;
    if (status === 413) return res.status(413).json({ error: errorBody('PAYLOAD_TOO_LARGE') });
    if (status >= 400 && status < 500)
      return res.status(400).json({ error: errorBody('BAD_REQUEST', 'The request body is not valid JSON.') });
    deps.logger.error({ err: err instanceof Error ? err.message : 'unknown' }, 'http handler failed');
    return res.status(500).json({ error: errorBody('INTERNAL') });
  });
  return app;
}
