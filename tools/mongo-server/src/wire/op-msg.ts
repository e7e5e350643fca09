import { BSON, type Document } from 'bson';
import { crc32c } from './crc32c.js';
import { encodeHeader, ProtocolError, type RawMessage } from './framing.js';
import { HEADER_SIZE } from './limits.js';

export const OP_MSG = 2013;
const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;
const EXHAUST_ALLOWED = 1 << 16;
/** Bits 0-15 are "required": a flag we do not know there must be refused. */
const KNOWN_REQUIRED = CHECKSUM_PRESENT | MORE_TO_COME;

export interface CommandMessage {
  /** The body document with every document-sequence section attached as an array field. */
  command: Document;
  /** Unacknowledged: the client expects no reply. */
  moreToCome: boolean;
  exhaustAllowed: boolean;
  /** Size of the whole message on the wire, used to skip per-document size checks on small messages. */
  messageLength: number;
}

export function readBsonAt(buf: Buffer, offset: number, what: string): { doc: Document; size: number } {
  if (offset + 5 > buf.length) throw new ProtocolError(`${what}: truncated BSON document`);
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > buf.length) {
    throw new ProtocolError(`${what}: BSON document length ${size} does not fit the ${buf.length - offset} bytes left`);
  }
  try {
    return { doc: BSON.deserialize(buf.subarray(offset, offset + size)), size };
  } catch (err) {
    throw new ProtocolError(`${what}: invalid BSON (${(err as Error).message})`);
  }
}

function readCString(buf: Buffer, offset: number, what: string): { value: string; end: number } {
  const end = buf.indexOf(0, offset);
  if (end < 0) throw new ProtocolError(`${what}: unterminated string`);
  return { value: buf.toString('utf8', offset, end), end: end + 1 };
}

export function decodeOpMsg(message: RawMessage): CommandMessage {
  const { body } = message;
  if (body.length < 5) throw new ProtocolError('OP_MSG: too short to hold flags and a section');
  const flags = body.readUInt32LE(0);
  const unknown = flags & 0xffff & ~KNOWN_REQUIRED;
  if (unknown) throw new ProtocolError(`OP_MSG: unknown required flag bits 0x${unknown.toString(16)}`);
  let end = body.length;
  if (flags & CHECKSUM_PRESENT) {
    if (body.length < 9) throw new ProtocolError('OP_MSG: checksum flag set but no room for the checksum');
    end -= 4;
    const expected = body.readUInt32LE(end);
    const header = encodeHeader(
      message.header.messageLength,
      message.header.requestId,
      message.header.responseTo,
      message.header.opCode,
    );
    const actual = crc32c(body.subarray(0, end), crc32c(header));
    if (actual !== expected)
      throw new ProtocolError(`OP_MSG: checksum mismatch (got ${actual}, message says ${expected})`);
  }
  const sections = body.subarray(0, end);
  let command: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  let offset = 4;
  while (offset < sections.length) {
    const kind = sections[offset++];
    if (kind === 0) {
      if (command) throw new ProtocolError('OP_MSG: more than one body section');
      const { doc, size } = readBsonAt(sections, offset, 'OP_MSG body');
      command = doc;
      offset += size;
    } else if (kind === 1) {
      if (offset + 4 > sections.length) throw new ProtocolError('OP_MSG: truncated document sequence');
      const size = sections.readInt32LE(offset);
      const stop = offset + size;
      if (size < 5 || stop > sections.length)
        throw new ProtocolError(`OP_MSG: document sequence length ${size} is out of range`);
      const id = readCString(sections, offset + 4, 'OP_MSG document sequence');
      const docs: Document[] = [];
      let at = id.end;
      while (at < stop) {
        const { doc, size: docSize } = readBsonAt(
          sections.subarray(0, stop),
          at,
          `OP_MSG document sequence '${id.value}'`,
        );
        docs.push(doc);
        at += docSize;
      }
      sequences.push([id.value, docs]);
      offset = stop;
    } else {
      throw new ProtocolError(`OP_MSG: unknown section kind ${kind}`);
    }
  }
  if (!command) throw new ProtocolError('OP_MSG: no body section');
  for (const [id, docs] of sequences) {
    const existing = command[id];
    command[id] = Array.isArray(existing) ? [...existing, ...docs] : docs;
  }
  return {
    command,
    moreToCome: (flags & MORE_TO_COME) !== 0,
    exhaustAllowed: (flags & EXHAUST_ALLOWED) !== 0,
    messageLength: message.header.messageLength,
  };
}

export function encodeOpMsg(requestId: number, responseTo: number, reply: Document, moreToCome = false): Buffer {
  const doc = BSON.serialize(reply);
  const length = HEADER_SIZE + 4 + 1 + doc.length;
  const out = Buffer.allocUnsafe(length);
  encodeHeader(length, requestId, responseTo, OP_MSG).copy(out, 0);
  out.writeUInt32LE(moreToCome ? MORE_TO_COME : 0, HEADER_SIZE);
  out[HEADER_SIZE + 4] = 0;
  out.set(doc, HEADER_SIZE + 5);
  return out;
}
