import { describe, expect, it } from 'vitest';
import { currentContext, runWithContext } from '../src/index.js';
import { capturedLogger } from './capture.js';

describe('createLogger', () => {
  it('writes JSON lines with service, level and time', () => {
    const { logger, lines } = capturedLogger('planning');
    logger.info({ releaseId: 'r1' }, 'release created');
    expect(lines).toEqual([
      {
        level: 'info',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        service: 'planning',
        releaseId: 'r1',
        msg: 'release created',
      },
    ]);
  });

  it('adds the request and correlation ids of the current context, across awaits', async () => {
    const { logger, lines } = capturedLogger();
    await runWithContext({ requestId: 'req-1', correlationId: 'corr-1' }, async () => {
      await new Promise((r) => setTimeout(r, 5));
      logger.warn('inside');
    });
    logger.info('outside');
    expect(lines[0]).toMatchObject({ msg: 'inside', requestId: 'req-1', correlationId: 'corr-1' });
    expect(lines[1]).not.toHaveProperty('requestId');
    expect(currentContext()).toBeUndefined();
  });

  it('redacts authorization headers', () => {
    const { logger, lines } = capturedLogger();
    logger.info({ headers: { authorization: 'Bearer secret-token' } }, 'incoming');
    expect(JSON.stringify(lines)).not.toContain('secret-token');
    expect(lines[0]).toMatchObject({ headers: { authorization: '[redacted]' } });
  });
});
