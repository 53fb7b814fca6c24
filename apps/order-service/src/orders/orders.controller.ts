import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
  UnprocessableEntityException,
  UseGuards,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Response } from 'express';
import { Caller, CurrentCaller, visibleCustomer } from '@platform/service';
import { PlaceOrder } from './commands/place-order.command';
import { ListOrdersRequest } from './dto/list-orders.request';
import { OrderPageView } from './dto/order-page.view';
import { OrderView } from './dto/order.view';
import { PlaceOrderRequest } from './dto/place-order.request';
import { IdempotencyKey, MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency-key.decorator';
import { GetOrder } from './queries/get-order.query';
import { ListOrders } from './queries/list-orders.query';
import { OrderThrottle } from './order-throttle.guard';

/**
 * Orders over HTTP: place one (the saga runs on asynchronously), read one, list a customer's. A customer acts
 * for itself (the token's subject); an admin names the customer. Someone else's order is 404.
 */
@ApiTags('orders')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No bearer token, or not a valid one' })
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @UseGuards(OrderThrottle)
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: `1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters; a retry with the same key and body returns the same order`,
  })
  @ApiAcceptedResponse({
    type: OrderView,
    description: 'Accepted as PENDING; `Location` points to the order',
  })
  @ApiBadRequestResponse({ description: 'Invalid body or header; the message names the field' })
  @ApiUnprocessableEntityResponse({ description: 'The Idempotency-Key was used with a different body' })
  @ApiForbiddenResponse({ description: "A customer's token with another customer's customerId" })
  @ApiPayloadTooLargeResponse({ description: 'Body over 1 MiB' })
  @ApiTooManyRequestsResponse({
    description: 'Too many orders from this subject; Retry-After says when to retry',
  })
  async place(
    @CurrentCaller() caller: Caller,
    @Body() request: PlaceOrderRequest,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderView> {
    const result = await this.commands.execute(
      new PlaceOrder(
        customerOrdering(caller, request.customerId),
        request.items,
        idempotencyKey,
        // Only a customer's own verified address: an admin ordering for someone cannot name where mail goes.
        caller.admin ? undefined : caller.email,
      ),
    );
    if (result.kind === 'idempotency-key-reused') {
      throw new UnprocessableEntityException(
        `Idempotency-Key "${idempotencyKey}" was already used with a different request body`,
      );
    }
    response.setHeader('Location', `/orders/${result.orderId}`);
    return result.kind === 'placed' ? result.view : this.get(caller, result.orderId);
  }

  @Get(':id')
  @ApiOkResponse({ type: OrderView })
  @ApiNotFoundResponse({ description: 'No order with this id that the caller may see' })
  async get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<OrderView> {
    const order: OrderView | undefined = await this.queries.execute(new GetOrder(id));
    if (!order || visibleCustomer(caller, order.customerId) !== order.customerId) {
      throw new NotFoundException(`order ${id} not found`);
    }
    return order;
  }

  @Get()
  @ApiOkResponse({ type: OrderPageView })
  @ApiBadRequestResponse({ description: 'Bad limit or cursor, or an admin did not name the customerId' })
  @ApiNotFoundResponse({ description: "A customer asked for another customer's orders" })
  async list(@CurrentCaller() caller: Caller, @Query() request: ListOrdersRequest): Promise<OrderPageView> {
    if (caller.admin && request.customerId === undefined) {
      throw new BadRequestException('customerId is required: name the customer whose orders to list');
    }
    const customerId = visibleCustomer(caller, request.customerId);
    if (customerId === undefined) throw new NotFoundException(`customer ${request.customerId} not found`);
    const result = await this.queries.execute(new ListOrders(customerId, request.limit, request.cursor));
    if (result.kind === 'invalid-cursor') {
      throw new BadRequestException('cursor is not valid: pass the nextCursor of a previous page');
    }
    return result.page;
  }
}

/** Whom an order is for: a customer orders for itself, an admin for the customer it names. */
function customerOrdering(caller: Caller, named: string | undefined): string {
  if (caller.admin) {
    if (named === undefined)
      throw new BadRequestException('customerId is required when an admin places an order');
    return named;
  }
  if (named !== undefined && named !== caller.subject) {
    throw new ForbiddenException(
      "customerId must be the token's own subject: a customer orders only for itself",
    );
  }
  return caller.subject;
}
