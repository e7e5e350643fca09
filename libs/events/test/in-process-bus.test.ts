import { afterEach, beforeEach } from 'vitest';
import { InProcessBus } from '../src/index.js';
import { busBehaviour } from './bus-behaviour.js';
import { isDependencyDown } from './helpers.js';
import { eventMetricsBehaviour } from './event-metrics.js';

let bus: InProcessBus;
beforeEach(() => {
  bus = new InProcessBus({ isUnavailable: isDependencyDown });
});
afterEach(async () => {
  await bus.close();
});

busBehaviour('InProcessBus', () => ({
  bus,
  injectRaw: async (subject, data) => {
    await bus.publishRaw(subject, data);
  },
}));

eventMetricsBehaviour('InProcessBus', () => ({
  bus,
  injectRaw: async (subject, data) => {
    await bus.publishRaw(subject, data);
  },
}));
