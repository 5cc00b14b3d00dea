import type { DeliveryAttemptDto, DigestResult, EvaluationResult } from '@meridian/contracts';

export type ChannelTestResult = { delivered: boolean; attempts: DeliveryAttemptDto[] };

/** What the api asks of the alert evaluator (libs/alerting): evaluate every rule now, test a channel. */
export interface AlertEvaluatorPort {
  evaluate(options: { at: Date }): Promise<EvaluationResult>;
  /** The weekly cost digest to the channels that opted in (once per channel and week). */
  sendWeeklyDigest(options: { at: Date }): Promise<DigestResult>;
  /** Null when the channel does not exist. */
  sendChannelTest(channelId: string): Promise<ChannelTestResult | null>;
}

export const ALERT_EVALUATOR = Symbol('ALERT_EVALUATOR');
