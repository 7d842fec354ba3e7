// The typed Socket.IO server of a node.
import type { Server } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../protocol/index.ts';

export type HelpdeskIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
