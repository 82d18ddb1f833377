import { isConnectionError } from './connection-errors.js';

describe('isConnectionError', () => {
  const withCode = (code: string) => Object.assign(new Error('x'), { code });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ENOENT', 'EPIPE', '08006', '08001', '57P01', '57P03'])(
    '%s is a connection failure',
    (code) => {
      expect(isConnectionError(withCode(code))).toBe(true);
    },
  );

  it('looks through a driver error and a cause, and at plain objects from another realm', () => {
    expect(isConnectionError(Object.assign(new Error('query failed'), { driverError: withCode('57P01') }))).toBe(true);
    expect(
      isConnectionError(
        Object.assign(new Error('projection failed'), { cause: new Error('Connection terminated unexpectedly') }),
      ),
    ).toBe(true);
    expect(isConnectionError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' })).toBe(true);
    expect(isConnectionError(Object.assign(new Error('x'), { name: 'QueryRunnerProviderAlreadyReleasedError' }))).toBe(
      true,
    );
  });

  it.each([
    ['a unique violation', withCode('23505')],
    ['a syntax error', withCode('42601')],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['not an error', 'ECONNREFUSED'],
    ['nothing', null],
  ])('%s is not', (_label, error) => {
    expect(isConnectionError(error)).toBe(false);
  });
});
