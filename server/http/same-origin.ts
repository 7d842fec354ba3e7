// Defence in depth against cross-site request forgery on the API. Sessions are bearer tokens in a header (no
// cookies), which a forged cross-site request cannot carry, so this is a second wall: every state-changing
// request must be JSON (which a plain HTML form cannot send) and, when the browser says where it comes from,
// come from this origin.
import type { Request, RequestHandler, Response } from 'express';
import { errorBody } from '../../protocol/index.ts';
import { originAllowed } from '../socket/authenticate.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// 'none' is a request the person started herself (typed address, bookmark): not forgeable by another site.
const ALLOWED_FETCH_SITES = new Set(['same-origin', 'none']);

function refuse(res: Response, message: string): void {
  res.status(403).json({ error: errorBody('FORBIDDEN', message) });
}

function isJson(req: Request): boolean {
  const type = (req.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  return type === 'application/json';
}

export function sameOriginApi(publicOrigin: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const site = req.get('sec-fetch-site');
    if (site !== undefined && !ALLOWED_FETCH_SITES.has(site.toLowerCase())) return refuse(res, 'Requests from another site are refused.');
    if (!originAllowed(req.get('origin'), req.get('host'), publicOrigin)) return refuse(res, 'Requests from another origin are refused.');
    if (!isJson(req)) return refuse(res, 'Send the request body as application/json.');
    return next();
  };
}
