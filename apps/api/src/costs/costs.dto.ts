import { breakdownQuerySchema, costFilterQuerySchema } from '@meridian/contracts';
import { ZodQueryPipe } from '../common/zod-query.pipe';

export const BreakdownQueryPipe = ZodQueryPipe(breakdownQuerySchema, ['groupBy', 'from', 'to', 'accountIds', 'includeSandbox']);
export const SummaryQueryPipe = ZodQueryPipe(costFilterQuerySchema, ['from', 'to', 'accountIds', 'includeSandbox']);
