import { Module } from '@nestjs/common';
import { FxRatesModule } from '../fx-rates/fx-rates.module';
import { CostsController } from './costs.controller';
import { CostsService } from './costs.service';
import { ReportingCurrencyService } from './reporting-currency.service';

@Module({ imports: [FxRatesModule], controllers: [CostsController], providers: [CostsService, ReportingCurrencyService] })
export class CostsModule {}
