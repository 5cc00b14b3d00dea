import { SetMetadata } from '@nestjs/common';
import type { z } from 'zod';

export const API_DOC_KEY = 'meridian:api-doc';

/** What OpenAPI says about a route; the schemas are the same zod schemas that validate it. */
export interface ApiDocSpec {
  summary: string;
  tag: string;
  query?: z.ZodType;
  body?: z.ZodType;
  response?: z.ZodType;
  /** Success status (default 200). */
  status?: number;
  /** An example request: query string or JSON body. */
  example?: { query?: string; body?: unknown };
}

/** Documents a route in /api/openapi.json (a test fails for any route without it). */
export const ApiDoc = (spec: ApiDocSpec) => SetMetadata(API_DOC_KEY, spec);
