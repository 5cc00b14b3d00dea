import { accountConnectionSchema, accountUpdateSchema, backfillRequestSchema, connectionTestSchema } from '@meridian/contracts';
import { ZodBodyPipe } from '../common/zod-query.pipe';

export const AccountConnectionPipe = ZodBodyPipe(accountConnectionSchema);
export const AccountUpdatePipe = ZodBodyPipe(accountUpdateSchema);
export const ConnectionTestPipe = ZodBodyPipe(connectionTestSchema);
export const BackfillRequestPipe = ZodBodyPipe(backfillRequestSchema);
