// Conformance: the official RAM and STS npm SDKs (@alicloud/ram20150501,
// @alicloud/sts20150401 on @alicloud/openapi-client's Config) against the
// RAM endpoint of `mcdlf serve`, signing with ACS3-HMAC-SHA256 (the SDK
// default) and with the legacy RPC HMAC-SHA1 signature (signatureAlgorithm
// 'v2'). Asserts the response objects and the error codes and HTTP statuses
// as the SDK surfaces them (reference/ram-sts.md §5.5, §6). STS AssumeRole
// sessions are then used with ali-oss against the OSS endpoint and with the
// RAM SDK; ResourceManager's service-linked-role actions go through the
// generic openapi-client call the product SDKs are built on.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const path = require('node:path');
const Ram = require('@alicloud/ram20150501');
const Sts = require('@alicloud/sts20150401');
const OpenApi = require('@alicloud/openapi-client');
const OSS = require('ali-oss');
const { RuntimeOptions } = require('@alicloud/tea-util');
const { execFileSync } = require('node:child_process');
const { startServe } = require('./lib');

const { Config } = OpenApi;

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

function oss(accessKeyId, accessKeySecret, stsToken, bucket) {
  return new OSS({
    region: 'oss-cn-hangzhou',
    endpoint: serve.endpoints.endpoints.oss,
    accessKeyId,
    accessKeySecret,
    stsToken,
    bucket,
    secure: false,
    timeout: 20000,
  });
}

// Moves an STS credential's expiry into the past in the emulator's state, as
// the clock passing its Expiration would (AssumeRole's minimum is 900 s).
function expire(accessKeyId) {
  execFileSync('sqlite3', [path.join(serve.state, 'state.db'),
    `UPDATE sts_credentials SET expires_ms = ${Date.now() - 1000} WHERE id = '${accessKeyId}'`]);
}

async function userWithKey(ram, userName, policies) {
  await ram.createUser(new Ram.CreateUserRequest({ userName }));
  const key = await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName }));
  for (const policyName of policies) {
    await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName, userName }));
  }
  return key.body.accessKey;
}

function trust(...principals) {
  return JSON.stringify({
    Version: '1',
    Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: principals } }],
  });
}

async function denied(promise, code, statusCode, message) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.code, code, err.message);
    assert.equal(err.statusCode, statusCode, err.message);
    assert.equal(err.data.Message, message);
    return true;
  });
}

const NOT_AUTHORIZED = 'You are not authorized to do this action. You should be authorized by RAM.';

