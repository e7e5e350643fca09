import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { FreezeChecklist, type FreezeItem } from './FreezeChecklist.js';

const items: FreezeItem[] = [
  {
    id: 'branch-cut',
    phase: 'PRE_FREEZE',
    title: 'Release branch cut',
    ticked: true,
    evidence: 'https://git.example.com/shop/branches/release-2.4',
    byName: 'Rita',
    at: '2027-03-01T10:00:00Z',
  },
  { id: 'branch-protected', phase: 'FREEZE', title: 'Release branch protected', ticked: false },
  { id: 'daily-triage', phase: 'STABILISATION', title: 'Daily bug triage', ticked: false },
];

describe('FreezeChecklist', () => {
  it('shows the items by phase, ticked ones with their evidence and who ticked them', () => {
    render(<FreezeChecklist items={items} />);
    expect(screen.getByText('1 of 3 items ticked.')).toBeTruthy();
    expect(screen.getAllByRole('heading').map((h) => h.textContent)).toEqual([
      'Pre-freeze (48 h before)',
      'Freeze',
      'Stabilisation',
    ]);
    const cut = screen.getByText('Release branch cut').closest('li')!;
    expect(cut.textContent).toContain('https://git.example.com/shop/branches/release-2.4 — Rita');
    // Read only (no onTick): nobody is offered a Tick button.
    expect(screen.queryByRole('button', { name: 'Tick' })).toBeNull();
  });

  it('ticks an open item with its evidence, trimmed; without evidence the button stays disabled', () => {
    const onTick = vi.fn();
    render(<FreezeChecklist items={items} onTick={onTick} />);
    const protectedItem = screen.getByText('Release branch protected').closest('li')!;
    const button = within(protectedItem).getByRole('button', { name: 'Tick' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    fireEvent.change(within(protectedItem).getByLabelText('Evidence for branch-protected'), {
      target: { value: '  https://git.example.com/shop/settings/branches  ' },
    });
    expect(button.disabled).toBe(false);
    fireEvent.click(button);
    expect(onTick).toHaveBeenCalledWith('branch-protected', 'https://git.example.com/shop/settings/branches');
    // A ticked item has no form; each open one has its own.
    expect(screen.getAllByRole('button', { name: 'Tick' })).toHaveLength(2);
  });

  it('shows the item being ticked as waiting', () => {
    render(<FreezeChecklist items={items} onTick={() => {}} ticking="daily-triage" />);
    const triage = screen.getByText('Daily bug triage').closest('li')!;
    expect((within(triage).getByRole('button', { name: 'Ticking…' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
