import { addDays, dayNumber } from './calendar';
import { MoneyDecimal, normalizeDecimal, toDecimal } from './decimal';

export type BudgetPeriod = 'monthly' | 'quarterly' | 'yearly';
export type BudgetScopeKind = 'all' | 'cloud' | 'account' | 'customer' | 'subscription' | 'service';

export interface BudgetScope {
  kind: BudgetScopeKind;
  /** Id of the cloud/account/customer/subscription/service; absent for 'all'. */
  id?: string;
  /** Human name for notifications. */
  label?: string;
}

/** Compare actual spend so far, or the forecast for the whole period, with the threshold. */
export type ThresholdBasis = 'actual' | 'forecast';

export interface BudgetThreshold {
  /** Percent of the budget amount, as a decimal string or number ('80', 100, '112.5'). */
  percent: string | number;
  basis: ThresholdBasis;
}

export interface Budget {
  id: string;
  name: string;
  scope: BudgetScope;
  period: BudgetPeriod;
  amount: string;
  currency: string;
  thresholds: readonly BudgetThreshold[];
}

export interface ThresholdStatus {
  /** Stable id of the threshold within its budget: `${basis}:${percent}` ('forecast:80'). */
  thresholdId: string;
  basis: ThresholdBasis;
  percent: string;
  /** amount × percent / 100, exact. */
  limit: string;
  /** The value compared (actual to date or forecast for the period). */
  value: string;
  /** value / amount × 100, 2 places ('83.12'); null when the budget amount is 0. */
  usedPercent: string | null;
  crossed: boolean;
}

export interface BudgetEvaluation {
  budgetId: string;
  currency: string;
  amount: string;
  actual: string;
  forecast: string;
  thresholds: ThresholdStatus[];
  /** Only the crossed thresholds, in the budget's order. */
  crossed: ThresholdStatus[];
}

export interface BudgetPeriodWindow {
  /** '2025-03', '2025-Q1', '2025'. */
  key: string;
  start: string;
  end: string;
}

export function thresholdId(t: BudgetThreshold): string {
  return `${t.basis}:${normalizeDecimal(toDecimal(String(t.percent)))}`;
}

/** The budget period containing `day`. */
export function budgetPeriodOf(period: BudgetPeriod, day: string): BudgetPeriodWindow {
  dayNumber(day);
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  const startMonth = period === 'monthly' ? month : period === 'quarterly' ? month - ((month - 1) % 3) : 1;
  const months = period === 'monthly' ? 1 : period === 'quarterly' ? 3 : 12;
  const start = `${year}-${String(startMonth).padStart(2, '0')}-01`;
  const nextStartMonth = startMonth + months;
  const next = nextStartMonth > 12 ? `${year + 1}-01-01` : `${year}-${String(nextStartMonth).padStart(2, '0')}-01`;
  const key = period === 'monthly' ? start.slice(0, 7) : period === 'quarterly' ? `${year}-Q${(startMonth + 2) / 3}` : String(year);
  return { key, start, end: addDays(next, -1) };
}

/** Days of the period up to and including `day`, and after it (for pro-rating or forecasts). */
export function budgetPeriodProgress(period: BudgetPeriod, day: string): { elapsed: number; remaining: number } {
  const w = budgetPeriodOf(period, day);
  const n = dayNumber(day);
  return { elapsed: n - dayNumber(w.start) + 1, remaining: dayNumber(w.end) - n };
}

/**
 * Which thresholds of a budget are crossed. A threshold is crossed when its value reaches the limit
 * (≥, so exactly 100 % of the budget counts as crossing 100 %). Amounts must be in the budget's
 * currency: conversion happens before, with the rate table (DESIGN §6).
 */
export function evaluateBudget(budget: Budget, actualToDate: string, forecastPeriodEnd: string): BudgetEvaluation {
  const amount = toDecimal(budget.amount);
  const actual = toDecimal(actualToDate);
  const forecast = toDecimal(forecastPeriodEnd);
  const thresholds = budget.thresholds.map((t): ThresholdStatus => {
    const percent = toDecimal(String(t.percent));
    const limit = amount.times(percent).div(100);
    const value = t.basis === 'actual' ? actual : forecast;
    return {
      thresholdId: thresholdId(t),
      basis: t.basis,
      percent: normalizeDecimal(percent),
      limit: normalizeDecimal(limit),
      value: normalizeDecimal(value),
      usedPercent: amount.isZero() ? null : value.div(amount).times(100).toDecimalPlaces(2, MoneyDecimal.ROUND_HALF_EVEN).toFixed(2),
      crossed: value.greaterThanOrEqualTo(limit),
    };
  });
  return {
    budgetId: budget.id,
    currency: budget.currency,
    amount: normalizeDecimal(amount),
    actual: normalizeDecimal(actual),
    forecast: normalizeDecimal(forecast),
    thresholds,
    crossed: thresholds.filter((t) => t.crossed),
  };
}
