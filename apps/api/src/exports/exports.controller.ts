import { Controller, Get, Query, Res } from '@nestjs/common';
import { exportQuerySchema, focusExportQuerySchema, lineItemPageSchema, lineItemsQuerySchema, type ExportQuery, type FocusExportQuery, type LineItemPage, type LineItemsQuery } from '@meridian/contracts';
import { FOCUS_VERSION } from '@meridian/finops';
import { AccessScope } from '@meridian/store';
import type { Response } from 'express';
import { CurrentPrincipal, RequestScope, RequirePermission } from '../auth/auth.decorators';
import type { Principal } from '../auth/permissions';
import { ApiDoc } from '../openapi/api-doc.decorator';
import { ExportQueryPipe, FocusExportQueryPipe, LineItemsQueryPipe } from './exports.dto';
import { ExportsService } from './exports.service';

@Controller()
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @ApiDoc({ tag: 'Costs', summary: 'Raw line items, keyset-paged (drill-down)', query: lineItemsQuerySchema, response: lineItemPageSchema, example: { query: 'from=2026-10-01&to=2026-10-31&service=Storage&limit=100' } })
  @RequirePermission('costs:read')
  @Get('costs/line-items')
  lineItems(@RequestScope() scope: AccessScope, @Query(LineItemsQueryPipe) q: LineItemsQuery): Promise<LineItemPage> {
    return this.exports.lineItems(scope, q);
  }

  @ApiDoc({ tag: 'Exports', summary: 'CSV of a breakdown or of the line items, streamed (exact decimals, audited)', query: exportQuerySchema, example: { query: 'kind=breakdown&groupBy=service,region&preset=last-month' } })
  @RequirePermission('costs:read')
  @Get('exports/costs.csv')
  async csv(@RequestScope() scope: AccessScope, @CurrentPrincipal() p: Principal, @Query(ExportQueryPipe) q: ExportQuery, @Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="meridian-${q.kind}-${q.from}-${q.to}.csv"`);
    await this.exports.writeCsv(scope, q, res, { userId: p.userId });
    res.end();
  }

  @ApiDoc({ tag: 'Exports', summary: 'Excel (xlsx) of a breakdown or of the line items, streamed (audited)', query: exportQuerySchema, example: { query: 'kind=line-items&from=2026-10-01&to=2026-10-31' } })
  @RequirePermission('costs:read')
  @Get('exports/costs.xlsx')
  async xlsx(@RequestScope() scope: AccessScope, @CurrentPrincipal() p: Principal, @Query(ExportQueryPipe) q: ExportQuery, @Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="meridian-${q.kind}-${q.from}-${q.to}.xlsx"`);
    await this.exports.writeXlsx(scope, q, res, { userId: p.userId });
  }

  @ApiDoc({
    tag: 'Exports',
    summary: `FOCUS ${FOCUS_VERSION} Cost and Usage dataset of the line items, CSV or Parquet (format=parquet), streamed (exact decimals, audited); the FOCUS version is in the X-Focus-Version header and the Parquet metadata`,
    query: focusExportQuerySchema,
    example: { query: 'from=2026-10-01&to=2026-10-31&format=parquet' },
  })
  @RequirePermission('costs:read')
  @Get('exports/focus')
  async focus(@RequestScope() scope: AccessScope, @CurrentPrincipal() p: Principal, @Query(FocusExportQueryPipe) q: FocusExportQuery, @Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', q.format === 'parquet' ? 'application/vnd.apache.parquet' : 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="meridian-focus-${FOCUS_VERSION}-${q.from}-${q.to}.${q.format}"`);
    res.setHeader('X-Focus-Version', FOCUS_VERSION);
    await this.exports.writeFocus(scope, q, res, { userId: p.userId });
    res.end();
  }
}
