import { Module } from '@nestjs/common';
import { FxRatesController } from './fx-rates.controller';
import { FxRatesService } from './fx-rates.service';
import { RateSourcesService } from './rate-sources.service';

@Module({ controllers: [FxRatesController], providers: [FxRatesService, RateSourcesService], exports: [RateSourcesService] })
export class FxRatesModule {}
