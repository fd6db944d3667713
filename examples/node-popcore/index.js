// Provisions a VPC, a vSwitch, a security group and one instance with a kept
// data disk through @alicloud/pop-core (v1 HMAC-SHA1 signatures), releases
// the instance with DeleteInstances, and checks what is left: the data disk
// Available and detached, the system disk gone. Last, an official action
// ecslocal does not implement must surface NotImplemented with its message.
//
//   ECSLOCAL_ENDPOINT=127.0.0.1:8790 node index.js
//
// pop-core sends GET by default (every parameter and the Signature in the
// query string); {method: 'POST'} puts every parameter, the Signature
// included, in a form-encoded body. This program uses both: GET for the
// Describe calls, POST for the calls that change something.
//
// It exits non-zero, saying why, on any mismatch.
'use strict';

const RPCClient = require('@alicloud/pop-core').RPCClient;

const region = 'cn-hangzhou';
const image = 'aliyun_3_x64_20G_alibase_20240528.vhd';
const instanceType = 'ecs.g7.large';
const pollEvery = 200; // ms
const pollFor = 30000; // ms

const endpoint = 'http://' + (process.env.ECSLOCAL_ENDPOINT || '127.0.0.1:8790'); // pop-core wants the scheme
const accessKeyId = process.env.ALIBABA_CLOUD_ACCESS_KEY_ID || 'test';
const accessKeySecret = process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET || 'test';

const ecs = new RPCClient({endpoint, apiVersion: '2014-05-26', accessKeyId, accessKeySecret});
const vpc = new RPCClient({endpoint, apiVersion: '2016-04-28', accessKeyId, accessKeySecret});
const POST = {method: 'POST'};

class Mismatch extends Error {}

