import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ScopeNotes } from './ScopeNotes.js';

describe('ScopeNotes', () => {
  it('lists breaking changes with their migration, and left-out features with why and where they go', () => {
    render(
      <ScopeNotes
        features={[
          { id: 'f1', title: 'Gift cards' },
          {
            id: 'f2',
            title: 'Payments API v2',
            breakingChange: 'The v1 payments endpoint is removed.',
            migration: 'Call /v2/payments; the body is unchanged.',
          },
          { id: 'f3', title: 'Wishlist', exclusion: { reason: 'design not ready', targetRelease: '2.5.0' } },
          { id: 'f4', title: 'Dark mode', exclusion: { reason: 'dropped by product', targetRelease: null } },
        ]}
      />,
    );
    expect(screen.getAllByRole('heading').map((h) => h.textContent)).toEqual(['Breaking changes', 'Left out']);
    const items = screen.getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual([
      'Payments API v2: The v1 payments endpoint is removed. Migration: Call /v2/payments; the body is unchanged.',
      'Wishlist: design not ready (planned for 2.5.0)',
      'Dark mode: dropped by product',
    ]);
  });

  it('says nothing when no feature is breaking or left out', () => {
    const { container } = render(<ScopeNotes features={[{ id: 'f1', title: 'Gift cards' }]} />);
    expect(container.textContent).toBe('');
  });
});
