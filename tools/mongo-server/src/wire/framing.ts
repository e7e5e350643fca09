import { HEADER_SIZE, MAX_MESSAGE_SIZE } from './limits.js';

export interface MessageHeader {
  messageLength: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export interface RawMessage {
  header: MessageHeader;
  /** The bytes after the 16-byte header. */
  body: Buffer;
}

/** A malformed message: the connection that sent it is closed, the server keeps running. */
export class ProtocolError extends Error {}

/**
 * Splits a TCP byte stream into whole wire-protocol messages. Refuses a length prefix that is too
 * small to hold a header or larger than the 48 MB message limit, before buffering the body.
 */
export class MessageFramer {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): RawMessage[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const messages: RawMessage[] = [];
    while (this.buffered >= 4) {
      const head = this.peek(4);
      const length = head.readInt32LE(0);
      if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE) {
        throw new ProtocolError(
          `message length ${length} is out of range: it must be between ${HEADER_SIZE} and ${MAX_MESSAGE_SIZE} bytes`,
        );
      }
      if (this.buffered < length) break;
      const bytes = this.take(length);
      messages.push({
        header: {
          messageLength: length,
          requestId: bytes.readInt32LE(4),
          responseTo: bytes.readInt32LE(8),
          opCode: bytes.readInt32LE(12),
        },
        body: bytes.subarray(HEADER_SIZE),
      });
    }
    return messages;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0].length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0];
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
    return out;
  }
}

export function encodeHeader(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const header = Buffer.allocUnsafe(HEADER_SIZE);
  header.writeInt32LE(length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(opCode, 12);
  return header;
}
