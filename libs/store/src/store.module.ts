import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { SecretBox } from './secret-box';
import { Store, StoreOptions } from './store';
import { dataDirFromEnv, StoreConfig, storeConfigFromEnv } from './store.config';

@Injectable()
class StoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(Store) private readonly store: Store) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** MERIDIAN_READ_THREADS: a whole number ≥ 0 (0: reads on the main connection); unset or anything else: 2. */
function readThreadsFromEnv(value: string | undefined): number {
  const n = Number(value);
  return value !== undefined && value.trim() !== '' && Number.isInteger(n) && n >= 0 ? n : 2;
}

/** Provides the one Store of a Nest application (api, worker), configured from the environment. */
@Global()
@Module({})
export class StoreModule {
  /** `options`: what differs between the apps (the api's writer cache, decision 0031). */
  static forRoot(config: StoreConfig = storeConfigFromEnv(), env: NodeJS.ProcessEnv = process.env, options: Pick<StoreOptions, 'writerCacheKib'> = {}): DynamicModule {
    return {
      module: StoreModule,
      providers: [
        {
          provide: Store,
          useFactory: () =>
            Store.open(config, SecretBox.fromEnv(dataDirFromEnv(env), env), {
              queryCacheSeconds: Number.isFinite(Number(env.MERIDIAN_QUERY_CACHE_SECONDS ?? '15')) ? Number(env.MERIDIAN_QUERY_CACHE_SECONDS ?? '15') : 15,
              readThreads: readThreadsFromEnv(env.MERIDIAN_READ_THREADS),
              ...options,
            }),
        },
        StoreLifecycle,
      ],
      exports: [Store],
    };
  }
}
