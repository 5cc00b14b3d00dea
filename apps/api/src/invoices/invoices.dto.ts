import { invoicesQuerySchema } from '@meridian/contracts';
import { ZodQueryPipe } from '../common/zod-query.pipe';

export const InvoicesQueryPipe = ZodQueryPipe(invoicesQuerySchema, ['accountIds', 'status', 'includeSandbox']);
