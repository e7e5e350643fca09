import mongoose from 'mongoose';

// The driver mongoose itself runs on, so instanceof sees the errors it throws.
const { MongoNetworkError, MongoNotConnectedError, MongoServerSelectionError, MongoTopologyClosedError } =
  mongoose.mongo;

/**
 * True when `err` (or an error in its cause chain) says MongoDB could not be reached, rather than that it refused
 * the operation: no server to select, a connection lost or timed out, a client not (or no longer) connected, or an
 * operation mongoose buffered until its timeout while disconnected. The event buses hold an event instead of
 * spending its deliveries on such a failure.
 */
export function isStoreUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (
      e instanceof MongoNetworkError ||
      e instanceof MongoServerSelectionError ||
      e instanceof MongoNotConnectedError ||
      e instanceof MongoTopologyClosedError ||
      e instanceof mongoose.Error.MongooseServerSelectionError ||
      // mongoose gives its buffering timeout no class of its own, only this message.
      (e instanceof mongoose.Error && /buffering timed out/.test(e.message))
    )
      return true;
  }
  return false;
}
