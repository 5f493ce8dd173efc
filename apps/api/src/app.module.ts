import { Module, type DynamicModule } from '@nestjs/common';
import { InfraModule, type InfraOptions } from './infra/infra.module.js';
import { AlertingModule } from './modules/alerting/alerting.module.js';
import { BiModule } from './modules/bi/bi.module.js';
import { DocsModule } from './modules/docs/docs.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { IngestModule } from './modules/ingest/ingest.module.js';
import { ModelsModule } from './modules/models/models.module.js';
import { ObservabilityModule } from './modules/observability/observability.module.js';
import { ReadModule } from './modules/read/read.module.js';

@Module({})
export class AppModule {
  static forRoot(options: InfraOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [InfraModule.forRoot(options), ObservabilityModule, HealthModule, IngestModule, ReadModule, ModelsModule, AlertingModule, BiModule, DocsModule],
    };
  }
}
