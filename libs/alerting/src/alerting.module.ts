import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Store } from '@meridian/store';
import { SyncProcessor } from '@meridian/sync';
import { CronJob } from 'cron';
import { AlertingConfig, alertingConfigFromEnv } from './alerting.config';
import { MeridianMetrics } from '@meridian/observability';
import { AlertEvaluator } from './alert-evaluator';
import { ScheduledReportSender } from './scheduled-reports';

export const ALERTING_CONFIG = Symbol('ALERTING_CONFIG');
/** The evaluation time of scheduled and after-sync runs (the api passes its clock, which MERIDIAN_NOW may pin). */
export const ALERTING_CLOCK = Symbol('ALERTING_CLOCK');

/**
 * When evaluations run: after syncs (`requestEvaluation`, called by the sync processor) and daily
 * (cron, UTC). Requests while an evaluation runs collapse into one more run afterwards, so a burst
 * of finished syncs costs at most two evaluations and never two at once. Failures are logged; they
 * never reach the caller (a sync job must not fail because an alert could not be evaluated).
 */
@Injectable()
export class AlertEvaluationTrigger implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AlertEvaluationTrigger.name);
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private reporting: Promise<void> | null = null;

  constructor(
    @Inject(AlertEvaluator) private readonly evaluator: AlertEvaluator,
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
    @Inject(ALERTING_CLOCK) private readonly now: () => Date,
    @Inject(ScheduledReportSender) private readonly reports: ScheduledReportSender,
    private readonly registry: SchedulerRegistry,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Hooks into the sync processor when the application runs one (worker, embedded api). */
  onModuleInit(): void {
    let processor: SyncProcessor | undefined;
    try {
      processor = this.moduleRef.get(SyncProcessor, { strict: false });
    } catch {
      processor = undefined;
    }
    if (!processor) {
      this.logger.log('no sync processor in this application: alerts are evaluated daily only');
      return;
    }
    processor.onCostDataSynced(({ accountId, stream }) => void this.requestEvaluation(`${stream} sync of ${accountId}`));
  }

  onApplicationBootstrap(): void {
    const job = CronJob.from({ cronTime: this.config.dailyCron, onTick: () => void this.requestEvaluation('daily'), timeZone: 'UTC' });
    this.registry.addCronJob('alerts-daily', job);
    job.start();
    if (this.config.digestCron !== 'off') {
      const digest = CronJob.from({ cronTime: this.config.digestCron, onTick: () => void this.sendDigest(), timeZone: 'UTC' });
      this.registry.addCronJob('alerts-weekly-digest', digest);
      digest.start();
    }
    if (this.config.reportsCron !== 'off') {
      const reports = CronJob.from({ cronTime: this.config.reportsCron, onTick: () => void this.sendReports(), timeZone: 'UTC' });
      this.registry.addCronJob('scheduled-reports', reports);
      reports.start();
    }
  }

  /** Due scheduled reports; one run at a time per process (the delivery claims keep processes apart). */
  sendReports(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.reporting ??= (async () => {
      try {
        await this.reports.sendDue({ at: this.now() });
      } catch (err) {
        this.logger.error(`scheduled reports failed: ${(err as Error).message}`);
      } finally {
        this.reporting = null;
      }
    })();
    return this.reporting;
  }

  /** The weekly digest; failures are logged (a digest is never worth a crash). */
  async sendDigest(): Promise<void> {
    if (this.stopped) return;
    try {
      const r = await this.evaluator.sendWeeklyDigest({ at: this.now() });
      this.logger.log(`weekly digest of ${r.week}: ${r.delivered} of ${r.channels} channel(s)`);
    } catch (err) {
      this.logger.error(`weekly digest failed: ${(err as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await Promise.all([this.running, this.reporting]);
  }

  /** Asks for an evaluation now; resolves when the evaluation that covers this request has finished. */
  requestEvaluation(reason: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          try {
            const r = await this.evaluator.evaluate({ at: this.now() });
            this.logger.log(
              `alerts evaluated (${reason}): ${r.rules} rules, ${r.fired} fired, ${r.resolved} resolved, ${r.notifications} notifications${r.errors.length ? `, ${r.errors.length} rule errors` : ''}`,
            );
          } catch (err) {
            this.logger.error(`alert evaluation (${reason}) failed: ${(err as Error).message}`);
          }
        } while (this.again && !this.stopped);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }
}

/**
 * Alert evaluation for a Nest application that has the Store (StoreModule) and ScheduleModule
 * (the worker; the api's embedded mode). The sync processor calls the trigger after each sync.
 */
@Module({})
export class AlertingModule {
  static forRoot(env: NodeJS.ProcessEnv = process.env, options: { now?: () => Date } = {}): DynamicModule {
    return {
      module: AlertingModule,
      providers: [
        { provide: ALERTING_CONFIG, useValue: alertingConfigFromEnv(env) },
        { provide: ALERTING_CLOCK, useValue: options.now ?? (() => new Date()) },
        {
          provide: AlertEvaluator,
          inject: [Store, ALERTING_CONFIG, { token: MeridianMetrics, optional: true }],
          useFactory: (store: Store, config: AlertingConfig, metrics?: MeridianMetrics) => new AlertEvaluator(store, config, { logger: new Logger(AlertEvaluator.name), metrics }),
        },
        {
          provide: ScheduledReportSender,
          inject: [Store, ALERTING_CONFIG],
          useFactory: (store: Store, config: AlertingConfig) => new ScheduledReportSender(store, config, { logger: new Logger(ScheduledReportSender.name) }),
        },
        AlertEvaluationTrigger,
      ],
      exports: [AlertEvaluator, AlertEvaluationTrigger, ScheduledReportSender, ALERTING_CONFIG],
    };
  }
}
