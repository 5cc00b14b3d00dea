import { DynamicModule, Module } from '@nestjs/common';
import { SERVING_WRITER_CACHE_KIB, StoreModule, storeConfigFromEnv } from '@meridian/store';
import { ForegroundLoad, SyncQueueModule, SyncWorkerModule } from '@meridian/sync';
import { AccountsModule } from './accounts/accounts.module';
import { AuthModule } from './auth/auth.module';
import { API_CONFIG, ApiConfig } from './api.config';
import { CostsModule } from './costs/costs.module';
import { CustomersModule } from './customers/customers.module';
import { InvoicesModule } from './invoices/invoices.module';
import { OpenApiModule } from './openapi/openapi.module';
import { FxRatesModule } from './fx-rates/fx-rates.module';
import { SettingsModule } from './settings/settings.module';
import { ExportsModule } from './exports/exports.module';
import { ViewsModule } from './views/views.module';
import { ReportSubscriptionsModule } from './report-subscriptions/report-subscriptions.module';
import { AlertsModule } from './alerts/alerts.module';
import { PricesModule } from './prices/prices.module';
import { DemoAccountsService } from './demo/demo-accounts.service';
import { HealthController } from './health/health.controller';
import { AnswerCache } from './common/answer-cache';
import { ApiWrites } from './common/api-writes';
import { RequestsInFlight } from './common/requests-in-flight';
import { ObservabilityModule } from '@meridian/observability';
import type { AuthenticatedRequest } from './auth/auth.guard';

/** The user and the account a request was about (ids only), for its log line. */
function requestLogFields(req: AuthenticatedRequest): Record<string, string> | undefined {
  const userId = req.principal?.userId;
  const param = req.params?.accountId ?? (req.route?.path?.startsWith('/api/accounts/:id') ? req.params?.id : undefined);
  const accountId = typeof param === 'string' ? param : undefined;
  if (!userId && !accountId) return undefined;
  return { ...(userId ? { userId } : {}), ...(accountId ? { accountId } : {}) };
}

@Module({})
export class AppModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: AppModule,
      // The config is read by feature modules (auth, demo): make it visible everywhere.
      global: true,
      imports: [
        ObservabilityModule.forRoot({
          name: 'api',
          logDestination: config.logDestination,
          // Known once the guard ran: on the request's completion line.
          requestLogProps: (req) => requestLogFields(req as AuthenticatedRequest),
        }),
        // This process's event loop serves the requests: its SQLite commits are kept short (decision 0031).
        StoreModule.forRoot(storeConfigFromEnv(), process.env, { writerCacheKib: SERVING_WRITER_CACHE_KIB }),
        SyncQueueModule.forRoot(),
        ...(config.embeddedWorker ? [SyncWorkerModule] : []),
        AuthModule,
        AccountsModule,
        CostsModule,
        CustomersModule,
        InvoicesModule,
        OpenApiModule,
        FxRatesModule,
        SettingsModule,
        ExportsModule,
        ViewsModule,
        ReportSubscriptionsModule,
        PricesModule,
        AlertsModule.forRoot({ evaluateInProcess: config.embeddedWorker }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: API_CONFIG, useValue: config },
        DemoAccountsService,
        ApiWrites,
        AnswerCache,
        RequestsInFlight,
        // The embedded worker's sync gives way to the requests being served (decision 0030).
        { provide: ForegroundLoad, useExisting: RequestsInFlight },
      ],
      exports: [API_CONFIG, ApiWrites, AnswerCache, RequestsInFlight, ForegroundLoad],
    };
  }
}
