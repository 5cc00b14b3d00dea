import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { apiConfigFromEnv } from './api.config';
import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  const config = apiConfigFromEnv();
  const app = await createApiApp(config);
  await app.listen(config.port, config.host);
  new Logger('Meridian').log(
    `dashboard and API on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port} ` +
      `(${config.embeddedWorker ? 'embedded worker' : 'external workers'})`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
