import { customersQuerySchema } from '@meridian/contracts';
import { ZodQueryPipe } from '../common/zod-query.pipe';

export const CustomersQueryPipe = ZodQueryPipe(customersQuerySchema, ['accountIds', 'includeSandbox', 'month', 'search']);
export const MonthQueryPipe = ZodQueryPipe(customersQuerySchema.pick({ month: true }), ['month']);
