import { Query } from '@nestjs/cqrs';
import { Account } from '../domain/account';

/** What credit has this customer left? Every customer has an account, if only the default one. */
export class GetAccount extends Query<Account> {
  constructor(readonly customerId: string) {
    super();
  }
}
