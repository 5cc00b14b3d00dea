import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  billingRatesQuerySchema,
  billingRatesResponseSchema,
  fxImportResultSchema,
  fxRateKeySchema,
  fxRateListSchema,
  fxRatesQuerySchema,
  fxRateWriteSchema,
  type BillingRatesQuery,
  type BillingRatesResponse,
  type FxImportResult,
  type FxRateDto,
  type FxRatesQuery,
  type FxRateWrite,
} from '@meridian/contracts';
import { AccessScope } from '@meridian/store';
import { z } from 'zod';
import { CurrentPrincipal, RequestScope, RequirePermission } from '../auth/auth.decorators';
import type { Principal } from '../auth/permissions';
import { ApiDoc } from '../openapi/api-doc.decorator';
import { BillingRatesQueryPipe, FxRateKeyPipe, FxRatesQueryPipe, FxRateWritePipe } from './fx-rates.dto';
import { FxRatesService } from './fx-rates.service';
import { RateSourcesService } from './rate-sources.service';

@Controller('fx-rates')
export class FxRatesController {
  constructor(
    private readonly rates: FxRatesService,
    private readonly sources: RateSourcesService,
  ) {}

  @ApiDoc({ tag: 'Exchange rates', summary: 'The rate table (1 base = rate quote, per month; closed months locked)', query: fxRatesQuerySchema, response: fxRateListSchema, example: { query: 'base=EUR&from=2026-01' } })
  @RequirePermission('costs:read')
  @Get()
  list(@Query(FxRatesQueryPipe) q: FxRatesQuery): Promise<{ items: FxRateDto[] }> {
    return this.rates.list(q);
  }

  @ApiDoc({ tag: 'Exchange rates', summary: "Microsoft's billing rates (pcToBCExchangeRate) per pair and month from the synced line items, cross rates through the pricing currency, and months where rows disagree", query: billingRatesQuerySchema, response: billingRatesResponseSchema, example: { query: 'from=2026-10&to=2026-11' } })
  @RequirePermission('costs:read')
  @Get('billing')
  billing(@RequestScope() scope: AccessScope, @Query(BillingRatesQueryPipe) q: BillingRatesQuery): Promise<BillingRatesResponse> {
    return this.sources.billing(scope, q);
  }

  @ApiDoc({ tag: 'Exchange rates', summary: 'Add or change rates (a locked closed month answers 409)', body: fxRateWriteSchema, status: 200, response: z.object({ written: z.number(), unchanged: z.number() }), example: { body: { rates: [{ base: 'EUR', quote: 'USD', period: '2026-10', rate: '1.0845' }] } } })
  @RequirePermission('rates:manage')
  @Put()
  write(@RequestScope() scope: AccessScope, @CurrentPrincipal() p: Principal, @Body(FxRateWritePipe) body: FxRateWrite): Promise<{ written: number; unchanged: number }> {
    return this.rates.write(scope, body, { userId: p.userId });
  }

  @ApiDoc({ tag: 'Exchange rates', summary: 'Import ECB reference rates (eurofxref-hist.csv, Content-Type: text/csv) as monthly means', response: fxImportResultSchema, status: 200 })
  @RequirePermission('rates:manage')
  @Post('import')
  @HttpCode(200)
  importEcb(@RequestScope() scope: AccessScope, @CurrentPrincipal() p: Principal, @Body() csv: unknown): Promise<FxImportResult> {
    return this.rates.importEcb(scope, csv, { userId: p.userId });
  }

  @ApiDoc({ tag: 'Exchange rates', summary: 'Unlock a closed month\'s rate for correction (owner, audited)', body: fxRateKeySchema, status: 204 })
  @RequirePermission('rates:manage')
  @Post('unlock')
  @HttpCode(204)
  unlock(@CurrentPrincipal() p: Principal, @Body(FxRateKeyPipe) key: { base: string; quote: string; period: string }): Promise<void> {
    return this.rates.unlock(p, key, { userId: p.userId });
  }

  @ApiDoc({ tag: 'Exchange rates', summary: 'Delete an unlocked rate', status: 204 })
  @RequirePermission('rates:manage')
  @Delete(':base/:quote/:period')
  @HttpCode(204)
  remove(@RequestScope() scope: AccessScope, @CurrentPrincipal() p: Principal, @Param('base') base: string, @Param('quote') quote: string, @Param('period') period: string): Promise<void> {
    return this.rates.remove(scope, { base, quote, period }, { userId: p.userId });
  }
}
