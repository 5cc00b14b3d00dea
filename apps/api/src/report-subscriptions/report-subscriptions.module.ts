import { Module } from '@nestjs/common';
import { ReportSubscriptionsController } from './report-subscriptions.controller';
import { ReportSubscriptionsService } from './report-subscriptions.service';

@Module({ controllers: [ReportSubscriptionsController], providers: [ReportSubscriptionsService] })
export class ReportSubscriptionsModule {}
