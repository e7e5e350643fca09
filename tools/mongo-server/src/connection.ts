import type net from 'node:net';
import type { ServerState } from './commands/context.js';
import { runCommand } from './commands/index.js';
import { ErrorCodes } from './errors.js';
import { MessageFramer, ProtocolError, type RawMessage } from './wire/framing.js';
import { decodeOpMsg, encodeOpMsg, OP_MSG } from './wire/op-msg.js';
import { decodeOpQuery, encodeOpReply, OP_QUERY } from './wire/op-query.js';

let nextRequestId = 1;

/**
 * One client connection: frames messages, runs their commands one after another (so replies keep
 * request order), and closes only this connection when a message is malformed.
 */
export function serveConnection(socket: net.Socket, state: ServerState, connectionId: number): void {
  const framer = new MessageFramer();
  const log = state.logger.child({ connectionId, remote: `${socket.remoteAddress}:${socket.remotePort}` });
  let queue = Promise.resolve();
  let closed = false;

  const reject = (err: unknown): void => {
    if (closed) return;
    closed = true;
    log.warn({ reason: (err as Error).message }, 'closing connection: malformed message');
    socket.destroy();
  };

  const handle = async (message: RawMessage): Promise<void> => {
    if (message.header.opCode === OP_MSG) {
      const msg = decodeOpMsg(message);
      const reply = await runCommand(state, { body: msg.command, connectionId, messageLength: msg.messageLength });
      if (!msg.moreToCome && !closed) socket.write(encodeOpMsg(nextRequestId++, message.header.requestId, reply));
      return;
    }
    if (message.header.opCode === OP_QUERY) {
      const { collection, query } = decodeOpQuery(message);
      const reply = collection.endsWith('.$cmd')
        ? await runCommand(state, {
            body: (query.$query ?? query.query ?? query) as Record<string, unknown>,
            db: collection.slice(0, -'.$cmd'.length),
            connectionId,
            messageLength: message.header.messageLength,
          })
        : {
            $err: 'OP_QUERY is only supported for commands on <db>.$cmd; use OP_MSG',
            code: ErrorCodes.UnsupportedOpQueryCommand,
            ok: 0,
          };
      if (!closed) socket.write(encodeOpReply(nextRequestId++, message.header.requestId, reply));
      return;
    }
    throw new ProtocolError(
      `unsupported opcode ${message.header.opCode}: this server speaks OP_MSG (2013) and OP_QUERY (2004) handshakes`,
    );
  };

  socket.on('data', (chunk) => {
    let messages: RawMessage[];
    try {
      messages = framer.push(chunk);
    } catch (err) {
      return reject(err);
    }
    for (const message of messages) {
      queue = queue
        .then(() => (closed ? undefined : handle(message)))
        .catch((err) => {
          if (err instanceof ProtocolError) return reject(err);
          log.error({ err }, 'closing connection: unexpected failure handling a message');
          reject(err);
        });
    }
  });
  socket.on('error', (err) => log.debug({ err }, 'connection error'));
  socket.on('close', () => {
    closed = true;
  });
}
