import { Body, Controller, Get, HttpStatus, NotFoundException, Param, Put, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Response } from 'express';
import { toCents } from '@platform/contracts';
import { AdminOnly, Public } from '@platform/service';
import { PutProduct } from './commands/put-product.command';
import { ListProductsParams } from './dto/list-products.params';
import { ProductResponse } from './dto/product.response';
import { PutProductBody } from './dto/put-product.body';
import { SkuParams } from './dto/sku.params';
import { GetProduct } from './queries/get-product.query';
import { ListProducts } from './queries/list-products.query';

/**
 * The product catalogue over HTTP: put a product (create or replace; admins only), read one, list them by sku
 * (public, no token needed).
 */
@ApiTags('products')
@Controller('products')
export class ProductsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Put(':sku')
  @AdminOnly()
  @ApiBearerAuth()
  @ApiUnauthorizedResponse({ description: 'No bearer token, or not a valid one' })
  @ApiForbiddenResponse({ description: 'Not an admin token' })
  @ApiOperation({ summary: 'Create a product, or replace its name, price and available stock' })
  @ApiCreatedResponse({ type: ProductResponse, description: 'The product was created' })
  @ApiOkResponse({
    type: ProductResponse,
    description: 'The product was replaced; reserved units stay reserved',
  })
  @ApiBadRequestResponse({ description: 'A field is missing or invalid, or the body is not JSON' })
  @ApiPayloadTooLargeResponse({ description: 'The body exceeds 1 MiB' })
  async put(
    @Param() { sku }: SkuParams,
    @Body() { name, price, stock }: PutProductBody,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ProductResponse> {
    const { product, created } = await this.commandBus.execute(
      new PutProduct(sku, name, toCents(price), stock),
    );
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return ProductResponse.of(product);
  }

  @Get(':sku')
  @Public()
  @ApiSecurity({})
  @ApiOperation({ summary: 'Read a product and its stock' })
  @ApiOkResponse({ type: ProductResponse })
  @ApiNotFoundResponse({ description: 'No product has this sku' })
  async get(@Param() { sku }: SkuParams): Promise<ProductResponse> {
    const product = await this.queryBus.execute(new GetProduct(sku));
    if (!product) throw new NotFoundException(`product ${sku} not found`);
    return ProductResponse.of(product);
  }

  @Get()
  @Public()
  @ApiSecurity({})
  @ApiOperation({
    summary: 'List products in sku order; pass the last sku seen as `cursor` for the next page',
  })
  @ApiOkResponse({ type: [ProductResponse] })
  async list(@Query() { limit, cursor }: ListProductsParams): Promise<ProductResponse[]> {
    const products = await this.queryBus.execute(new ListProducts(limit, cursor));
    return products.map((product) => ProductResponse.of(product));
  }
}
