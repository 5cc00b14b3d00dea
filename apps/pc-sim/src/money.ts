import DecimalJs from 'decimal.js';

/**
 * Decimal type used for every amount. High precision so that products and sums are exact before
 * the explicit 8-decimal rounding (the default 20 significant digits could round twice).
 */
export const Dec = DecimalJs.clone({ precision: 60, rounding: DecimalJs.ROUND_HALF_UP, toExpNeg: -100, toExpPos: 100 });
export type Dec = InstanceType<typeof Dec>;

export const ZERO = new Dec(0);

export function round8(x: Dec): Dec {
  return x.toDecimalPlaces(8, Dec.ROUND_HALF_UP);
}

/** Plain decimal notation, never exponent notation; usable as a raw JSON number token. */
export function decStr(x: Dec): string {
  return x.toFixed();
}
