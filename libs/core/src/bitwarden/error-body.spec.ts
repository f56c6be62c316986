import { describe, expect, it } from '@jest/globals';
import { describeErrorBody } from './error-body.js';

describe('describeErrorBody', () => {
  it('handles empty, text and HTML bodies', () => {
    expect(describeErrorBody('')).toEqual({ text: '(empty body)', errors: null });
    expect(describeErrorBody('Bad gateway\n').text).toBe('Bad gateway');
    expect(describeErrorBody('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>').text).toBe('HTML page "502 Bad Gateway"');
  });

  it('reads OAuth token errors', () => {
    expect(describeErrorBody('{"error":"invalid_client"}').text).toBe('invalid_client');
    expect(describeErrorBody('{"error":"invalid_scope","error_description":"bad scope"}').text).toBe('invalid_scope: bad scope');
  });

  it('reads the official JSON-path keyed error', () => {
    const body = { object: 'error', message: "The request's model state is invalid.", errors: { '$.members[0].deleted': ['The JSON value could not be converted to System.Boolean.'] } };
    expect(describeErrorBody(JSON.stringify(body)).text).toBe(
      "The request's model state is invalid. $.members[0].deleted: The JSON value could not be converted to System.Boolean.",
    );
  });

  it('reads the aggregate error', () => {
    const body = { object: 'error', message: 'Errors have occurred.', errors: { 'An error has occurred.': ['Invite failed'] } };
    expect(describeErrorBody(JSON.stringify(body))).toEqual({ text: 'Errors have occurred. An error has occurred.: Invite failed', errors: body.errors });
  });

  it('does not repeat the Vaultwarden message', () => {
    const message = 'Scope not supported';
    const body = { message, validationErrors: { '': [message] }, errorModel: { message, object: 'error' }, error: '', error_description: '', object: 'error' };
    expect(describeErrorBody(JSON.stringify(body)).text).toBe('Scope not supported.');
  });

  it('reads Rocket catcher bodies', () => {
    expect(describeErrorBody('{"error":{"code":404,"reason":"Not Found","description":"The requested resource could not be found."}}').text).toBe(
      'The requested resource could not be found.',
    );
  });

  it('limits the number of entries', () => {
    const errors: Record<string, string[]> = {};
    for (let i = 0; i < 60; i++) errors[`Members[${i}].Email`] = ['bad'];
    const { text } = describeErrorBody(JSON.stringify({ message: 'invalid', errors }));
    expect(text).toContain('Members[49].Email: bad');
    expect(text).not.toContain('Members[50].Email');
    expect(text).toContain('(and 10 more)');
  });
});
