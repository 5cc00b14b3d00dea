import { billingRatesQuerySchema, fxRateKeySchema, fxRatesQuerySchema, fxRateWriteSchema } from '@meridian/contracts';
import { ZodBodyPipe, ZodQueryPipe } from '../common/zod-query.pipe';

export const FxRatesQueryPipe = ZodQueryPipe(fxRatesQuerySchema, ['base', 'quote', 'from', 'to']);
export const FxRateWritePipe = ZodBodyPipe(fxRateWriteSchema);
export const FxRateKeyPipe = ZodBodyPipe(fxRateKeySchema);
export const BillingRatesQueryPipe = ZodQueryPipe(billingRatesQuerySchema, ['from', 'to']);
