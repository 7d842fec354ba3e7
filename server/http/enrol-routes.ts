// `POST /api/enrol/start` and `/finish`: a counsellor sets up her account from an invitation link. The token is
// the only credential; it comes in the JSON body (never in a URL) and only its SHA-256 is looked up.
import { Router, type Request, type Response } from 'express';
import { enrolFinishRequestSchema, enrolStartRequestSchema, errorBody, type ErrorCode } from '../../protocol/index.ts';
import type { AccountStore } from '../accounts/account-store.ts';
import { EnrolmentError, finishEnrolment, startEnrolment } from '../accounts/enrolment.ts';
import type { Clock } from '../../store/clock.ts';

export interface EnrolRouteDeps {
  accounts: AccountStore;
  clock: Clock;
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  WRONG_CODE: 400,
  INVITATION_UNKNOWN: 404,
  INVITATION_EXPIRED: 410,
  INVITATION_USED: 410,
  USERNAME_TAKEN: 409,
  WRONG_STATE: 409,
};

function refuse(res: Response, err: unknown): void {
  if (!(err instanceof EnrolmentError)) throw err;
  res.status(STATUS[err.code] ?? 400).json({ error: errorBody(err.code, err.message) });
}

export function enrolRoutes(deps: EnrolRouteDeps): Router {
  const r = Router();

  r.post('/start', async (req: Request, res: Response) => {
    const parsed = enrolStartRequestSchema.safeParse(req.body);
    if (!parsed.success) return res.status(400).json({ error: errorBody('INVITATION_UNKNOWN') });
    try {
      return res.json(await startEnrolment(deps.accounts, parsed.data.invite, deps.clock.now()));
    } catch (err) {
      return refuse(res, err);
    }
  });

  r.post('/finish', async (req: Request, res: Response) => {
    const parsed = enrolFinishRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? 'body')))].join(', ');
      return res.status(400).json({
        error: errorBody('BAD_REQUEST', `Send { invite, authKey, identityPublicKey, wrappedIdentityKey, totpCode }; wrong: ${fields}.`),
      });
    }
    try {
      return res.json(await finishEnrolment(deps.accounts, parsed.data, deps.clock.now()));
    } catch (err) {
      return refuse(res, err);
    }
  });

  return r;
}
