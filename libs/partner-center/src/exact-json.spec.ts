import { parseExactJson, parseJsonNumbersAsText, quoteDecimalFields } from './exact-json';

describe('exact JSON', () => {
  const KEYS = ['unitPrice', 'quantity'];

  it('keeps every digit of the listed keys as strings', () => {
    const body = '{"items":[{"unitPrice": 0.12345678901234567890123, "quantity":-1.5e-3, "other": 0.1}]}';
    expect(parseExactJson(body, KEYS)).toEqual({ items: [{ unitPrice: '0.12345678901234567890123', quantity: '-1.5e-3', other: 0.1 }] });
  });

  it('leaves strings that merely contain the key untouched', () => {
    const body = JSON.stringify({ tags: '{"unitPrice":1.5}', note: 'unitPrice: 3', unitPrice: 2 }).replace('"unitPrice":2', '"unitPrice":2.000000000000000000001');
    expect(parseExactJson(body, KEYS)).toEqual({ tags: '{"unitPrice":1.5}', note: 'unitPrice: 3', unitPrice: '2.000000000000000000001' });
  });

  it('does not touch similar keys, nulls, strings or already-quoted values', () => {
    const body = '{"xunitPrice": 1.1, "unitPriceX": 2.2, "unitPrice": null, "quantity": "3.30"}';
    expect(quoteDecimalFields(body, KEYS)).toBe(body);
  });

  it('handles whitespace and the last member of an object', () => {
    expect(parseExactJson('{ "a": 1, "quantity" :\n 24 }', KEYS)).toEqual({ a: 1, quantity: '24' });
  });

  it('still rejects truncated JSON', () => {
    expect(() => parseExactJson('{"items":[{"unitPrice": 0.1', KEYS)).toThrow(SyntaxError);
  });

  it('is a plain JSON.parse without keys', () => {
    expect(parseExactJson('{"unitPrice": 0.5}')).toEqual({ unitPrice: 0.5 });
  });
});

describe('parseJsonNumbersAsText', () => {
  it('keeps every member number as exact text, never touching numbers inside strings', () => {
    const line = '{"UnitPrice": 0.09600000000000000001, "Quantity":24,"Tags":"{\\"unitPrice\\":1.5}","Neg":-1e-7,"Ok":true,"Arr":[1,2],"Nested":{"X":12345678901234567890}}';
    expect(parseJsonNumbersAsText(line)).toEqual({
      UnitPrice: '0.09600000000000000001',
      Quantity: '24',
      Tags: '{"unitPrice":1.5}',
      Neg: '-1e-7',
      Ok: true,
      Arr: [1, 2],
      Nested: { X: '12345678901234567890' },
    });
  });

  it('throws SyntaxError on a broken line', () => {
    expect(() => parseJsonNumbersAsText('{"a": 1,')).toThrow(SyntaxError);
  });
});
