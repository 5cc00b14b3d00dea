import DecimalJs from 'decimal.js';
/**
 * Decimal type used for every amount. High precision so that products and sums are exact before
 * the explicit 8-decimal rounding (the default 20 significant digits could round twice).
 */
export declare const Dec: typeof DecimalJs;
export type Dec = InstanceType<typeof Dec>;
export declare const ZERO: DecimalJs;
export declare function round8(x: Dec): Dec;
/** Plain decimal notation, never exponent notation; usable as a raw JSON number token. */
export declare function decStr(x: Dec): string;
