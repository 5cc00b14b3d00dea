import {
  breakdownQuerySchema,
  COST_FILTER_PARAMS,
  costFilterQuerySchema,
  forecastQuerySchema,
  monthOverMonthQuerySchema,
  timeSeriesQuerySchema,
  topQuerySchema,
} from '@meridian/contracts';
import { CostQueryPipe, ZodQueryPipe } from '../common/zod-query.pipe';

const UNDATED = COST_FILTER_PARAMS.filter((p) => p !== 'from' && p !== 'to' && p !== 'preset');

export const BreakdownQueryPipe = new CostQueryPipe(breakdownQuerySchema, ['groupBy', ...COST_FILTER_PARAMS]);
export const SummaryQueryPipe = new CostQueryPipe(costFilterQuerySchema, COST_FILTER_PARAMS);
export const TimeSeriesQueryPipe = new CostQueryPipe(timeSeriesQuerySchema, ['granularity', 'groupBy', ...COST_FILTER_PARAMS]);
export const TopQueryPipe = new CostQueryPipe(topQuerySchema, ['dimension', 'limit', ...COST_FILTER_PARAMS]);
export const MonthOverMonthQueryPipe = ZodQueryPipe(monthOverMonthQuerySchema, ['month', 'groupBy', ...UNDATED]);
export const ForecastQueryPipe = ZodQueryPipe(forecastQuerySchema, ['asOf', ...UNDATED]);
