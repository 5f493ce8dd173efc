import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { AlertingController } from './alerting.controller.js';
import { AlertingService } from './alerting.service.js';

@Module({ imports: [AuthModule], controllers: [AlertingController], providers: [AlertingService] })
export class AlertingModule {}
