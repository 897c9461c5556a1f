// Conformance: the official RAM and STS npm SDKs (@alicloud/ram20150501,
// @alicloud/sts20150401 on @alicloud/openapi-client's Config) against the
// RAM endpoint of `mcdlf serve`, signing with ACS3-HMAC-SHA256 (the SDK
// default) and with the legacy RPC HMAC-SHA1 signature (signatureAlgorithm
// 'v2'). Asserts the response objects and the error codes and HTTP statuses
// as the SDK surfaces them (reference/ram-sts.md §5.5, §6).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const Ram = require('@alicloud/ram20150501');
const Sts = require('@alicloud/sts20150401');
const { Config } = require('@alicloud/openapi-client');
const { execFileSync } = require('node:child_process');
const { startServe } = require('./lib');

const RamClient = Ram.default;
const StsClient = Sts.default;

let serve;
test.before(async () => { serve = await startServe(); });
test.after(async () => { if (serve) await serve.stop(); });

function config(accessKeyId, accessKeySecret, extra = {}) {
  return new Config({
    accessKeyId,
    accessKeySecret,
    protocol: 'http',
    endpoint: serve.endpoints.endpoints.ram.replace(/^http:\/\//, ''),
    regionId: 'cn-hangzhou',
    ...extra,
  });
}

function owner(extra) {
  const e = serve.endpoints;
  return new RamClient(config(e.access_key_id, e.access_key_secret, extra));
}

async function rejects(promise, code, statusCode) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.code, code, err.message);
    assert.equal(err.statusCode, statusCode, err.message);
    assert.equal(err.data.Code, code);
    assert.match(err.data.RequestId, /^[0-9A-F]{24}$/);
    return true;
  });
}

const CUSTOM_DOC = JSON.stringify({
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: ['oss:GetObject'], Resource: ['acs:oss:*:*:conf-bucket/*'] }],
});

