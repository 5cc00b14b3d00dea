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

@Controller('costs')
export class CostsController {
  constructor(private readonly costs: CostsService) {}

  @RequirePermission('costs:read')
  @Get('breakdown')
  breakdown(@RequestScope() scope: AccessScope, @Query(BreakdownQueryPipe) q: BreakdownQuery): Promise<BreakdownResponse> {
    return this.costs.breakdown(scope, q);
  }

  @RequirePermission('costs:read')
  @Get('summary')
  summary(@RequestScope() scope: AccessScope, @Query(SummaryQueryPipe) q: CostFilterQuery): Promise<CostSummaryResponse> {
    return this.costs.summary(scope, q);
  }

  @RequirePermission('costs:read')
  @Get('timeseries')
  timeSeries(@RequestScope() scope: AccessScope, @Query(TimeSeriesQueryPipe) q: TimeSeriesQuery): Promise<TimeSeriesResponse> {
    return this.costs.timeSeries(scope, q);
  }

  @RequirePermission('costs:read')
  @Get('top')
  top(@RequestScope() scope: AccessScope, @Query(TopQueryPipe) q: TopQuery): Promise<TopResponse> {
    return this.costs.top(scope, q);
  }

  @RequirePermission('costs:read')
  @Get('month-over-month')
  monthOverMonth(@RequestScope() scope: AccessScope, @Query(MonthOverMonthQueryPipe) q: MonthOverMonthQuery): Promise<MonthOverMonthResponse> {
    return this.costs.monthOverMonth(scope, q);
  }

  @RequirePermission('costs:read')
  @Get('forecast')
  forecast(@RequestScope() scope: AccessScope, @Query(ForecastQueryPipe) q: ForecastQuery): Promise<ForecastResponse> {
    return this.costs.forecast(scope, q);
  }
}
