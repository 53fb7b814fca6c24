import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { toCents } from '@platform/contracts';
import { PaymentConfig } from '../../config';
import { Account, accountOrDefault } from '../domain/account';
import { AccountRepository } from '../persistence/account.repository';
import { GetAccount } from './get-account.query';

/** Reads the customer's stored account, or the default one they implicitly have. */
@QueryHandler(GetAccount)
export class GetAccountHandler implements IQueryHandler<GetAccount> {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly config: PaymentConfig,
  ) {}

  async execute({ customerId }: GetAccount): Promise<Account> {
    const stored = await this.accounts.find(customerId);
    return accountOrDefault(customerId, stored, toCents(this.config.defaultCredit));
  }
}