test('RAM scenario through the SDK (ACS3-HMAC-SHA256)', { timeout: 60000 }, async () => {
  const ram = owner();
  const e = serve.endpoints;

  const created = await ram.createUser(new Ram.CreateUserRequest({ userName: 'alice', displayName: 'Alice A' }));
  assert.equal(created.statusCode, 200);
  assert.match(created.body.requestId, /^[0-9A-F]{24}$/);
  assert.equal(created.headers['x-acs-request-id'], created.body.requestId);
  assert.equal(created.body.user.userName, 'alice');
  assert.equal(created.body.user.displayName, 'Alice A');
  assert.match(created.body.user.userId, /^\d{16}$/);
  assert.match(created.body.user.createDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  await rejects(ram.createUser(new Ram.CreateUserRequest({ userName: 'alice' })), 'EntityAlreadyExists.User', 409);

  const got = await ram.getUser(new Ram.GetUserRequest({ userName: 'alice' }));
  assert.equal(got.body.user.userId, created.body.user.userId);
  const listed = await ram.listUsers(new Ram.ListUsersRequest({}));
  assert.equal(listed.body.isTruncated, false);
  assert.deepEqual(listed.body.users.user.map((u) => u.userName), ['alice']);

  const key = await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'alice' }));
  assert.equal(key.body.accessKey.status, 'Active');
  assert.match(key.body.accessKey.accessKeyId, /^LTAI/);
  assert.ok(key.body.accessKey.accessKeySecret.length >= 20);
  const keys = await ram.listAccessKeys(new Ram.ListAccessKeysRequest({ userName: 'alice' }));
  assert.deepEqual(keys.body.accessKeys.accessKey.map((k) => k.accessKeyId), [key.body.accessKey.accessKeyId]);

  const pol = await ram.createPolicy(new Ram.CreatePolicyRequest({
    policyName: 'conf-read', policyDocument: CUSTOM_DOC, description: 'conformance',
  }));
  assert.equal(pol.body.policy.policyName, 'conf-read');
  assert.equal(pol.body.policy.policyType, 'Custom');
  assert.equal(pol.body.policy.defaultVersion, 'v1');
  await rejects(ram.createPolicy(new Ram.CreatePolicyRequest({ policyName: 'conf-read', policyDocument: CUSTOM_DOC })),
    'EntityAlreadyExists.Policy', 409);
  await rejects(ram.createPolicy(new Ram.CreatePolicyRequest({ policyName: 'bad', policyDocument: '{"Version":"1"' })),
    'MalformedPolicyDocument', 400);
  const gp = await ram.getPolicy(new Ram.GetPolicyRequest({ policyName: 'conf-read', policyType: 'Custom' }));
  assert.equal(gp.body.policy.policyDocument, CUSTOM_DOC);
  assert.equal(gp.body.defaultPolicyVersion.isDefaultVersion, true);
  await rejects(ram.getPolicy(new Ram.GetPolicyRequest({ policyName: 'nope', policyType: 'Custom' })),
    'EntityNotExist.Policy', 404);

  await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({
    policyType: 'System', policyName: 'AliyunDLFReadOnlyAccess', userName: 'alice',
  }));
  await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({
    policyType: 'Custom', policyName: 'conf-read', userName: 'alice',
  }));
  const lp = await ram.listPoliciesForUser(new Ram.ListPoliciesForUserRequest({ userName: 'alice' }));
  assert.deepEqual(lp.body.policies.policy.map((p) => [p.policyName, p.policyType]),
    [['AliyunDLFReadOnlyAccess', 'System'], ['conf-read', 'Custom']]);
  assert.equal(lp.body.policies.policy[1].description, 'conformance');
  assert.match(lp.body.policies.policy[0].attachDate, /Z$/);

  await ram.detachPolicyFromUser(new Ram.DetachPolicyFromUserRequest({
    policyType: 'Custom', policyName: 'conf-read', userName: 'alice',
  }));
  const lp2 = await ram.listPoliciesForUser(new Ram.ListPoliciesForUserRequest({ userName: 'alice' }));
  assert.deepEqual(lp2.body.policies.policy.map((p) => p.policyName), ['AliyunDLFReadOnlyAccess']);
  await rejects(ram.detachPolicyFromUser(new Ram.DetachPolicyFromUserRequest({
    policyType: 'Custom', policyName: 'conf-read', userName: 'alice',
  })), 'EntityNotExist.User.Policy', 404);

  // Errors: a missing user, a wrong secret, an unknown key.
  await rejects(ram.getUser(new Ram.GetUserRequest({ userName: 'nobody' })), 'EntityNotExist.User', 404);
  const wrong = new RamClient(config(e.access_key_id, 'not-the-secret'));
  await rejects(wrong.getUser(new Ram.GetUserRequest({ userName: 'alice' })), 'SignatureDoesNotMatch', 400);
  const unknown = new RamClient(config('LTAIdoesnotexist000000', 'x'));
  await rejects(unknown.getUser(new Ram.GetUserRequest({ userName: 'alice' })), 'InvalidAccessKeyId.NotFound', 404);

  // alice's own key: AliyunDLFReadOnlyAccess gives her no ram:CreateUser.
  const alice = new RamClient(config(key.body.accessKey.accessKeyId, key.body.accessKey.accessKeySecret));
  await assert.rejects(alice.createUser(new Ram.CreateUserRequest({ userName: 'mallory' })), (err) => {
    assert.equal(err.code, 'NoPermission');
    assert.equal(err.statusCode, 403);
    assert.match(err.data.Message, /^You are not authorized to do this action\. Resource: acs:ram:\*:\d+:user\/\* Action: ram:CreateUser$/);
    assert.equal(err.accessDeniedDetail.AuthAction, 'ram:CreateUser');
    return true;
  });

  const sts = new StsClient(config(key.body.accessKey.accessKeyId, key.body.accessKey.accessKeySecret));
  const who = await sts.getCallerIdentity();
  assert.equal(who.body.arn, `acs:ram::${e.account_id}:user/alice`);
  assert.equal(who.body.identityType, 'RAMUser');
  assert.equal(who.body.accountId, e.account_id);
  assert.equal(who.body.userId, created.body.user.userId);

  // DeleteUser refuses while alice holds policies or keys; DeletePolicy works once detached.
  await rejects(ram.deleteUser(new Ram.DeleteUserRequest({ userName: 'alice' })), 'DeleteConflict.User.AccessKey', 409);
  await ram.deletePolicy(new Ram.DeletePolicyRequest({ policyName: 'conf-read' }));
  await rejects(ram.deletePolicy(new Ram.DeletePolicyRequest({ policyName: 'conf-read' })), 'EntityNotExist.Policy', 404);
  await ram.createUser(new Ram.CreateUserRequest({ userName: 'bob' }));
  await ram.deleteUser(new Ram.DeleteUserRequest({ userName: 'bob' }));
  await rejects(ram.getUser(new Ram.GetUserRequest({ userName: 'bob' })), 'EntityNotExist.User', 404);
});

