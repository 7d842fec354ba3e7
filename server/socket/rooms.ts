// Socket.IO room names, built in one place.
export const rooms = {
  ticket: (ticketId: string) => `ticket:${ticketId}`,
  chat: (chatId: string) => `chat:${chatId}`,
  counsellor: (counsellorId: string) => `counsellor:${counsellorId}`,
  line: (association: string) => `line:${association}`,
  /** All sockets of one sign-in session, so signing out closes them everywhere. */
  session: (sessionHash: string) => `session:${sessionHash}`,
  /** An association's supervisors: the live board is pushed here (server/board/). */
  supervisors: (association: string) => `supervisors:${association}`,
};
