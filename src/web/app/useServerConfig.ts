import { useEffect, useState } from 'react';
import { api } from './api';

export interface ServerConfig {
  tileUrl: string | null;
  version: string;
}

/** Settings the server gives the client (an optional tile server); the client works without them. */
export function useServerConfig(): ServerConfig | null {
  const [config, setConfig] = useState<ServerConfig | null>(null);
  useEffect(() => {
    let cancelled = false;
    api.get<ServerConfig>('/config').then(
      (c) => {
        if (!cancelled) setConfig(c);
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, []);
  return config;
}
