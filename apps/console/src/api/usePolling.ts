import { useEffect } from 'react';

/** Calls `refresh` every `ms` while `active`: the live views re-ask the API (it has no subscriptions). */
export function usePolling(refresh: () => void, ms: number, active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(refresh, ms);
    return () => clearInterval(timer);
  }, [refresh, ms, active]);
}
