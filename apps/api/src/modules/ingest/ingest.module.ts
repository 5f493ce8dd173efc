import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { IngestController } from './ingest.controller.js';
import { IngestService } from './ingest.service.js';
import { ModelRegistry } from './model-registry.service.js';
import { PipelineJobs } from './pipeline-jobs.service.js';
import { ReferenceController } from './reference.controller.js';
import { ReferenceService } from './reference.service.js';

@Module({
  imports: [AuthModule],
  controllers: [IngestController, ReferenceController],
  providers: [IngestService, ModelRegistry, PipelineJobs, ReferenceService],
  exports: [ModelRegistry],
})
export class IngestModule {}
