import { Command } from '@nestjs/cqrs';
import { Account } from '../domain/account';

/** Sets a customer's remaining credit, opening their account if it was only implicit so far. */
export class SetCredit extends Command<'created' | 'replaced'> {
  constructor(readonly account: Account) {
    super();
  }
}
