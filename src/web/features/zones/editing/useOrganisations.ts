import { useEffect, useState } from 'react';
import { fetchOrganisations, type Organisation } from './editApi';

export type OrganisationsState =
  | { status: 'loading' }
  | { status: 'loaded'; list: Organisation[] }
  | { status: 'failed'; detail: string };

export function useOrganisations(): OrganisationsState {
  const [state, setState] = useState<OrganisationsState>({ status: 'loading' });
  useEffect(() => {
    let cancelled = false;
    fetchOrganisations().then(
      (list) => {
        if (!cancelled) setState({ status: 'loaded', list: Array.isArray(list) ? list : [] });
      },
      (e: unknown) => {
        if (!cancelled) setState({ status: 'failed', detail: e instanceof Error ? e.message : String(e) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);
  return state;
}
