// Conformance: DLF's permission management API (DlfNext 2025-03-10,
// ListPermissions / BatchGrantPermissions / BatchRevokePermissions; ROA,
// docs/dlf-permissions-api.md) driven with the generic
// @alicloud/openapi-client callApi the DlfNext product SDK is built on
// (ACS3-HMAC-SHA256) against the DLF endpoint of `mcdlf serve`. A grant made
// over the API is what the console sees: alice's SHOW TABLES through a url
// profile with her AccessKey fails before the grant, works after it and
// fails again after the revoke. Error cases assert exact codes and statuses.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const Ram = require('@alicloud/ram20150501');
const Sts = require('@alicloud/sts20150401');
const OpenApi = require('@alicloud/openapi-client');
const { RuntimeOptions } = require('@alicloud/tea-util');
const { startServe } = require('./lib');

const { Config, Params, OpenApiRequest } = OpenApi;

let serve;
test.before(async () => { serve = await startServe(); });
test.after(async () => { if (serve) await serve.stop(); });

function config(service, accessKeyId, accessKeySecret) {
  return new Config({
    accessKeyId,
    accessKeySecret,
    protocol: 'http',
    endpoint: serve.endpoints.endpoints[service].replace(/^http:\/\//, ''),
    regionId: 'cn-hangzhou',
  });
}

const OPS = {
  list: ['ListPermissions', 'GET'],
  batchgrant: ['BatchGrantPermissions', 'POST'],
  batchrevoke: ['BatchRevokePermissions', 'POST'],
};

// One ROA call as the generated DlfNext client makes it.
function call(key, verb, { catalog = serve.endpoints.catalog_id, query, body } = {}) {
  const client = new OpenApi.default(config('dlf', key.id, key.secret));
  const [action, method] = OPS[verb];
  const params = new Params({
    action, version: '2025-03-10', protocol: 'HTTP', pathname: `/dlf/v1/auth/permissions/${catalog}/${verb}`,
    method, authType: 'AK', style: 'ROA', reqBodyType: 'json', bodyType: 'json',
  });
  return client.callApi(params, new OpenApiRequest({ query, body }), new RuntimeOptions({}));
}

async function rejects(promise, code, statusCode, message) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.code, code, err.message);
    assert.equal(err.statusCode, statusCode, err.message);
    assert.match(err.data.RequestId, /^[0-9A-F]{24}$/);
    assert.equal(err.data.HostId, 'dlfnext.cn-hangzhou.aliyuncs.com');
    if (message) assert.equal(err.data.Message, message);
    return true;
  });
}

// alice's SHOW TABLES through a url profile on this serve, with her AccessKey.
function showTables(key) {
  const cfg = path.join(serve.state, 'conf.ini');
  fs.writeFileSync(cfg, `[profile served]\nkind = url\nendpoints_file = ${path.join(serve.state, 'endpoints.json')}\n`);
  const r = spawnSync(process.env.MCDLF_BIN, ['--config', cfg, '--profile', 'served', '-e', 'SHOW TABLES;'], {
    encoding: 'utf8',
    env: { ...process.env, ALIBABA_CLOUD_ACCESS_KEY_ID: key.id, ALIBABA_CLOUD_ACCESS_KEY_SECRET: key.secret },
  });
  return { status: r.status, out: (r.stdout + r.stderr).replace(/^ID = \w+\n/m, '') };
}

