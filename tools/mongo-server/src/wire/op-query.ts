import { BSON, type Document } from 'bson';
import { encodeHeader, ProtocolError, type RawMessage } from './framing.js';
import { HEADER_SIZE } from './limits.js';
import { readBsonAt } from './op-msg.js';

export const OP_QUERY = 2004;
export const OP_REPLY = 1;

export interface LegacyQuery {
  collection: string;
  query: Document;
}

/** Legacy OP_QUERY, supported only for commands on `<db>.$cmd` as the driver's first handshake sends. */
export function decodeOpQuery(message: RawMessage): LegacyQuery {
  const { body } = message;
  const end = body.indexOf(0, 4);
  if (body.length < 4 || end < 0) throw new ProtocolError('OP_QUERY: missing collection name');
  const collection = body.toString('utf8', 4, end);
  const { doc } = readBsonAt(body, end + 1 + 8, 'OP_QUERY query');
  return { collection, query: doc };
}

export function encodeOpReply(requestId: number, responseTo: number, reply: Document): Buffer {
  const doc = BSON.serialize(reply);
  const length = HEADER_SIZE + 20 + doc.length;
  const out = Buffer.alloc(length);
  encodeHeader(length, requestId, responseTo, OP_REPLY).copy(out, 0);
  // responseFlags = 0, cursorID = 0, startingFrom = 0 are already zero.
  out.writeInt32LE(1, HEADER_SIZE + 16);
  out.set(doc, HEADER_SIZE + 20);
  return out;
}