test('STS AssumeRole: trust policy, role policies, session policy, OSS and RAM with the session, expiry',
  { timeout: 120000 }, async () => {
    const ram = owner();
    const e = serve.endpoints;
    const uid = e.account_id;

    // The owner's bucket and object.
    const bucket = 'sts-bucket';
    const ownerOss = oss(e.access_key_id, e.access_key_secret, undefined, bucket);
    await ownerOss.putBucket(bucket);
    await ownerOss.put('data/a.txt', Buffer.from('role data'));

    const erin = await userWithKey(ram, 'erin', ['AliyunSTSAssumeRoleAccess']);
    const frank = await userWithKey(ram, 'frank', ['AliyunSTSAssumeRoleAccess']);
    const gus = await userWithKey(ram, 'gus', []);

    const created = await ram.createRole(new Ram.CreateRoleRequest({
      roleName: 'OssReader', assumeRolePolicyDocument: trust(`acs:ram::${uid}:user/erin`, `acs:ram::${uid}:user/gus`),
      description: 'conformance', maxSessionDuration: 7200,
    }));
    const role = created.body.role;
    assert.equal(role.roleName, 'OssReader');
    assert.equal(role.arn, `acs:ram::${uid}:role/OssReader`);
    assert.equal(role.maxSessionDuration, 7200);
    assert.equal(role.description, 'conformance');
    assert.match(role.roleId, /^\d{19}$/);
    assert.deepEqual(JSON.parse(role.assumeRolePolicyDocument).Statement[0].Principal.RAM,
      [`acs:ram::${uid}:user/erin`, `acs:ram::${uid}:user/gus`]);
    await rejects(ram.createRole(new Ram.CreateRoleRequest({ roleName: 'ossreader', assumeRolePolicyDocument: trust(`acs:ram::${uid}:root`) })),
      'EntityAlreadyExists.Role', 409);
    await rejects(ram.createRole(new Ram.CreateRoleRequest({
      roleName: 'NoPrincipal', assumeRolePolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }),
    })), 'MalformedPolicyDocument', 400);
    const got = await ram.getRole(new Ram.GetRoleRequest({ roleName: 'ossreader' }));
    assert.equal(got.body.role.roleId, role.roleId);

    // The role may read the bucket and read RAM roles.
    await ram.createPolicy(new Ram.CreatePolicyRequest({
      policyName: 'sts-role-read',
      policyDocument: JSON.stringify({
        Version: '1',
        Statement: [
          { Effect: 'Allow', Action: ['oss:GetObject', 'oss:ListObjects'], Resource: [`acs:oss:*:*:${bucket}`, `acs:oss:*:*:${bucket}/*`] },
          { Effect: 'Allow', Action: 'ram:GetRole', Resource: '*' },
        ],
      }),
    }));
    await ram.attachPolicyToRole(new Ram.AttachPolicyToRoleRequest({ policyType: 'Custom', policyName: 'sts-role-read', roleName: 'OssReader' }));
    await rejects(ram.attachPolicyToRole(new Ram.AttachPolicyToRoleRequest({ policyType: 'Custom', policyName: 'sts-role-read', roleName: 'OssReader' })),
      'EntityAlreadyExists.Role.Policy', 409);
    const lp = await ram.listPoliciesForRole(new Ram.ListPoliciesForRoleRequest({ roleName: 'OssReader' }));
    assert.deepEqual(lp.body.policies.policy.map((p) => [p.policyName, p.policyType]), [['sts-role-read', 'Custom']]);

    // erin assumes the role.
    const sts = new StsClient(config(erin.accessKeyId, erin.accessKeySecret));
    const before = Date.now();
    const assumed = await sts.assumeRole(new Sts.AssumeRoleRequest({
      roleArn: role.arn, roleSessionName: 'erin-session', durationSeconds: 900,
    }));
    const c = assumed.body.credentials;
    assert.match(assumed.body.requestId, /^[0-9A-F]{24}$/);
    assert.match(c.accessKeyId, /^STS\./);
    assert.ok(c.accessKeySecret.length >= 30);
    assert.ok(c.securityToken.length >= 100);
    assert.match(c.expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const lifetime = Date.parse(c.expiration) - before;
    assert.ok(lifetime > 895000 && lifetime <= 901000, `expiration ${c.expiration}`);
    assert.equal(assumed.body.assumedRoleUser.arn, `acs:ram::${uid}:role/ossreader/erin-session`);
    assert.equal(assumed.body.assumedRoleUser.assumedRoleId, `${role.roleId}:erin-session`);

    // OSS with the session: reads allowed by the role's policy, writes refused.
    const roleOss = oss(c.accessKeyId, c.accessKeySecret, c.securityToken, bucket);
    assert.equal((await roleOss.get('data/a.txt')).content.toString(), 'role data');
    assert.deepEqual((await roleOss.list({ prefix: 'data/' })).objects.map((o) => o.name), ['data/a.txt']);
    await assert.rejects(roleOss.put('data/b.txt', Buffer.from('no')), (err) => {
      assert.equal(err.code, 'AccessDenied');
      assert.equal(err.status, 403);
      return true;
    });
    const noToken = oss(c.accessKeyId, c.accessKeySecret, undefined, bucket);
    await assert.rejects(noToken.get('data/a.txt'), (err) => err.code === 'InvalidSecurityToken' && err.status === 403);

    // RAM with the session: GetRole allowed, CreateUser refused.
    const roleRam = new RamClient(config(c.accessKeyId, c.accessKeySecret, { securityToken: c.securityToken }));
    assert.equal((await roleRam.getRole(new Ram.GetRoleRequest({ roleName: 'OssReader' }))).body.role.arn, role.arn);
    await assert.rejects(roleRam.createUser(new Ram.CreateUserRequest({ userName: 'mallory' })), (err) => {
      assert.equal(err.code, 'NoPermission');
      assert.equal(err.statusCode, 403);
      assert.equal(err.data.Message, `You are not authorized to do this action. Resource: acs:ram:*:${uid}:user/* Action: ram:CreateUser`);
      assert.equal(err.accessDeniedDetail.AuthPrincipalType, 'AssumedRoleUser');
      return true;
    });
    const who = await new StsClient(config(c.accessKeyId, c.accessKeySecret, { securityToken: c.securityToken })).getCallerIdentity();
    assert.equal(who.body.identityType, 'AssumedRoleUser');
    assert.equal(who.body.arn, `acs:ram::${uid}:role/ossreader/erin-session`);
    assert.equal(who.body.roleId, role.roleId);
    assert.equal(who.body.principalId, `${role.roleId}:erin-session`);

    // A session policy narrows the role: only oss:GetObject remains.
    const narrow = await sts.assumeRole(new Sts.AssumeRoleRequest({
      roleArn: role.arn, roleSessionName: 'narrow',
      policy: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:GetObject', 'oss:PutObject'], Resource: '*' }] }),
    }));
    const n = narrow.body.credentials;
    const narrowOss = oss(n.accessKeyId, n.accessKeySecret, n.securityToken, bucket);
    assert.equal((await narrowOss.get('data/a.txt')).content.toString(), 'role data');
    await assert.rejects(narrowOss.list({ prefix: 'data/' }), (err) => err.code === 'AccessDenied' && err.status === 403);
    // PutObject is in the session policy but not in the role's: still refused.
    await assert.rejects(narrowOss.put('data/c.txt', Buffer.from('no')), (err) => err.code === 'AccessDenied' && err.status === 403);
    const narrowRam = new RamClient(config(n.accessKeyId, n.accessKeySecret, { securityToken: n.securityToken }));
    await rejects(narrowRam.getRole(new Ram.GetRoleRequest({ roleName: 'OssReader' })), 'NoPermission', 403);

    // Parameter and permission errors, with the codes STS documents.
    await rejects(sts.assumeRole(new Sts.AssumeRoleRequest({ roleArn: role.arn, roleSessionName: 'x' })),
      'InvalidParameter.RoleSessionName', 400);
    await rejects(sts.assumeRole(new Sts.AssumeRoleRequest({ roleArn: 'acs:ram::1:user/OssReader', roleSessionName: 'ok-name' })),
      'InvalidParameter.RoleArn', 400);
    await denied(sts.assumeRole(new Sts.AssumeRoleRequest({ roleArn: role.arn, roleSessionName: 'short', durationSeconds: 899 })),
      'InvalidParameter.DurationSeconds', 400, 'The Min/Max value of DurationSeconds is 15min/2hr.');
    await rejects(sts.assumeRole(new Sts.AssumeRoleRequest({ roleArn: role.arn, roleSessionName: 'long', durationSeconds: 7201 })),
      'InvalidParameter.DurationSeconds', 400);
    const longest = await sts.assumeRole(new Sts.AssumeRoleRequest({ roleArn: role.arn, roleSessionName: 'long', durationSeconds: 7200 }));
    assert.ok(Date.parse(longest.body.credentials.expiration) - Date.now() > 7190000);
    await denied(sts.assumeRole(new Sts.AssumeRoleRequest({ roleArn: role.arn, roleSessionName: 'bad-policy', policy: '{"Version":"1"}' })),
      'InvalidParameter.PolicyGrammar', 400, 'The parameter Policy has not passed grammar check.');
    await denied(sts.assumeRole(new Sts.AssumeRoleRequest({ roleArn: `acs:ram::${uid}:role/NoSuchRole`, roleSessionName: 'nope' })),
      'EntityNotExist.Role', 404, 'The specified Role not exists.');
    // frank may assume roles but the trust policy does not name him.
    const frankSts = new StsClient(config(frank.accessKeyId, frank.accessKeySecret));
    await denied(frankSts.assumeRole(new Sts.AssumeRoleRequest({ roleArn: role.arn, roleSessionName: 'frank' })),
      'NoPermission', 403, NOT_AUTHORIZED);
    // gus is named by the trust policy but lacks sts:AssumeRole.
    const gusSts = new StsClient(config(gus.accessKeyId, gus.accessKeySecret));
    await denied(gusSts.assumeRole(new Sts.AssumeRoleRequest({ roleArn: role.arn, roleSessionName: 'gus' })),
      'NoPermission', 403, NOT_AUTHORIZED);
    // The account itself may not assume roles.
    const ownerSts = new StsClient(config(e.access_key_id, e.access_key_secret));
    await denied(ownerSts.assumeRole(new Sts.AssumeRoleRequest({ roleArn: role.arn, roleSessionName: 'root' })),
      'NoPermission', 403, 'Roles may not be assumed by root accounts.');

    // A trust policy on the account root with an ExternalId condition.
    await ram.createRole(new Ram.CreateRoleRequest({
      roleName: 'Vendor',
      assumeRolePolicyDocument: JSON.stringify({
        Version: '1',
        Statement: [{
          Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: `acs:ram::${uid}:root` },
          Condition: { StringEquals: { 'sts:ExternalId': 'abcd1234' } },
        }],
      }),
    }));
    const vendorArn = `acs:ram::${uid}:role/Vendor`;
    await denied(frankSts.assumeRole(new Sts.AssumeRoleRequest({ roleArn: vendorArn, roleSessionName: 'vendor' })),
      'NoPermission', 403, NOT_AUTHORIZED);
    await denied(frankSts.assumeRole(new Sts.AssumeRoleRequest({ roleArn: vendorArn, roleSessionName: 'vendor', externalId: 'wrong-id' })),
      'NoPermission', 403, NOT_AUTHORIZED);
    const vendor = await frankSts.assumeRole(new Sts.AssumeRoleRequest({ roleArn: vendorArn, roleSessionName: 'vendor', externalId: 'abcd1234' }));
    assert.equal(vendor.body.assumedRoleUser.arn, `acs:ram::${uid}:role/vendor/vendor`);
    // The Vendor role has no policies: its session reads nothing.
    const v = vendor.body.credentials;
    await assert.rejects(oss(v.accessKeyId, v.accessKeySecret, v.securityToken, bucket).get('data/a.txt'),
      (err) => err.code === 'AccessDenied' && err.status === 403);

    // After its Expiration the session is refused everywhere.
    expire(c.accessKeyId);
    await assert.rejects(roleOss.get('data/a.txt'), (err) => err.code === 'SecurityTokenExpired' && err.status === 403);
    await rejects(roleRam.getRole(new Ram.GetRoleRequest({ roleName: 'OssReader' })), 'InvalidSecurityToken.Expired', 400);

    // DeleteRole refuses while policies are attached.
    await rejects(ram.deleteRole(new Ram.DeleteRoleRequest({ roleName: 'OssReader' })), 'DeleteConflict.Role.Policy', 409);
    await ram.detachPolicyFromRole(new Ram.DetachPolicyFromRoleRequest({ policyType: 'Custom', policyName: 'sts-role-read', roleName: 'OssReader' }));
    await rejects(ram.detachPolicyFromRole(new Ram.DetachPolicyFromRoleRequest({ policyType: 'Custom', policyName: 'sts-role-read', roleName: 'OssReader' })),
      'EntityNotExist.Role.Policy', 404);
    await ram.deleteRole(new Ram.DeleteRoleRequest({ roleName: 'OssReader' }));
    await rejects(ram.getRole(new Ram.GetRoleRequest({ roleName: 'OssReader' })), 'EntityNotExist.Role', 404);
  });

