import { orgSettingsWriteSchema } from '@meridian/contracts';
import { ZodBodyPipe } from '../common/zod-query.pipe';

export const OrgSettingsWritePipe = ZodBodyPipe(orgSettingsWriteSchema);
