package ecs_test

import (
	"net/http"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/ecslocaltest"
	"github.com/ecslocal/ecslocal/internal/sdktest"
)

func TestHpcClusters(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	rg := dara.String(region)
	_, err := e.v7.CreateHpcCluster(&ecs.CreateHpcClusterRequest{RegionId: rg, Name: dara.String("1bad")})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidParameter")
	_, err = e.v7.CreateHpcCluster(&ecs.CreateHpcClusterRequest{RegionId: rg})
	sdktest.WantFail(t, err, http.StatusBadRequest, "MissingParameter")
	cr := classicecs.CreateCreateHpcClusterRequest()
	cr.Name, cr.Description, cr.ClientToken = "hpc-a", "first", "hpc-tok"
	a, err := e.classic.CreateHpcCluster(cr)
	sdktest.OK(t, err)
	again, err := e.classic.CreateHpcCluster(cr)
	sdktest.OK(t, err)
	if again.HpcClusterId != a.HpcClusterId {
		t.Fatal("ClientToken not honoured")
	}
	b, err := e.v7.CreateHpcCluster(&ecs.CreateHpcClusterRequest{RegionId: rg, Name: dara.String("hpc-b")})
	sdktest.OK(t, err)
	_, err = e.v7.CreateHpcCluster(&ecs.CreateHpcClusterRequest{RegionId: rg, Name: dara.String("hpc-b")})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidName.Duplicated")
	_, err = e.v7.ModifyHpcClusterAttribute(&ecs.ModifyHpcClusterAttributeRequest{RegionId: rg, HpcClusterId: b.Body.HpcClusterId,
		Name: dara.String("hpc-a")})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidName.Duplicated")
	_, err = e.v7.ModifyHpcClusterAttribute(&ecs.ModifyHpcClusterAttributeRequest{RegionId: rg, HpcClusterId: b.Body.HpcClusterId,
		Name: dara.String("hpc-c"), Description: dara.String("second")})
	sdktest.OK(t, err)
	list, err := e.v7.DescribeHpcClusters(&ecs.DescribeHpcClustersRequest{RegionId: rg, HpcClusterIds: dara.String(`["` + dara.StringValue(b.Body.HpcClusterId) + `"]`)})
	sdktest.OK(t, err)
	if h := list.Body.HpcClusters.HpcCluster; len(h) != 1 || dara.StringValue(h[0].Name) != "hpc-c" || dara.StringValue(h[0].Description) != "second" {
		t.Fatalf("clusters: %v", list.Body)
	}
	_, err = e.v7.DeleteHpcCluster(&ecs.DeleteHpcClusterRequest{RegionId: rg, HpcClusterId: b.Body.HpcClusterId})
	sdktest.OK(t, err)
	_, err = e.v7.DeleteHpcCluster(&ecs.DeleteHpcClusterRequest{RegionId: rg, HpcClusterId: b.Body.HpcClusterId})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidHpcClusterId.NotFound")
	all, err := e.v7.DescribeHpcClusters(&ecs.DescribeHpcClustersRequest{RegionId: rg})
	sdktest.OK(t, err)
	if dara.Int32Value(all.Body.TotalCount) != 1 {
		t.Fatalf("after delete: %v", all.Body)
	}
}

func TestTasks_ModifyDiskSpec(t *testing.T) {
	e := newEnv(t, ecslocaltest.Options{})
	rg := dara.String(region)
	d, err := e.v7.CreateDisk(&ecs.CreateDiskRequest{RegionId: rg, ZoneId: dara.String(e.zone), Size: dara.Int32(40), DiskCategory: dara.String("cloud_essd")})
	sdktest.OK(t, err)
	spec, err := e.v7.ModifyDiskSpec(&ecs.ModifyDiskSpecRequest{DiskId: d.Body.DiskId, PerformanceLevel: dara.String("PL0")})
	sdktest.OK(t, err)
	task := dara.StringValue(spec.Body.TaskId)
	tasks, err := e.v7.DescribeTasks(&ecs.DescribeTasksRequest{RegionId: rg, TaskAction: dara.String("ModifyDiskSpec")})
	sdktest.OK(t, err)
	if k := tasks.Body.TaskSet.Task; len(k) != 1 || dara.StringValue(k[0].TaskId) != task || dara.StringValue(k[0].TaskStatus) != "Finished" ||
		dara.StringValue(k[0].ResourceId) != dara.StringValue(d.Body.DiskId) || dara.StringValue(k[0].SupportCancel) != "false" {
		t.Fatalf("tasks: %v", tasks.Body)
	}
	tasks, err = e.v7.DescribeTasks(&ecs.DescribeTasksRequest{RegionId: rg, TaskStatus: dara.String("Processing")})
	sdktest.OK(t, err)
	if dara.Int32Value(tasks.Body.TotalCount) != 0 {
		t.Fatalf("processing: %v", tasks.Body)
	}
	attr, err := e.v7.DescribeTaskAttribute(&ecs.DescribeTaskAttributeRequest{RegionId: rg, TaskId: dara.String(task)})
	sdktest.OK(t, err)
	if dara.StringValue(attr.Body.TaskAction) != "ModifyDiskSpec" || dara.Int32Value(attr.Body.SuccessCount) != 1 {
		t.Fatalf("attribute: %v", attr.Body)
	}
	_, err = e.v7.DescribeTaskAttribute(&ecs.DescribeTaskAttributeRequest{RegionId: rg, TaskId: dara.String("tsk-none")})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidTaskId.NotFound")
	_, err = e.v7.CancelTask(&ecs.CancelTaskRequest{RegionId: rg, TaskId: dara.String(task)})
	sdktest.WantFail(t, err, http.StatusForbidden, "InvalidTask.NotSupportCancel")
	_, err = e.v7.CancelTask(&ecs.CancelTaskRequest{RegionId: rg, TaskId: dara.String("tsk-none")})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidTaskId.NotFound")
}
