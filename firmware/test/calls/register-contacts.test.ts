import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRegisterContacts } from '../../src/calls/register-contacts.ts';
import { parseReplaces } from '../../src/calls/bridge.ts';

test('REGISTER contacts: per-contact expires wins over Expires, which wins over the default; * needs Expires 0', () => {
  assert.deepEqual(parseRegisterContacts('<sip:1001@10.0.0.5:5060>;expires=120, "Desk, 2" <sip:1001@10.0.0.6>', '300', 3600), {
    ok: true,
    wildcard: false,
    contacts: [
      { uri: 'sip:1001@10.0.0.5:5060', expiresS: 120 },
      { uri: 'sip:1001@10.0.0.6', expiresS: 300 },
    ],
  });
  assert.deepEqual(parseRegisterContacts('sip:1001@10.0.0.5;transport=tcp', undefined, 3600), { ok: true, wildcard: false, contacts: [{ uri: 'sip:1001@10.0.0.5', expiresS: 3600 }] });
  assert.deepEqual(parseRegisterContacts('*', '0', 3600), { ok: true, wildcard: true });
  assert.equal(parseRegisterContacts('*', '60', 3600).ok, false);
  assert.equal(parseRegisterContacts('<mailto:x@y>', undefined, 3600).ok, false);
  assert.equal(parseRegisterContacts('<sip:1001@h>', '-1', 3600).ok, false);
  assert.deepEqual(parseRegisterContacts(undefined, undefined, 3600), { ok: true, wildcard: false, contacts: [] });
});

test('Replaces in a Refer-To names the dialog to replace', () => {
  assert.deepEqual(parseReplaces('<sip:1002@box?Replaces=abc%40host%3Bto-tag%3Dt1%3Bfrom-tag%3Df1>'), { callId: 'abc@host', toTag: 't1', fromTag: 'f1' });
  assert.equal(parseReplaces('<sip:1002@box>'), undefined);
});