function rmCall(client, action, query) {
  const params = new OpenApi.Params({
    action, version: '2020-03-31', protocol: 'HTTP', pathname: '/', method: 'POST',
    authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
  });
  return client.callApi(params, new OpenApi.OpenApiRequest({ query }), new RuntimeOptions({}));
}

test('ResourceManager CreateServiceLinkedRole / DeleteServiceLinkedRole on the same endpoint; the CLI uses it',
  { timeout: 60000 }, async () => {
    const e = serve.endpoints;
    const rm = new OpenApi.default(config(e.access_key_id, e.access_key_secret));
    const slr = 'AliyunServiceRoleForMaxComputeLakehouse';
    // A fresh state is provisioned with the role.
    await rejects(rmCall(rm, 'CreateServiceLinkedRole', { ServiceName: 'lakehouse.odps.aliyuncs.com' }),
      'EntityAlreadyExists.Role', 409);
    await rejects(rmCall(rm, 'CreateServiceLinkedRole', { ServiceName: 'unknown.aliyuncs.com' }),
      'InvalidParameter.ServiceName', 400);
    // DeleteRole does not remove a service-linked role.
    await rejects(owner().deleteRole(new Ram.DeleteRoleRequest({ roleName: slr })), 'DeleteConflict.Role.ServiceLinkedRole', 409);
    const del = await rmCall(rm, 'DeleteServiceLinkedRole', { RoleName: slr });
    assert.equal(del.statusCode, 200);
    assert.match(del.body.DeletionTaskId, /^task\//);
    await rejects(owner().getRole(new Ram.GetRoleRequest({ roleName: slr })), 'EntityNotExist.Role', 404);

    const made = await rmCall(rm, 'CreateServiceLinkedRole', { ServiceName: 'lakehouse.odps.aliyuncs.com' });
    assert.equal(made.body.Role.RoleName, slr);
    assert.equal(made.body.Role.Arn, `acs:ram::${e.account_id}:role/${slr}`);
    assert.equal(made.body.Role.IsServiceLinkedRole, true);
    assert.equal(made.body.Role.RolePrincipalName, `${slr}@role.${e.account_id}.onaliyunservice.com`);
    assert.deepEqual(JSON.parse(made.body.Role.AssumeRolePolicyDocument).Statement[0].Principal,
      { Service: ['lakehouse.odps.aliyuncs.com'] });

    // A RAM user without ram:CreateServiceLinkedRole is refused; AliyunMaxComputeFullAccess
    // allows it for MaxCompute's service names (ram:ServiceName condition).
    const ram = owner();
    const hal = await userWithKey(ram, 'hal', []);
    const halRm = new OpenApi.default(config(hal.accessKeyId, hal.accessKeySecret));
    await rmCall(rm, 'DeleteServiceLinkedRole', { RoleName: slr });
    await assert.rejects(rmCall(halRm, 'CreateServiceLinkedRole', { ServiceName: 'lakehouse.odps.aliyuncs.com' }), (err) => {
      assert.equal(err.code, 'NoPermission');
      assert.equal(err.data.Message, `You are not authorized to do this action. Resource: acs:ram:*:${e.account_id}:role/* Action: ram:CreateServiceLinkedRole`);
      assert.equal(err.data.HostId, 'resourcemanager.aliyuncs.com');
      return true;
    });
    await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName: 'AliyunMaxComputeFullAccess', userName: 'hal' }));
    // The CLI calls the same API as hal.
    const out = execFileSync(process.env.MCDLF_BIN,
      ['admin', '--state', serve.state, '--as', 'hal', 'ram', 'create-service-linked-role', slr], { encoding: 'utf8' });
    assert.equal(out, `acs:ram::${e.account_id}:role/${slr}\n`);
    assert.equal((await ram.getRole(new Ram.GetRoleRequest({ roleName: slr }))).body.role.roleName, slr);
  });

