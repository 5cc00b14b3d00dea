"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.ZERO = exports.Dec = void 0;
exports.round8 = round8;
exports.decStr = decStr;
const decimal_js_1 = __importDefault(require("decimal.js"));
/**
 * Decimal type used for every amount. High precision so that products and sums are exact before
 * the explicit 8-decimal rounding (the default 20 significant digits could round twice).
 */
exports.Dec = decimal_js_1.default.clone({ precision: 60, rounding: decimal_js_1.default.ROUND_HALF_UP, toExpNeg: -100, toExpPos: 100 });
exports.ZERO = new exports.Dec(0);
function round8(x) {
    return x.toDecimalPlaces(8, exports.Dec.ROUND_HALF_UP);
}
/** Plain decimal notation, never exponent notation; usable as a raw JSON number token. */
function decStr(x) {
    return x.toFixed();
}
//# sourceMappingURL=money.js.map