import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '../auth/auth.decorators';
import { ApiDoc } from './api-doc.decorator';
import { OpenApiService } from './openapi.service';

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The API described: machine-readable at /api/openapi.json, readable at /api/docs (no script, strict CSP). */
@Controller()
export class OpenApiController {
  constructor(private readonly openApi: OpenApiService) {}

  @ApiDoc({ tag: 'Health', summary: 'This document: OpenAPI 3.1 of every route' })
  @Public()
  @Get('openapi.json')
  document(): Record<string, unknown> {
    return this.openApi.document();
  }

  @ApiDoc({ tag: 'Health', summary: 'The API reference as a page' })
  @Public()
  @Get('docs')
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    const doc = this.openApi.document() as { paths: Record<string, Record<string, { summary: string; description?: string; tags: string[]; parameters: { name: string; in: string; required: boolean; example?: string }[] }>> };
    const rows = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })))
      .sort((a, b) => (a.op.tags[0] ?? '').localeCompare(b.op.tags[0] ?? '') || a.path.localeCompare(b.path))
      .map(({ path, method, op }) => {
        const params = op.parameters.map((p) => `<code>${escape(p.name)}</code>${p.required ? '*' : ''}${p.example ? ` (e.g. <code>${escape(p.example)}</code>)` : ''}`).join(', ');
        return `<tr><td>${escape(op.tags[0] ?? '')}</td><td><code>${method.toUpperCase()} ${escape(path)}</code></td><td>${escape(op.summary)}${op.description ? `<br><small>${escape(op.description)}</small>` : ''}</td><td>${params}</td></tr>`;
      })
      .join('\n');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Meridian API</title></head><body>
<h1>Meridian API</h1><p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1, schemas from the same zod definitions that validate requests).</p>
<table><thead><tr><th>Area</th><th>Route</th><th>What</th><th>Parameters (* required)</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`;
  }
}
