import { PRICE_ESTIMATE_QUERY_PARAMS, priceEstimateQuerySchema, PRICES_QUERY_PARAMS, pricesQuerySchema } from '@meridian/contracts';
import { ZodQueryPipe } from '../common/zod-query.pipe';

export const PricesQueryPipe = ZodQueryPipe(pricesQuerySchema, PRICES_QUERY_PARAMS);
export const PriceEstimateQueryPipe = ZodQueryPipe(priceEstimateQuerySchema, PRICE_ESTIMATE_QUERY_PARAMS);
