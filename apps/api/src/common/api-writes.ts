import { Injectable } from '@nestjs/common';

/**
 * Counts the writes made through the api (every non-GET request, when it ends). What the api keeps
 * in memory on top of the store — whole answers (AnswerCache), signed-in principals (AuthService) —
 * is valid only within one generation: a caller who changed a grant, a setting or a rate sees the
 * effect on their next request.
 */
@Injectable()
export class ApiWrites {
  private count = 0;

  get generation(): number {
    return this.count;
  }

  written(): void {
    this.count++;
  }
}
