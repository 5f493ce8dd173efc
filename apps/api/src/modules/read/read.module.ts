import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ReadController } from './read.controller.js';
import { ReadService } from './read.service.js';

@Module({
  imports: [AuthModule],
  controllers: [ReadController],
  providers: [ReadService],
})
export class ReadModule {}
