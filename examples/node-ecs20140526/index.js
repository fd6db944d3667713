// Provisions a VPC, a vSwitch, a security group and one instance with a kept
// data disk through the current Alibaba Cloud Node SDKs, @alicloud/ecs20140526
// and @alicloud/vpc20160428 (ACS3-HMAC-SHA256 signatures), releases the
// instance with DeleteInstances, and checks what is left: the data disk
// Available and detached, the system disk gone.
//
//   ECSLOCAL_ENDPOINT=127.0.0.1:8790 node index.js
//
// It exits non-zero, saying why, on any mismatch.
'use strict';

// The Config comes from @alicloud/openapi-client, as in Alibaba Cloud's
// published samples. The 7.x clients themselves run on @alicloud/openapi-core
// (their own dependency) and read the Config's fields, so its Config
// ($OpenApiUtil.Config) would do as well.
const OpenApi = require('@alicloud/openapi-client');
const Ecs = require('@alicloud/ecs20140526');
const Vpc = require('@alicloud/vpc20160428');

const region = 'cn-hangzhou';
const image = 'aliyun_3_x64_20G_alibase_20240528.vhd';
const instanceType = 'ecs.g7.large';
const pollEvery = 200; // ms
const pollFor = 30000; // ms

// The endpoint is host:port with no scheme; protocol 'http' selects plain
// HTTP (the default is HTTPS). The config's region only chooses an endpoint,
// so regionId goes into every request instead.
const config = new OpenApi.Config({
  endpoint: process.env.ECSLOCAL_ENDPOINT || '127.0.0.1:8790',
  protocol: 'http',
  accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID || 'test',
  accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET || 'test',
});
const ecs = new Ecs.default(config);
const vpc = new Vpc.default(config);

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
  // VPC (VPC API 2016-04-28), then wait until it is Available.
  const vr = await vpc.createVpc(new Vpc.CreateVpcRequest({regionId: region, cidrBlock: '192.168.0.0/16'}));
  const vpcId = vr.body.vpcId;
  console.log('vpc', vpcId);
  await poll(`VPC ${vpcId} Available`, async () => {
    const r = await vpc.describeVpcs(new Vpc.DescribeVpcsRequest({regionId: region, vpcId}));
    const v = r.body.vpcs.vpc;
    return v.length === 1 && v[0].status === 'Available';
  });

  // A zone that offers the instance type.
  const zones = await ecs.describeZones(new Ecs.DescribeZonesRequest({regionId: region}));
  const z = zones.body.zones.zone.find((z) =>
    ((z.availableInstanceTypes || {}).instanceTypes || []).includes(instanceType));
  if (!z) fail(`DescribeZones: no zone of ${region} offers ${instanceType}`);
  const zone = z.zoneId;
  console.log('zone', zone);

  // vSwitch, then wait until it is Available.
  const sr = await vpc.createVSwitch(new Vpc.CreateVSwitchRequest(
    {regionId: region, vpcId, zoneId: zone, cidrBlock: '192.168.1.0/24'}));
  const vswId = sr.body.vSwitchId;
  console.log('vswitch', vswId);
  await poll(`vSwitch ${vswId} Available`, async () => {
    const r = await vpc.describeVSwitches(new Vpc.DescribeVSwitchesRequest({regionId: region, vSwitchId: vswId}));
    const v = r.body.vSwitches.vSwitch;
    return v.length === 1 && v[0].status === 'Available';
  });

  // Security group (ECS API).
  const gr = await ecs.createSecurityGroup(new Ecs.CreateSecurityGroupRequest({regionId: region, vpcId}));
  const sgId = gr.body.securityGroupId;
  console.log('security group', sgId);

  // One instance with a 40 GiB data disk that outlives it.
  const rr = await ecs.runInstances(new Ecs.RunInstancesRequest({
    regionId: region,
    imageId: image,
    instanceType,
    vSwitchId: vswId,
    securityGroupId: sgId,
    amount: 1,
    dataDisk: [new Ecs.RunInstancesRequestDataDisk({size: 40, category: 'cloud_essd', deleteWithInstance: false})],
  }));
  const ids = rr.body.instanceIdSets.instanceIdSet;
  if (ids.length !== 1) fail(`RunInstances: ${ids.length} instance ids, want 1`);
  const id = ids[0];
  console.log('instance', id);

  const describe = async () => (await ecs.describeInstances(new Ecs.DescribeInstancesRequest(
    {regionId: region, instanceIds: JSON.stringify([id])}))).body.instances.instance;
  await poll(`instance ${id} Running`, async () => {
    const inst = await describe();
    return inst.length === 1 && inst[0].status === 'Running';
  });
  console.log('instance', id, 'Running');

  // Its disks: one system disk, one data disk as asked.
  const disks = (await ecs.describeDisks(new Ecs.DescribeDisksRequest({regionId: region, instanceId: id}))).body.disks.disk;
  const sys = disks.filter((d) => d.type === 'system');
  const data = disks.filter((d) => d.type === 'data');
  if (disks.length !== 2 || sys.length !== 1 || data.length !== 1) {
    fail(`DescribeDisks(InstanceId=${id}): ${disks.length} disks, want one system and one data disk`);
  }
  const d = data[0];
  if (d.size !== 40 || d.category !== 'cloud_essd' || d.deleteWithInstance !== false) {
    fail(`data disk ${d.diskId}: Size ${d.size} Category ${d.category} DeleteWithInstance ${d.deleteWithInstance}, want 40 cloud_essd false`);
  }
  const systemDisk = sys[0].diskId;
  const dataDisk = d.diskId;
  console.log('system disk', systemDisk, 'data disk', dataDisk);

  // Release it, and wait until DescribeInstances no longer lists it.
  await ecs.deleteInstances(new Ecs.DeleteInstancesRequest({regionId: region, instanceId: [id], force: true}));
  await poll(`instance ${id} gone`, async () => (await describe()).length === 0);
  console.log('instance', id, 'released');

  // What is left: the data disk, Available and detached; no system disk.
  const left = (await ecs.describeDisks(new Ecs.DescribeDisksRequest(
    {regionId: region, diskIds: JSON.stringify([systemDisk, dataDisk])}))).body.disks.disk;
  if (left.length !== 1 || left[0].diskId !== dataDisk) {
    fail(`after release DescribeDisks lists [${left.map((x) => x.diskId).join(' ')}], want only the data disk ${dataDisk} (system disk ${systemDisk} gone)`);
  }
  if (left[0].status !== 'Available' || (left[0].instanceId || '') !== '') {
    fail(`data disk ${dataDisk} after release: Status "${left[0].status}" InstanceId "${left[0].instanceId}", want Available and no instance`);
  }
  console.log('data disk', dataDisk, 'Available, detached; system disk', systemDisk, 'gone');
}

main().then(() => {
  console.log('node-ecs20140526: OK');
  process.exit(0);
}, (err) => {
  // SDK errors carry the server's Code; a Mismatch is this program's own check.
  const code = err.code ? ` (${err.code})` : '';
  console.error(`node-ecs20140526: FAIL: ${err.message}${code}`);
  process.exit(1);
});
