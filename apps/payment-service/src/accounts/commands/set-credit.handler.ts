import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AccountRepository } from '../persistence/account.repository';
import { SetCredit } from './set-credit.command';

/** Creates or replaces the account and says which, so the caller can answer 201 or 200. */
@CommandHandler(SetCredit)
export class SetCreditHandler implements ICommandHandler<SetCredit> {
  constructor(private readonly accounts: AccountRepository) {}

  execute({ account }: SetCredit): Promise<'created' | 'replaced'> {
    return this.accounts.put(account);
  }
}
