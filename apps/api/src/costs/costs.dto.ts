import { breakdownQuerySchema, costFilterQuerySchema } from '@meridian/contracts';
import { ZodQueryPipe } from '../common/zod-query.pipe';

export const BreakdownQueryPipe = new ZodQueryPipe(breakdownQuerySchema, ['groupBy', 'from', 'to', 'accountIds', 'includeSandbox']);
export const SummaryQueryPipe = new ZodQueryPipe(costFilterQuerySchema, ['from', 'to', 'accountIds', 'includeSandbox']);
