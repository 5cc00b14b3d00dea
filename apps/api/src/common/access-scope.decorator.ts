import { createParamDecorator } from '@nestjs/common';
import { AccessScope } from '@meridian/store';

/**
 * The caller's access scope, the one place it is computed. Every service method that reads or
 * writes account data takes it as its first argument and passes it to the store. Until sign-in
 * lands (issue 6), every caller may see every account.
 */
export const RequestScope = createParamDecorator((): AccessScope => AccessScope.all());
