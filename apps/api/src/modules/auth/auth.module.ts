import { Module } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard.js';
import { ApiKeyService } from './api-key.service.js';
import { RateLimitService } from './rate-limit.service.js';

@Module({
  providers: [ApiKeyService, RateLimitService, ApiKeyGuard],
  exports: [ApiKeyService, RateLimitService, ApiKeyGuard],
})
export class AuthModule {}
