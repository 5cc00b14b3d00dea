import { formatMoney } from './decimal';

/** An exact amount in its currency (the API's decimal string, rounded to cents without floats). */
export function Money({ amount, currency, testId }: { amount: string; currency: string; testId?: string }) {
  return (
    <span className="money" data-testid={testId}>
      {formatMoney(amount, currency)}
    </span>
  );
}
