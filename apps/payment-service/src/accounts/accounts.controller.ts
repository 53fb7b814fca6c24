import { Body, Controller, Get, HttpStatus, NotFoundException, Param, Put, Res } from '@nestjs/common';
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
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Response } from 'express';
import { toCents } from '@platform/contracts';
import { AdminOnly, Caller, CurrentCaller, visibleCustomer } from '@platform/service';
import { SetCredit } from './commands/set-credit.command';
import { AccountResponse } from './dto/account.response';
import { CustomerIdParams } from './dto/customer-id.params';
import { SetCreditBody } from './dto/set-credit.body';
import { GetAccount } from './queries/get-account.query';

/**
 * `/accounts/{customerId}`: read a customer's remaining credit (its own, or any for an admin; someone else's
 * is 404) and set it (admins only).
 */
@ApiTags('accounts')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No bearer token, or not a valid one' })
@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Put(':customerId')
  @AdminOnly()
  @ApiForbiddenResponse({ description: 'Not an admin token' })
  @ApiOperation({ summary: "Sets the customer's remaining credit, creating the account if needed" })
  @ApiCreatedResponse({ type: AccountResponse, description: 'The account was created' })
  @ApiOkResponse({ type: AccountResponse, description: 'The credit was replaced' })
  @ApiBadRequestResponse({ description: 'customerId or credit is invalid, or the body is not JSON' })
  @ApiPayloadTooLargeResponse({ description: 'The body exceeds 1 MiB' })
  async setCredit(
    @Param() { customerId }: CustomerIdParams,
    @Body() { credit }: SetCreditBody,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AccountResponse> {
    const account = { customerId, credit: toCents(credit) };
    const outcome = await this.commands.execute(new SetCredit(account));
    response.status(outcome === 'created' ? HttpStatus.CREATED : HttpStatus.OK);
    return AccountResponse.of(account);
  }

  @Get(':customerId')
  @ApiOperation({ summary: "The customer's remaining credit; a customer never seen has the default credit" })
  @ApiOkResponse({ type: AccountResponse })
  @ApiBadRequestResponse({ description: 'customerId is invalid' })
  @ApiNotFoundResponse({ description: "A customer asked for another customer's account" })
  async getAccount(
    @CurrentCaller() caller: Caller,
    @Param() { customerId }: CustomerIdParams,
  ): Promise<AccountResponse> {
    if (visibleCustomer(caller, customerId) !== customerId) {
      throw new NotFoundException(`account ${customerId} not found`);
    }
    return AccountResponse.of(await this.queries.execute(new GetAccount(customerId)));
  }
}
