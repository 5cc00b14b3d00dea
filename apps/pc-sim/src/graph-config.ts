/**
 * Per-account settings of the simulated Microsoft Graph billing export (partner-center-api.md §5.5),
 * set with `PUT /_sim/graph/{A}` and defaulted from the simulator options / profile. Only accounts of
 * the global cloud have Graph (§5.4): the others have no settings at all.
 */
import type { AccountModel } from './profile';

export type ManifestMode = 'inline' | 'link';

export interface GraphConfig {
  /** The app holds the application permission PartnerBilling.Read.All (tokens carry it in `roles`). */
  permission: boolean;
  /** An export completes this many seconds after it was created (simulated or wall clock, whichever moved further). */
  delaySeconds: number;
  /** `inline`: the succeeded operation carries `resourceLocation`; `link`: `resourceLocation@odata.navigationLink` → GET manifests/{id}. */
  manifest: ManifestMode;
  /** Lines per blob; an export with more lines is split into several blobs. */
  linesPerBlob: number;
}

export const GRAPH_PERMISSION = 'PartnerBilling.Read.All';
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
/** Real exports hold a few hundred thousand lines per file; tests set small values. */
export const DEFAULT_LINES_PER_BLOB = 200_000;

export function hasGraph(m: AccountModel): boolean {
  return m.def.cloud === 'global';
}

/** Validates a (partial) config over `base`; returns an error message for bad input. */
export function mergeGraphConfig(base: GraphConfig, input: unknown): GraphConfig | string {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return 'The body must be a JSON object.';
  const o = input as Record<string, unknown>;
  const known = ['permission', 'delaySeconds', 'manifest', 'linesPerBlob'];
  const extra = Object.keys(o).filter((k) => !known.includes(k));
  if (extra.length) return `Unknown field(s) ${extra.join(', ')}; use ${known.join(', ')}.`;
  const out = { ...base };
  if (o.permission !== undefined) {
    if (typeof o.permission !== 'boolean') return "'permission' must be true or false.";
    out.permission = o.permission;
  }
  if (o.delaySeconds !== undefined) {
    if (typeof o.delaySeconds !== 'number' || !(o.delaySeconds >= 0) || !Number.isFinite(o.delaySeconds)) return "'delaySeconds' must be a number ≥ 0.";
    out.delaySeconds = o.delaySeconds;
  }
  if (o.manifest !== undefined) {
    if (o.manifest !== 'inline' && o.manifest !== 'link') return "'manifest' must be 'inline' or 'link'.";
    out.manifest = o.manifest;
  }
  if (o.linesPerBlob !== undefined) {
    if (typeof o.linesPerBlob !== 'number' || !Number.isInteger(o.linesPerBlob) || o.linesPerBlob < 1 || o.linesPerBlob > 2 ** 40) return "'linesPerBlob' must be a positive integer.";
    out.linesPerBlob = o.linesPerBlob;
  }
  return out;
}

/** The settings of every Graph account: defaults plus what the control API set. */
export class GraphSettings {
  private readonly set = new Map<string, GraphConfig>();
  constructor(readonly defaults: GraphConfig) {}

  get(account: string): GraphConfig {
    return this.set.get(account) ?? this.defaults;
  }

  /** PUT: fields given override the defaults (not the previous PUT), so a PUT states the whole config. */
  configure(account: string, input: unknown): GraphConfig | string {
    const r = mergeGraphConfig(this.defaults, input);
    if (typeof r !== 'string') this.set.set(account, r);
    return r;
  }

  reset(account: string): void {
    this.set.delete(account);
  }
}
