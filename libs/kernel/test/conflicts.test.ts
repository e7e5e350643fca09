import { describe, expect, it } from 'vitest';
import { checkRevision, ConflictError, retryOnConflict } from '../src/index.js';

/** A stored counter whose write checks the revision read, and a hook that lands another write in between. */
function store() {
  const s = { value: 0, revision: 0, between: [] as (() => void)[] };
  return {
    s,
    read: () => ({ value: s.value, revision: s.revision }),
    write(value: number, revision: number) {
      s.between.shift()?.();
      if (revision !== s.revision) throw new ConflictError('Counter', 'c', revision, s.revision);
      s.value = value;
      s.revision++;
    },
  };
}

describe('retryOnConflict', () => {
  it('re-reads and re-applies a change without expectedRevision when another write lands in between', async () => {
    const { s, read, write } = store();
    s.between.push(() => ((s.value += 10), s.revision++));
    const seen: number[] = [];
    await retryOnConflict(async () => {
      const current = read();
      seen.push(current.value);
      write(current.value + 1, current.revision);
    });
    expect(seen).toEqual([0, 10]);
    expect(s).toMatchObject({ value: 11, revision: 2 });
  });

  it('keeps the conflict when the caller gave an expectedRevision', async () => {
    const { s, read, write } = store();
    s.between.push(() => s.revision++);
    const change = retryOnConflict(
      async () => {
        const current = read();
        checkRevision('Counter', 'c', 0, current.revision);
        write(current.value + 1, current.revision);
      },
      { expectedRevision: 0 },
    );
    await expect(change).rejects.toBeInstanceOf(ConflictError);
    expect(s.value).toBe(0);
  });

  it('gives up after the attempts, with the last conflict saying how many, and passes other errors through at once', async () => {
    let runs = 0;
    await expect(
      retryOnConflict(
        async () => {
          runs++;
          throw new ConflictError('Counter', 'c', runs - 1, runs);
        },
        { attempts: 3 },
      ),
    ).rejects.toMatchObject({
      message:
        'Counter c was changed by someone else: you had version 2, it is now at version 3; reload it and apply your change again',
      attempts: 3,
    });
    expect(runs).toBe(3);
    let ruleRuns = 0;
    const refused = retryOnConflict(async () => {
      ruleRuns++;
      throw new RangeError('the rule no longer holds');
    });
    await expect(refused).rejects.toThrow('the rule no longer holds');
    expect(ruleRuns).toBe(1);
  });

  it('lands every one of many writers racing on one record, where retries at once would give up (a hot gate under load)', async () => {
    const racing = async (backoffMs?: number) => {
      const s = { value: 0, revision: 0 };
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, () =>
          retryOnConflict(
            async () => {
              const read = { ...s };
              await new Promise((resolve) => setTimeout(resolve, 1)); // the write's round trip
              if (read.revision !== s.revision) throw new ConflictError('Gate', 'g', read.revision, s.revision);
              s.value = read.value + 1;
              s.revision++;
            },
            backoffMs === undefined ? {} : { backoffMs },
          ),
        ),
      );
      return { value: s.value, refused: results.filter((r) => r.status === 'rejected').length };
    };
    // At once, each round lets one writer through: eight attempts land eight of twelve.
    expect(await racing(0)).toEqual({ value: 8, refused: 4 });
    expect(await racing()).toEqual({ value: 12, refused: 0 });
  });

  it('refuses a stale expectedRevision, and lets a change without one through', () => {
    expect(() => checkRevision('Release', 'r1', 3, 4)).toThrow(
      'Release r1 was changed by someone else: you had version 3, it is now at version 4',
    );
    expect(() => checkRevision('Release', 'r1', undefined, 4)).not.toThrow();
    expect(() => checkRevision('Release', 'r1', 4, 4)).not.toThrow();
  });
});
