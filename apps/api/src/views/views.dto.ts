import { savedViewInputSchema, savedViewsQuerySchema, savedViewUpdateSchema } from '@meridian/contracts';
import { ZodBodyPipe, ZodQueryPipe } from '../common/zod-query.pipe';

export const SavedViewsQueryPipe = ZodQueryPipe(savedViewsQuerySchema, ['path']);
export const SavedViewInputPipe = ZodBodyPipe(savedViewInputSchema);
export const SavedViewUpdatePipe = ZodBodyPipe(savedViewUpdateSchema);
