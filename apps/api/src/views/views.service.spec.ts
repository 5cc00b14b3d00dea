import { BadRequestException } from '@nestjs/common';
import { AccessScope } from '@meridian/store';
import { concernedAccounts } from './views.service';

describe('concernedAccounts', () => {
  const eu = AccessScope.accounts(['eu', 'us']);
  it.each([
    ['no account in the query, all-accounts caller', AccessScope.all(), 'group=service', null],
    ['no account in the query, two-account caller', eu, 'group=service', ['eu', 'us']],
    ['accounts= names one', eu, 'accounts=eu&group=region', ['eu']],
    ['accountIds= names two, repeated', eu, 'accountIds=us,eu&accountIds=eu', ['us', 'eu']],
    ['all-accounts caller names any', AccessScope.all(), 'accounts=cn', ['cn']],
  ] as const)('%s', (_name, scope, query, expected) => {
    expect(concernedAccounts(scope, query)).toEqual(expected === null ? null : [...expected]);
  });

  it('refuses a query naming an account outside the scope, by field', () => {
    expect(() => concernedAccounts(eu, 'accounts=eu,cn')).toThrow(BadRequestException);
    try {
      concernedAccounts(eu, 'accounts=eu,cn');
    } catch (e) {
      expect((e as BadRequestException).getResponse()).toMatchObject({ issues: [{ field: 'query', message: expect.stringContaining('cn') }] });
    }
  });
});
