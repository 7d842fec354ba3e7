// The supervisor's socket: the shared Transport (same origin, WebSocket only, acknowledgements with a timeout,
// connection state) with one more method typed by the supervisor's event map of protocol/supervisor.ts.
import type { Ack } from '../../protocol/events.ts';
import type { SupervisorEventName, SupervisorToServerEvents } from '../../protocol/supervisor.ts';
import { Transport, type RequestResult } from '../shared/transport.ts';

export type SupervisorPayload<E extends SupervisorEventName> = Parameters<SupervisorToServerEvents[E]>[0];
export type SupervisorData<E extends SupervisorEventName> = Parameters<SupervisorToServerEvents[E]>[1] extends Ack<infer T> ? T : never;

type UntypedRequest = (event: string, payload: unknown) => Promise<RequestResult<unknown>>;

export class SupervisorTransport extends Transport {
  /** A supervisor request answered through its acknowledgement (`{ ok, data } | { ok: false, error }`). */
  ask<E extends SupervisorEventName>(event: E, payload: SupervisorPayload<E>): Promise<RequestResult<SupervisorData<E>>> {
    // Transport.request is typed by the counsellor's and resident's map; the wire behaviour is the same, so the
    // event name is only re-typed here, once, and callers stay checked against the supervisor's map.
    const request = this.request as unknown as UntypedRequest;
    return request.call(this, event, payload) as Promise<RequestResult<SupervisorData<E>>>;
  }
}

/** What views and the signing-key vault are handed instead of the socket. */
export type Ask = <E extends SupervisorEventName>(event: E, payload: SupervisorPayload<E>) => Promise<RequestResult<SupervisorData<E>>>;
