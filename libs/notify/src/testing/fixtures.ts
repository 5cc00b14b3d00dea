import type { AlertNotice, NotificationMessage } from '../notice';

export const budgetFired: AlertNotice = {
  kind: 'fire',
  category: 'budget',
  ruleName: 'EU production budget',
  condition: 'Forecast reached 80 % of the budget',
  value: { amount: '2420.5', currency: 'EUR' },
  limit: { amount: '2400', currency: 'EUR' },
  scope: [
    { kind: 'account', id: 'acc-eu', name: 'Contoso EU' },
    { kind: 'customer', id: 'cust-7', name: 'Fabrikam' },
    { kind: 'service', name: 'Virtual Machines' },
  ],
  period: '2024-03',
  occurredAt: '2024-03-14T23:00:00.000Z',
  path: '/alerts/42',
};

export const message = (
  dedupKey = 'budget%3Aeu-prod/forecast%3A80/2024-03/1/fire',
  notice: AlertNotice = budgetFired,
): NotificationMessage => ({ dedupKey, notice });
