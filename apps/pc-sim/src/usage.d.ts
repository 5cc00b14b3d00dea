import { Dec } from './money';
import type { AccountModel, Slot } from './profile';
export type ChargeType = 'new' | 'cancel';
export interface UsageItem {
    slot: Slot;
    day: number;
    pos: number;
    chargeType: ChargeType;
    quantity: Dec;
    pricingTotal: Dec;
    billingTotal: Dec;
    fx: MonthInfo;
}
export interface MonthInfo {
    rate: Dec;
    rateStr: string;
    /** pcToBCExchangeRateDate and chargeStartDate */
    startIso: string;
    /** chargeEndDate (start of next month, as in the reference sample) */
    endIso: string;
    days: number;
}
export interface Cursor {
    day: number;
    pos: number;
}
export declare class UsageGenerator {
    readonly model: AccountModel;
    private readonly months;
    private readonly capCache;
    private readonly dayIso;
    readonly positionsPerDay: number;
    constructor(model: AccountModel);
    month(day: number): MonthInfo;
    private iso;
    /** Quantity of the "new" charge of a slot on a day as a 6-decimal string, or null if none. */
    private quantity;
    /** The uncapped item at (day, pos), or null. */
    rawItem(day: number, pos: number): UsageItem | null;
    /** Month-to-date pricing totals per entitlement at the start of `day` (capped accounts). */
    private cumAt;
    private walkCapped;
    /** Items of one day, from position `fromPos` on, in position order. */
    dayItems(day: number, fromPos?: number): Generator<UsageItem>;
    /** Items of days [fromDay, toDayExcl), optionally resuming at a cursor. */
    items(fromDay: number, toDayExcl: number, cursor?: Cursor): Generator<UsageItem>;
    /** Up to `size` items from the cursor plus the cursor of the next item (null when done). */
    page(fromDay: number, toDayExcl: number, cursor: Cursor | undefined, size: number): {
        items: UsageItem[];
        next: Cursor | null;
    };
    /** Serialises an item exactly (decimal tokens written from the decimal strings). */
    toJson(it: UsageItem): string;
}
export declare const GROUP_KEYS: readonly ["service", "region", "customer", "subscription"];
export type GroupKey = (typeof GROUP_KEYS)[number];
export interface GroundTruthRow {
    keys: Partial<Record<GroupKey, string>>;
    amount: string;
    lineItems: number;
}
/** Exact sums of billingPreTaxTotal over days [fromDay, toDayExcl). */
export declare function sumUsage(gen: UsageGenerator, fromDay: number, toDayExcl: number, groupBy: readonly GroupKey[], 
/** Items served malformed (see faults.ts): counted apart, never in the totals. */
isMalformed?: (it: UsageItem) => boolean): {
    rows: GroundTruthRow[];
    total: Dec;
    lineItems: number;
    malformed: {
        lineItems: number;
        amount: Dec;
    };
};