test('legacy RPC HMAC-SHA1 signature (signatureAlgorithm v2)', { timeout: 60000 }, async () => {
  const ram = owner({ signatureAlgorithm: 'v2' });
  await ram.createUser(new Ram.CreateUserRequest({ userName: 'carol', comments: 'rpc v2' }));
  const got = await ram.getUser(new Ram.GetUserRequest({ userName: 'carol' }));
  assert.equal(got.body.user.comments, 'rpc v2');
  const e = serve.endpoints;
  const wrong = new RamClient(config(e.access_key_id, 'wrong', { signatureAlgorithm: 'v2' }));
  await assert.rejects(wrong.listUsers(new Ram.ListUsersRequest({})), (err) => {
    assert.equal(err.code, 'SignatureDoesNotMatch');
    assert.match(err.data.Message, /server string to sign is:GET&%2F&|server string to sign is:POST&%2F&/);
    return true;
  });
});

test('GetRole: the MaxCompute service-linked role a fresh state is provisioned with', { timeout: 60000 }, async () => {
  const ram = owner();
  const e = serve.endpoints;
  const r = await ram.getRole(new Ram.GetRoleRequest({ roleName: 'aliyunservicerolefor' + 'maxcomputelakehouse' }));
  assert.equal(r.body.role.roleName, 'AliyunServiceRoleForMaxComputeLakehouse');
  assert.equal(r.body.role.arn, `acs:ram::${e.account_id}:role/AliyunServiceRoleForMaxComputeLakehouse`);
  assert.equal(r.body.role.maxSessionDuration, 3600);
  const trust = JSON.parse(r.body.role.assumeRolePolicyDocument);
  assert.equal(trust.Statement[0].Action, 'sts:AssumeRole');
  await rejects(ram.getRole(new Ram.GetRoleRequest({ roleName: 'NoSuchRole' })), 'EntityNotExist.Role', 404);
});

test('a user made by `mcdlf admin ram create-user` (keys only) is a RAM user to the API', { timeout: 60000 }, async () => {
  const out = execFileSync(process.env.MCDLF_BIN, ['admin', '--state', serve.state, 'ram', 'create-user', 'dave'],
    { encoding: 'utf8' });
  const e = serve.endpoints;
  assert.equal(out.trim(), `acs:ram::${e.account_id}:user/dave`);
  const ram = owner();
  const got = await ram.getUser(new Ram.GetUserRequest({ userName: 'dave' }));
  assert.equal(got.body.user.userName, 'dave');
  assert.match(got.body.user.userId, /^\d{16}$/);
  const again = await ram.getUser(new Ram.GetUserRequest({ userName: 'dave' }));
  assert.equal(again.body.user.userId, got.body.user.userId);
  const listed = await ram.listUsers(new Ram.ListUsersRequest({ maxItems: 1000 }));
  assert.ok(listed.body.users.user.some((u) => u.userName === 'dave'));
  const keys = await ram.listAccessKeys(new Ram.ListAccessKeysRequest({ userName: 'dave' }));
  assert.equal(keys.body.accessKeys.accessKey.length, 1);
  await rejects(ram.createUser(new Ram.CreateUserRequest({ userName: 'dave' })), 'EntityAlreadyExists.User', 409);
});

test('gateway errors for unsigned and unknown requests, in the POP JSON envelope', { timeout: 60000 }, async () => {
  const base = serve.endpoints.endpoints.ram;
  let r = await fetch(`${base}/?Action=NoSuchAction&Version=2015-05-01`, { method: 'POST' });
  let body = await r.json();
  assert.equal(r.status, 404);
  assert.equal(body.Code, 'InvalidAction.NotFound');
  assert.equal(body.HostId, 'ram.aliyuncs.com');
  assert.equal(body.RequestId, r.headers.get('x-acs-request-id'));
  r = await fetch(`${base}/?Action=GetUser&Version=2015-05-01&UserName=alice`, { method: 'POST' });
  body = await r.json();
  assert.equal(r.status, 400);
  assert.equal(body.Code, 'MissingParameter');
  assert.match(body.Message, /"AccessKeyId"/);
  r = await fetch(`${base}/?Action=GetUser&Version=2099-01-01`);
  assert.equal((await r.json()).Code, 'InvalidVersion');
});