test('grant, list and revoke through the DlfNext permission API', { timeout: 120000 }, async () => {
  const e = serve.endpoints;
  const owner = { id: e.access_key_id, secret: e.access_key_secret };
  assert.match(e.catalog_id, /^clg-paimon-[0-9a-f]+$/);
  const ram = new Ram.default(config('ram', owner.id, owner.secret));
  const users = {};
  for (const [name, policy] of [['alice', 'AliyunDLFReadOnlyAccess'], ['bob', 'AliyunDLFReadOnlyAccess'], ['carol', 'AliyunDLFFullAccess'],
    ['dave', null]]) {
    await ram.createUser(new Ram.CreateUserRequest({ userName: name }));
    const k = await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: name }));
    users[name] = { id: k.body.accessKey.accessKeyId, secret: k.body.accessKey.accessKeySecret };
    if (policy) {
      await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({
        policyType: 'System', policyName: policy, userName: name,
      }));
    }
  }
  // The principals' ARNs carry the account uid.
  const sts = new Sts.default(config('ram', owner.id, owner.secret));
  const uid = (await sts.getCallerIdentity()).body.accountId;
  assert.match(uid, /^\d{16}$/);
  const alice = `acs:ram::${uid}:user/alice`;
  const aliceList = { principal: alice, resourceType: 'DATABASE', database: 'default', access: 'LIST' };

  // Before any grant: the console refuses, the listing is empty.
  let shown = showTables(users.alice);
  assert.equal(shown.status, 1);
  assert.equal(shown.out, `FAILED: Forbidden: User ${alice} doesn't have privilege LIST on DATABASE default\n`);
  let listed = await call(owner, 'list', { query: { resourceType: 'DATABASE', database: 'default' } });
  assert.equal(listed.statusCode, 200);
  assert.match(listed.headers['x-acs-request-id'], /^[0-9A-F]{24}$/);
  assert.deepEqual(listed.body, { permissions: [], nextPageToken: null });

  // The owner grants alice LIST on database default (the documented Permission shape, unused fields "").
  const granted = await call(owner, 'batchgrant', {
    body: { permissions: [{ ...aliceList, table: '', view: '', function: '', columns: { columnNames: [''] } }] },
  });
  assert.deepEqual(granted.body, { failurePermissions: [], success: true, errorMessage: null });
  listed = await call(owner, 'list', { query: { resourceType: 'DATABASE', principal: alice } });
  assert.deepEqual(listed.body, { permissions: [aliceList], nextPageToken: null });
  shown = showTables(users.alice);
  assert.equal(shown.status, 0, shown.out);
  assert.equal(shown.out, '\n\nOK\n');

  // Paging: a second grant, one per page.
  await call(owner, 'batchgrant', { body: { permissions: [{ ...aliceList, access: 'DESCRIBE' }] } });
  const p1 = await call(owner, 'list', { query: { resourceType: 'DATABASE', maxResults: '1' } });
  assert.deepEqual(p1.body.permissions, [{ ...aliceList, access: 'DESCRIBE' }]);
  assert.equal(p1.body.nextPageToken, '1');
  const p2 = await call(owner, 'list', { query: { resourceType: 'DATABASE', maxResults: '1', pageToken: '1' } });
  assert.deepEqual(p2.body, { permissions: [aliceList], nextPageToken: null });

  // bob (AliyunDLFReadOnlyAccess) may list but not grant: RAM refuses dlf:BatchGrantPermissions.
  const bobList = await call(users.bob, 'list', { query: { resourceType: 'CATALOG' } });
  assert.deepEqual(bobList.body, { permissions: [], nextPageToken: null });
  await rejects(call(users.bob, 'batchgrant', { body: { permissions: [aliceList] } }), 'NoPermission', 403,
    'You are not authorized to do this action. Resource: * Action: dlf:BatchGrantPermissions');
  // dave has no policy at all: not even ListPermissions.
  await rejects(call(users.dave, 'list', { query: { resourceType: 'CATALOG' } }), 'NoPermission', 403,
    'You are not authorized to do this action. Resource: * Action: dlf:ListPermissions');
  // carol (AliyunDLFFullAccess) passes RAM but holds no DLF GRANT on the database.
  await rejects(call(users.carol, 'batchrevoke', { body: { permissions: [aliceList] } }), 'Forbidden', 403,
    `User acs:ram::${uid}:user/carol doesn't have privilege GRANT on DATABASE default`);
  // With GRANT on the database she may revoke there; a revoke of what is not held fails that entry only.
  await call(owner, 'batchgrant', {
    body: { permissions: [{ principal: `acs:ram::${uid}:user/carol`, resourceType: 'DATABASE', database: 'default', access: 'GRANT' }] },
  });
  const revoked = await call(users.carol, 'batchrevoke', {
    body: { permissions: [aliceList, { ...aliceList, access: 'DROP' }] },
  });
  assert.deepEqual(revoked.body, {
    failurePermissions: [{
      errorMessage: `${alice} has no grant DROP on that DATABASE`,
      errorCode: 'NotFound',
      permission: { ...aliceList, access: 'DROP' },
    }],
    success: false,
    errorMessage: '1 of 2 permissions failed',
  });
  listed = await call(owner, 'list', { query: { resourceType: 'DATABASE', principal: alice } });
  assert.deepEqual(listed.body.permissions, [{ ...aliceList, access: 'DESCRIBE' }]);
  shown = showTables(users.alice);
  assert.equal(shown.status, 1);
  assert.equal(shown.out, `FAILED: Forbidden: User ${alice} doesn't have privilege LIST on DATABASE default\n`);

  // A grant on a table that does not exist fails that entry; nothing else changes.
  const missing = { principal: alice, resourceType: 'TABLE', database: 'default', table: 'nope', access: 'SELECT' };
  const g2 = await call(owner, 'batchgrant', { body: { permissions: [missing] } });
  assert.equal(g2.body.success, false);
  assert.equal(g2.body.failurePermissions[0].errorCode, 'NotFound');
  assert.deepEqual(g2.body.failurePermissions[0].permission, missing);

  // Bad input: the whole batch is refused and nothing is applied.
  await rejects(call(owner, 'batchgrant', { body: { permissions: [aliceList, { ...aliceList, access: 'READ' }] } }),
    'InvalidParameter', 400,
    'permissions[1]: access READ is not valid for a DATABASE permission (valid: ALL, ALTER, DROP, GRANT, DESCRIBE, '
    + 'CREATE_TABLE, CREATE_FUNCTION, LIST).');
  listed = await call(owner, 'list', { query: { resourceType: 'DATABASE', principal: alice } });
  assert.deepEqual(listed.body.permissions, [{ ...aliceList, access: 'DESCRIBE' }]);
  await rejects(call(owner, 'batchgrant', { body: { permissions: [] } }), 'MissingParameter', 400);
  await rejects(call(owner, 'list', {}), 'MissingParameter', 400,
    'The input parameter "resourceType" that is mandatory for processing this request is not supplied.');
  await rejects(call(owner, 'list', { query: { resourceType: 'DATABASE', maxResults: '0' } }), 'InvalidParameter', 400,
    'maxResults 0 is not an integer from 1 to 1000.');
  await rejects(call(owner, 'list', { catalog: 'clg-paimon-nosuch', query: { resourceType: 'CATALOG' } }),
    'CatalogNotFound', 404, 'Catalog clg-paimon-nosuch does not exist.');

  // Authentication: a wrong secret, an unknown key.
  await rejects(call({ id: owner.id, secret: 'not-the-secret' }, 'list', { query: { resourceType: 'CATALOG' } }),
    'SignatureDoesNotMatch', 400, 'Specified signature is not matched with our calculation.');
  await rejects(call({ id: 'LTAIdoesnotexist000000', secret: 'x' }, 'list', { query: { resourceType: 'CATALOG' } }),
    'InvalidAccessKeyId.NotFound', 404);
  // Unsigned and unknown requests, sent raw: POP envelopes too.
  const base = `${e.endpoints.dlf}/dlf/v1/auth/permissions/${e.catalog_id}`;
  let raw = await fetch(`${base}/list?resourceType=CATALOG`);
  let answer = await raw.json();
  assert.equal(raw.status, 400);
  assert.equal(answer.Code, 'IncompleteSignature');
  assert.equal(answer.Message,
    'The request signature does not conform to Aliyun standards: this endpoint takes ACS3-HMAC-SHA256.');
  raw = await fetch(`${base}/grant`, { method: 'POST' });
  answer = await raw.json();
  assert.equal(raw.status, 404);
  assert.equal(answer.Code, 'InvalidAction.NotFound');
  assert.equal(answer.RequestId, raw.headers.get('x-acs-request-id'));
  // VIEW grants are not modelled: they list as empty; granting one is refused.
  const views = await call(owner, 'list', { query: { resourceType: 'VIEW' } });
  assert.deepEqual(views.body, { permissions: [], nextPageToken: null });
  await rejects(call(owner, 'batchgrant', {
    body: { permissions: [{ principal: alice, resourceType: 'VIEW', database: 'default', view: 'v', access: 'SELECT' }] },
  }), 'InvalidParameter', 400, 'permissions[0]: mcdlf does not model grants on VIEW resources.');
});
