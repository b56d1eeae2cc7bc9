/** The Socket.IO event both the server under test and the generator use for chat messages. */
export const SOCKET_IO_EVENT = 'chat';
