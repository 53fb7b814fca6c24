import { Module } from '@nestjs/common';
import { AccountsController } from './accounts.controller';
import { SetCreditHandler } from './commands/set-credit.handler';
import { AccountRepository } from './persistence/account.repository';
import { GetAccountHandler } from './queries/get-account.handler';

/** Customers' credit accounts: the REST resource, and the repository payments charge and refund through. */
@Module({
  controllers: [AccountsController],
  providers: [AccountRepository, SetCreditHandler, GetAccountHandler],
  exports: [AccountRepository],
})
export class AccountsModule {}
