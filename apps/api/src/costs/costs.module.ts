import { Module } from '@nestjs/common';
import { CostsController } from './costs.controller';
import { CostsService } from './costs.service';
import { ReportingCurrencyService } from './reporting-currency.service';

@Module({ controllers: [CostsController], providers: [CostsService, ReportingCurrencyService] })
export class CostsModule {}