// The legacy RPC signature computed here (§5.3), so that one signed request can be sent twice.
function rpcSigned(params, secret) {
  const enc = (v) => encodeURIComponent(v).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  const canon = Object.keys(params).sort().map((k) => `${enc(k)}=${enc(params[k])}`).join('&');
  const sig = crypto.createHmac('sha1', `${secret}&`).update(`GET&%2F&${enc(canon)}`).digest('base64');
  return `${canon}&Signature=${enc(sig)}`;
}

test('replay protection: a signature nonce is accepted once, stale timestamps are refused', { timeout: 60000 }, async () => {
  const e = serve.endpoints;
  const base = serve.endpoints.endpoints.ram;
  const stamp = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const params = (nonce, ms) => ({
    Action: 'GetCallerIdentity', Version: '2015-04-01', Format: 'JSON', AccessKeyId: e.access_key_id,
    SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', SignatureNonce: nonce, Timestamp: stamp(ms),
  });
  const url = `${base}/?${rpcSigned(params('nonce-1', Date.now()), e.access_key_secret)}`;
  let r = await fetch(url);
  assert.equal(r.status, 200);
  assert.equal((await r.json()).Arn, `acs:ram::${e.account_id}:root`);
  r = await fetch(url);
  let body = await r.json();
  assert.equal(r.status, 400);
  assert.equal(body.Code, 'SignatureNonceUsed');
  assert.equal(body.Message, 'Specified signature nonce was used already.');
  assert.equal(body.HostId, 'sts.aliyuncs.com');
  r = await fetch(`${base}/?${rpcSigned(params('nonce-2', Date.now() - 16 * 60 * 1000), e.access_key_secret)}`);
  body = await r.json();
  assert.equal(r.status, 400);
  assert.equal(body.Code, 'InvalidTimeStamp.Expired');
  const noNonce = params('x', Date.now());
  delete noNonce.SignatureNonce;
  r = await fetch(`${base}/?${rpcSigned(noNonce, e.access_key_secret)}`);
  body = await r.json();
  assert.equal(body.Code, 'MissingParameter');
  assert.match(body.Message, /"SignatureNonce"/);
});
