import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { BiController } from './bi.controller.js';

@Module({ imports: [AuthModule], controllers: [BiController] })
export class BiModule {}
