import { ApiProperty } from '@nestjs/swagger';
import { fromCents } from '@platform/contracts';
import { Account } from '../domain/account';

/** A customer's remaining credit as the API shows it. */
export class AccountResponse {
  @ApiProperty({ example: 'customer-42' })
  customerId!: string;

  @ApiProperty({ description: 'Remaining credit, two decimals', example: 250.5 })
  credit!: number;

  static of(account: Account): AccountResponse {
    return { customerId: account.customerId, credit: fromCents(account.credit) };
  }
}
