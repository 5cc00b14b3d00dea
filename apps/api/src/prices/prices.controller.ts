import { priceEstimateQuerySchema, priceEstimateSchema, priceListSchema, pricesQuerySchema } from '@meridian/contracts';
import type { PriceEstimate, PriceEstimateQuery, PriceList, PricesQuery } from '@meridian/contracts';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { AccessScope } from '@meridian/store';
import { RequestScope, RequirePermission } from '../auth/auth.decorators';
import { ApiDoc } from '../openapi/api-doc.decorator';
import { PriceEstimateQueryPipe, PricesQueryPipe } from './prices.dto';
import { PricesService } from './prices.service';

@Controller()
export class PricesController {
  constructor(private readonly prices: PricesService) {}

  @ApiDoc({ tag: 'Prices', summary: "An account's Azure rate card: meters with their tiered unit prices, searchable, keyset-paged", query: pricesQuerySchema, response: priceListSchema, example: { query: 'q=blob&category=Storage&limit=20' } })
  @RequirePermission('costs:read')
  @Get('accounts/:accountId/prices')
  list(@RequestScope() scope: AccessScope, @Param('accountId') accountId: string, @Query(PricesQueryPipe) q: PricesQuery): Promise<PriceList> {
    return this.prices.list(scope, accountId, q);
  }

  @ApiDoc({ tag: 'Prices', summary: "The exact tiered price of a quantity of one meter (included quantity free, graduated tiers)", query: priceEstimateQuerySchema, response: priceEstimateSchema, example: { query: 'accountId=global-us&meterId=<meter id>&quantity=12000' } })
  @RequirePermission('costs:read')
  @Get('prices/estimate')
  estimate(@RequestScope() scope: AccessScope, @Query(PriceEstimateQueryPipe) q: PriceEstimateQuery): Promise<PriceEstimate> {
    return this.prices.estimate(scope, q);
  }
}
