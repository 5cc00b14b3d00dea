import { DynamicModule, Logger, Module, Provider } from '@nestjs/common';
import { AlertEvaluator, AlertingModule, alertingConfigFromEnv } from '@meridian/alerting';
import { MeridianMetrics } from '@meridian/observability';
import { Store } from '@meridian/store';
import { apiNow } from '../common/clock';
import { ALERT_EVALUATOR } from './alert-evaluator.port';
import { AlertRulesController } from './alert-rules.controller';
import { AlertRulesService } from './alert-rules.service';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';
import { NotificationChannelsController } from './notification-channels.controller';
import { NotificationChannelsService } from './notification-channels.service';

/** Budgets, alert rules, notification channels and alert events (DESIGN §8). */
@Module({})
export class AlertsModule {
  /**
   * `evaluateInProcess` (embedded mode, the api runs the sync processor): the api also evaluates
   * after every cost sync and daily, and "Evaluate now" shares that evaluator (one evaluation at a
   * time). Otherwise the worker evaluates on its schedule and the api only evaluates when asked.
   */
  static forRoot(options: { evaluateInProcess: boolean }): DynamicModule {
    const evaluator: Provider = options.evaluateInProcess
      ? { provide: ALERT_EVALUATOR, useExisting: AlertEvaluator }
      : {
          provide: ALERT_EVALUATOR,
          inject: [Store, { token: MeridianMetrics, optional: true }],
          useFactory: (store: Store, metrics?: MeridianMetrics) => {
            const logger = new Logger(AlertEvaluator.name);
            return new AlertEvaluator(store, alertingConfigFromEnv(), { logger: { log: (m) => logger.log(m), error: (m) => logger.error(m) }, metrics });
          },
        };
    return {
      module: AlertsModule,
      imports: options.evaluateInProcess ? [AlertingModule.forRoot(process.env, { now: () => apiNow() })] : [],
      controllers: [AlertRulesController, NotificationChannelsController, AlertsController],
      providers: [AlertRulesService, NotificationChannelsService, AlertsService, evaluator],
    };
  }
}
