import { Injectable, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { apiErrorSchema } from '@meridian/contracts';
import { z } from 'zod';
import { PERMISSION_KEY, PUBLIC_KEY } from '../auth/auth.decorators';
import { API_DOC_KEY, type ApiDocSpec } from './api-doc.decorator';

type JsonSchema = Record<string, unknown>;

export interface DocumentedRoute {
  method: string;
  path: string;
  doc: ApiDocSpec | undefined;
  isPublic: boolean;
  /** The permission the route declares (RequirePermission). */
  permission: string | undefined;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** Query parameters from an object schema (a refined object keeps its shape in `.def` chain). */
function queryParameters(schema: z.ZodType, example?: string): JsonSchema[] {
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  const examples = new URLSearchParams(example ?? '');
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: (json.required ?? []).includes(name),
    schema: s,
    ...(s.description ? { description: s.description } : {}),
    ...(examples.has(name) ? { example: examples.get(name) } : {}),
  }));
}

/**
 * The OpenAPI 3.1 document of the running application, built from the routes Nest registered and
 * the zod schemas each route validates with — so it cannot drift from what the API accepts.
 */
@Injectable()
export class OpenApiService {
  private cached?: JsonSchema;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  routes(): DocumentedRoute[] {
    const routes: DocumentedRoute[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const { instance, metatype } = wrapper;
      if (!instance || !metatype) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '');
      const proto = Object.getPrototypeOf(instance);
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const handler = proto[name];
        const sub = Reflect.getMetadata(PATH_METADATA, handler);
        if (sub === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const path = `/api/${[base, String(sub)].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/').replace(/\/$/, '');
        routes.push({
          method,
          path,
          doc: this.reflector.get<ApiDocSpec>(API_DOC_KEY, handler),
          isPublic: Boolean(this.reflector.getAllAndOverride(PUBLIC_KEY, [handler, metatype])),
          permission: this.reflector.get<string>(PERMISSION_KEY, handler),
        });
      }
    }
    return routes;
  }

  document(): JsonSchema {
    if (this.cached) return this.cached;
    const paths: Record<string, Record<string, unknown>> = {};
    for (const r of this.routes()) {
      const openApiPath = r.path.replace(/:(\w+)/g, '{$1}');
      const pathParams = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
      const doc = r.doc;
      const isPublic = r.isPublic;
      const status = String(doc?.status ?? (r.method === 'POST' ? 201 : 200));
      paths[openApiPath] ??= {};
      paths[openApiPath][r.method.toLowerCase()] = {
        summary: doc?.summary ?? '(undocumented)',
        ...(r.permission ? { description: `Needs the \`${r.permission}\` permission; data is limited to the caller's grants.` } : {}),
        tags: doc ? [doc.tag] : [],
        ...(isPublic ? { security: [] } : {}),
        parameters: [...pathParams, ...(doc?.query ? queryParameters(doc.query, doc.example?.query) : [])],
        ...(doc?.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(doc.body, 'input'), ...(doc.example?.body ? { example: doc.example.body } : {}) } } } }
          : {}),
        responses: {
          [status]: { description: 'OK', ...(doc?.response ? { content: { 'application/json': { schema: jsonSchema(doc.response, 'output') } } } : {}) },
          ...(doc?.query || doc?.body ? { '400': { description: 'Invalid input: one message per field', content: { 'application/json': { schema: jsonSchema(apiErrorSchema, 'output') } } } } : {}),
          ...(isPublic ? {} : { '401': { description: 'Not signed in' }, '403': { description: 'Signed in, but no grant gives this permission' } }),
          ...(pathParams.length ? { '404': { description: 'Not found, or not in your grants (never 403 for another account)' } } : {}),
        },
      };
    }
    this.cached = {
      openapi: '3.1.0',
      info: {
        title: 'Meridian API',
        version: '0.1.0',
        description: 'Cost and usage of several Partner Center accounts, under each caller\'s grants. Amounts are exact decimal strings, never added across currencies.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'meridian_session', description: 'Browser session; writes also need the X-CSRF-Token header' },
          token: { type: 'http', scheme: 'bearer', description: 'API token (mrd_…) from POST /api/tokens' },
        },
      },
      security: [{ session: [] }, { token: [] }],
      paths,
    };
    return this.cached;
  }
}
