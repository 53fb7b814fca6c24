import { BadRequestException, Controller, Get, NotFoundException, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Caller, CurrentCaller, visibleList } from '@platform/service';
import { PaymentResponse } from './dto/payment.response';
import { PaymentsSearchParams } from './dto/payments-search.params';
import { ListPayments } from './queries/list-payments.query';

/** Lists stay short; a customer's latest payments are the ones worth showing. */
const LIST_LIMIT = 100;

/**
 * `/payments`: what was charged, declined or refunded, by order or by customer, newest first. A customer sees
 * only its own (someone else's is 404); an admin sees any.
 */
@ApiTags('payments')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No bearer token, or not a valid one' })
@Controller('payments')
export class PaymentsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: `The payment of an order (\`orderId\`) or the payments of a customer (\`customerId\`), newest first (at most ${LIST_LIMIT})`,
  })
  @ApiOkResponse({ type: [PaymentResponse] })
  @ApiBadRequestResponse({ description: 'Neither orderId nor customerId given, or one is invalid' })
  @ApiNotFoundResponse({ description: "A customer asked for another customer's payments" })
  async listPayments(
    @CurrentCaller() caller: Caller,
    @Query() { orderId, customerId }: PaymentsSearchParams,
  ): Promise<PaymentResponse[]> {
    if (orderId === undefined && customerId === undefined) {
      throw new BadRequestException('orderId or customerId is required');
    }
    const payments = await visibleList(caller, { orderId, customerId }, (filter) =>
      this.queries.execute(new ListPayments(filter, LIST_LIMIT)),
    );
    if (payments === undefined)
      throw new NotFoundException(`no payments of ${orderId ?? customerId} for this caller`);
    return payments.map(PaymentResponse.of);
  }
}
