import { breakdownQuerySchema, breakdownResponseSchema, costFilterQuerySchema, costSummaryResponseSchema, forecastQuerySchema, forecastResponseSchema, monthOverMonthQuerySchema, monthOverMonthResponseSchema, timeSeriesQuerySchema, timeSeriesResponseSchema, topQuerySchema, topResponseSchema } from '@meridian/contracts';
import { Controller, Get, Query } from '@nestjs/common';
import type {
  BreakdownQuery,
  BreakdownResponse,
  CostFilterQuery,
  CostSummaryResponse,
  ForecastQuery,
  ForecastResponse,
  MonthOverMonthQuery,
  MonthOverMonthResponse,
  TimeSeriesQuery,
  TimeSeriesResponse,
  TopQuery,
  TopResponse,
} from '@meridian/contracts';
import { AccessScope } from '@meridian/store';
import { RequestScope, RequirePermission } from '../auth/auth.decorators';
import { BreakdownQueryPipe, ForecastQueryPipe, MonthOverMonthQueryPipe, SummaryQueryPipe, TimeSeriesQueryPipe, TopQueryPipe } from './costs.dto';
import { CostsService } from './costs.service';
import { ApiDoc } from '../openapi/api-doc.decorator';
import { CachedAnswer } from '../common/answer-cache.interceptor';

@Controller('costs')
export class CostsController {
  constructor(private readonly costs: CostsService) {}

  @ApiDoc({ tag: 'Costs', summary: 'Exact sums by one or two dimensions, per currency', query: breakdownQuerySchema, response: breakdownResponseSchema, example: { query: 'groupBy=service,region&from=2026-10-01&to=2026-10-31' } })
  @RequirePermission('costs:read')
  @CachedAnswer()
  @Get('breakdown')
  breakdown(@RequestScope() scope: AccessScope, @Query(BreakdownQueryPipe) q: BreakdownQuery): Promise<BreakdownResponse> {
    return this.costs.breakdown(scope, q);
  }

  @ApiDoc({ tag: 'Costs', summary: 'Totals per currency and per account with freshness', query: costFilterQuerySchema, response: costSummaryResponseSchema, example: { query: 'preset=mtd' } })
  @RequirePermission('costs:read')
  @Get('summary')
  summary(@RequestScope() scope: AccessScope, @Query(SummaryQueryPipe) q: CostFilterQuery): Promise<CostSummaryResponse> {
    return this.costs.summary(scope, q);
  }

  @ApiDoc({ tag: 'Costs', summary: 'Cost by day or month, optionally per dimension value', query: timeSeriesQuerySchema, response: timeSeriesResponseSchema, example: { query: 'granularity=day&groupBy=cloud&from=2026-10-01&to=2026-10-31' } })
  @RequirePermission('costs:read')
  @CachedAnswer()
  @Get('timeseries')
  timeSeries(@RequestScope() scope: AccessScope, @Query(TimeSeriesQueryPipe) q: TimeSeriesQuery): Promise<TimeSeriesResponse> {
    return this.costs.timeSeries(scope, q);
  }

  @ApiDoc({ tag: 'Costs', summary: 'Top N values of a dimension per currency, with the rest as others', query: topQuerySchema, response: topResponseSchema, example: { query: 'dimension=customer&limit=10&from=2026-10-01&to=2026-10-31' } })
  @RequirePermission('costs:read')
  @CachedAnswer()
  @Get('top')
  top(@RequestScope() scope: AccessScope, @Query(TopQueryPipe) q: TopQuery): Promise<TopResponse> {
    return this.costs.top(scope, q);
  }

  @ApiDoc({ tag: 'Costs', summary: 'A month against the previous one, like for like and in full', query: monthOverMonthQuerySchema, response: monthOverMonthResponseSchema, example: { query: 'month=2026-11&groupBy=account' } })
  @RequirePermission('costs:read')
  @CachedAnswer()
  @Get('month-over-month')
  monthOverMonth(@RequestScope() scope: AccessScope, @Query(MonthOverMonthQueryPipe) q: MonthOverMonthQuery): Promise<MonthOverMonthResponse> {
    return this.costs.monthOverMonth(scope, q);
  }

  @ApiDoc({ tag: 'Costs', summary: 'Month-end and next-3-months forecast per currency (libs/finops/FORECAST.md)', query: forecastQuerySchema, response: forecastResponseSchema, example: { query: 'accountIds=eu,germany' } })
  @RequirePermission('costs:read')
  @CachedAnswer()
  @Get('forecast')
  forecast(@RequestScope() scope: AccessScope, @Query(ForecastQueryPipe) q: ForecastQuery): Promise<ForecastResponse> {
    return this.costs.forecast(scope, q);
  }
}
