import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ForecastChart } from './ForecastChart.js';
import { forecastView, type ForecastInput } from './forecast.js';

const timeline = {
  developmentStart: '2027-01-04T00:00:00Z',
  featureComplete: '2027-02-08T00:00:00Z',
  milestones: [
    { name: 'Alpha', date: '2027-02-01T00:00:00Z' },
    { name: 'Code freeze', date: '2027-02-15T00:00:00Z' },
    { name: 'Beta', date: '2027-02-15T00:00:00Z' },
    { name: 'Feature complete', date: '2027-02-08T00:00:00Z' },
    { name: 'Production', date: '2027-03-01T00:00:00Z' },
  ],
};
const input: ForecastInput = {
  targetDate: '2027-03-01T00:00:00Z',
  timeline,
  forecast: {
    p50: '2027-02-03T00:00:00Z',
    p85: '2027-02-11T00:00:00Z',
    p95: '2027-02-16T00:00:00Z',
    probabilityOnTime: 0.62,
    bufferDays: -3,
  },
};

describe('forecastView', () => {
  it('draws the completion curve through P50, P85 and P95 with the band between P50 and P95', () => {
    const view = forecastView(input);
    expect(view.curve.map((c) => [new Date(c.t).toISOString().slice(0, 10), c.p])).toEqual([
      ['2027-01-04', 0],
      ['2027-02-03', 0.5],
      ['2027-02-11', 0.85],
      ['2027-02-16', 0.95],
    ]);
    expect(view.band).toEqual({ from: Date.parse('2027-02-03T00:00:00Z'), to: Date.parse('2027-02-16T00:00:00Z') });
  });

  it('marks feature complete and the release once, and the other milestones one per day', () => {
    const view = forecastView(input);
    expect(view.markers.map((m) => `${m.kind}:${m.label}`)).toEqual([
      'feature-complete:Feature complete',
      'release:Release',
      'milestone:Alpha',
      'milestone:Code freeze / Beta',
    ]);
    // The axis holds every point and marker with a day to spare.
    expect(view.domain).toEqual([Date.parse('2027-01-03T00:00:00Z'), Date.parse('2027-03-02T00:00:00Z')]);
  });

  it('says the chance of being on time and whether P85 is late, in a sentence', () => {
    expect(forecastView(input).summary).toBe(
      '62% chance of reaching feature complete by 2027-02-08; P50 2027-02-03, P85 2027-02-11, P95 2027-02-16; P85 is 3.0 days late.',
    );
    const early = forecastView({ ...input, forecast: { ...input.forecast!, bufferDays: 4.5 } });
    expect(early.summary).toMatch(/P85 leaves 4\.5 days of buffer\.$/);
  });

  it('without a forecast, says so and draws only the calendar', () => {
    const view = forecastView({ ...input, forecast: null });
    expect(view.curve).toEqual([]);
    expect(view.band).toBeUndefined();
    expect(view.summary).toBe(
      'No forecast yet: feature complete is planned for 2027-02-08 and the release for 2027-03-01.',
    );
  });
});

describe('ForecastChart', () => {
  it('renders an SVG chart with the summary as its accessible name and caption', () => {
    const { container } = render(<ForecastChart input={input} width={640} />);
    const summary = forecastView(input).summary;
    expect(screen.getByRole('img', { name: summary })).toBeTruthy();
    expect(screen.getByText(summary).tagName).toBe('FIGCAPTION');
    expect(container.querySelector('svg')).not.toBeNull();
    expect(container.textContent).toContain('P50–P95');
  });
});
