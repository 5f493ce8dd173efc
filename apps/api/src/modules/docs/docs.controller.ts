import { Controller, Get, Header } from '@nestjs/common';
import { buildOpenApiDocument } from './openapi.js';

@Controller('v1')
export class DocsController {
  private readonly document = buildOpenApiDocument();

  @Get('openapi.json')
  @Header('cache-control', 'public, max-age=300')
  openapi() {
    return this.document;
  }
}
