import { reportSubscriptionInputSchema, reportSubscriptionsQuerySchema } from '@meridian/contracts';
import { ZodBodyPipe, ZodQueryPipe } from '../common/zod-query.pipe';

export const ReportSubscriptionInputPipe = ZodBodyPipe(reportSubscriptionInputSchema);
export const ReportSubscriptionsQueryPipe = ZodQueryPipe(reportSubscriptionsQuerySchema, ['all']);