function fail(msg) {
  throw new Mismatch(msg);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// poll calls done every 200 ms until it answers true, for at most 30 s.
async function poll(what, done) {
  const deadline = Date.now() + pollFor;
  for (;;) {
    if (await done()) return;
    if (Date.now() > deadline) fail(`waited ${pollFor / 1000}s for ${what}`);
    await sleep(pollEvery);
  }
}

async function main() {
  // VPC (VPC API 2016-04-28, POST), then wait until it is Available (GET).
  const vr = await vpc.request('CreateVpc', {RegionId: region, CidrBlock: '192.168.0.0/16'}, POST);
  const vpcId = vr.VpcId;
  console.log('vpc', vpcId);
  await poll(`VPC ${vpcId} Available`, async () => {
    const r = await vpc.request('DescribeVpcs', {RegionId: region, VpcId: vpcId});
    return r.Vpcs.Vpc.length === 1 && r.Vpcs.Vpc[0].Status === 'Available';
  });

  // A zone that offers the instance type (GET).
  const zones = await ecs.request('DescribeZones', {RegionId: region});
  const z = zones.Zones.Zone.find((z) =>
    ((z.AvailableInstanceTypes || {}).InstanceTypes || []).includes(instanceType));
  if (!z) fail(`DescribeZones: no zone of ${region} offers ${instanceType}`);
  const zone = z.ZoneId;
  console.log('zone', zone);

  // vSwitch (POST), then wait until it is Available (GET).
  const sr = await vpc.request('CreateVSwitch',
    {RegionId: region, VpcId: vpcId, ZoneId: zone, CidrBlock: '192.168.1.0/24'}, POST);
  const vswId = sr.VSwitchId;
  console.log('vswitch', vswId);
  await poll(`vSwitch ${vswId} Available`, async () => {
    const r = await vpc.request('DescribeVSwitches', {RegionId: region, VSwitchId: vswId});
    return r.VSwitches.VSwitch.length === 1 && r.VSwitches.VSwitch[0].Status === 'Available';
  });

  // Security group (ECS API, POST).
  const gr = await ecs.request('CreateSecurityGroup', {RegionId: region, VpcId: vpcId}, POST);
  const sgId = gr.SecurityGroupId;
  console.log('security group', sgId);

  // One instance with a 40 GiB data disk that outlives it (POST); pop-core
  // flattens DataDisk into DataDisk.1.Size, DataDisk.1.Category, …
  const rr = await ecs.request('RunInstances', {
    RegionId: region,
    ImageId: image,
    InstanceType: instanceType,
    VSwitchId: vswId,
    SecurityGroupId: sgId,
    Amount: 1,
    DataDisk: [{Size: 40, Category: 'cloud_essd', DeleteWithInstance: false}],
  }, POST);
  const ids = rr.InstanceIdSets.InstanceIdSet;
  if (ids.length !== 1) fail(`RunInstances: ${ids.length} instance ids, want 1`);
  const id = ids[0];
  console.log('instance', id);

  const describe = async () =>
    (await ecs.request('DescribeInstances', {RegionId: region, InstanceIds: JSON.stringify([id])})).Instances.Instance;
  await poll(`instance ${id} Running`, async () => {
    const inst = await describe();
    return inst.length === 1 && inst[0].Status === 'Running';
  });
  console.log('instance', id, 'Running');

  // Its disks: one system disk, one data disk as asked (GET).
  const disks = (await ecs.request('DescribeDisks', {RegionId: region, InstanceId: id})).Disks.Disk;
  const sys = disks.filter((d) => d.Type === 'system');
  const data = disks.filter((d) => d.Type === 'data');
  if (disks.length !== 2 || sys.length !== 1 || data.length !== 1) {
    fail(`DescribeDisks(InstanceId=${id}): ${disks.length} disks, want one system and one data disk`);
  }
  const d = data[0];
  if (Number(d.Size) !== 40 || d.Category !== 'cloud_essd' || d.DeleteWithInstance !== false) {
    fail(`data disk ${d.DiskId}: Size ${d.Size} Category ${d.Category} DeleteWithInstance ${d.DeleteWithInstance}, want 40 cloud_essd false`);
  }
  const systemDisk = sys[0].DiskId;
  const dataDisk = d.DiskId;
  console.log('system disk', systemDisk, 'data disk', dataDisk);

  // Release it (POST: every parameter in the form body), and wait until
  // DescribeInstances no longer lists it.
  await ecs.request('DeleteInstances', {RegionId: region, InstanceId: [id], Force: true}, POST);
  await poll(`instance ${id} gone`, async () => (await describe()).length === 0);
  console.log('instance', id, 'released');

  // What is left: the data disk, Available and detached; no system disk (POST).
  const left = (await ecs.request('DescribeDisks',
    {RegionId: region, DiskIds: JSON.stringify([systemDisk, dataDisk])}, POST)).Disks.Disk;
  if (left.length !== 1 || left[0].DiskId !== dataDisk) {
    fail(`after release DescribeDisks lists [${left.map((x) => x.DiskId).join(' ')}], want only the data disk ${dataDisk} (system disk ${systemDisk} gone)`);
  }
  if (left[0].Status !== 'Available' || (left[0].InstanceId || '') !== '') {
    fail(`data disk ${dataDisk} after release: Status "${left[0].Status}" InstanceId "${left[0].InstanceId}", want Available and no instance`);
  }
  console.log('data disk', dataDisk, 'Available, detached; system disk', systemDisk, 'gone');

  // An official action ecslocal does not implement answers NotImplemented
  // (HTTP 501) naming product, version and action; pop-core surfaces the code.
  try {
    await ecs.request('DescribeReservedInstances', {RegionId: region});
    fail('DescribeReservedInstances succeeded, want NotImplemented');
  } catch (err) {
    if (err instanceof Mismatch) throw err;
    if (err.code !== 'NotImplemented' || !/Ecs 2014-05-26 action DescribeReservedInstances/.test(err.message) ||
        !/docs\/coverage\.md/.test(err.message)) {
      fail(`DescribeReservedInstances: code "${err.code}" message "${err.message}", want NotImplemented naming Ecs 2014-05-26 DescribeReservedInstances`);
    }
    console.log('DescribeReservedInstances: NotImplemented:', err.message.split(', URL')[0]);
  }
}

main().then(() => {
  console.log('node-popcore: OK');
  process.exit(0);
}, (err) => {
  // pop-core errors carry the server's Code; a Mismatch is this program's own check.
  const code = err.code ? ` (${err.code})` : '';
  console.error(`node-popcore: FAIL: ${err.message}${code}`);
  process.exit(1);
});
