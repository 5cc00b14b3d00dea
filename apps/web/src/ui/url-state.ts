import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

export type UrlPatch = Record<string, string | string[] | boolean | null | undefined>;

/**
 * Page state in the URL query, so every view can be bookmarked and shared: `set` merges a patch
 * (null/empty/false removes a key) and keeps the other keys as they are.
 */
export function useUrlParams(): [URLSearchParams, (patch: UrlPatch, opts?: { replace?: boolean }) => void] {
  const [params, setParams] = useSearchParams();
  const set = useCallback(
    (patch: UrlPatch, opts?: { replace?: boolean }) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch)) {
            const value = Array.isArray(v) ? v.join(',') : v === true ? '1' : v;
            if (value === null || value === undefined || value === '' || value === false) next.delete(k);
            else next.set(k, value);
          }
          return next;
        },
        { replace: opts?.replace ?? false },
      );
    },
    [setParams],
  );
  return [params, set];
}

export const listParam = (params: URLSearchParams, key: string) => (params.get(key) ?? '').split(',').filter(Boolean);
