/** Someone else changed the document since it was read; the caller should reload and try again. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';

  constructor(
    readonly model: string,
    readonly id: string,
    readonly expectedVersion: number,
    /** null when the document no longer exists. */
    readonly actualVersion: number | null,
  ) {
    super(
      actualVersion === null
        ? `${model} ${id} no longer exists (you had version ${expectedVersion})`
        : `${model} ${id} was changed by someone else: you had version ${expectedVersion}, it is now at version ${actualVersion}; reload it and apply your change again`,
    );
  }
}
