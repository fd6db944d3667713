package ecs_test

import (
	"net/http"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// createWindow makes an enabled weekly Reboot window for the tag env=prod.
func (e *env) createWindow(t *testing.T, name string) string {
	t.Helper()
	resp, err := e.v7.CreatePlanMaintenanceWindow(&ecs.CreatePlanMaintenanceWindowRequest{RegionId: dara.String(region),
		PlanWindowName: dara.String(name), Enable: dara.Bool(true), SupportMaintenanceAction: dara.String("Reboot"),
		TargetResource: &ecs.CreatePlanMaintenanceWindowRequestTargetResource{Scope: dara.String("Tag"),
			Tags: []*ecs.CreatePlanMaintenanceWindowRequestTargetResourceTags{{Key: dara.String("env"), Value: dara.String("prod")}}},
		TimePeriod: &ecs.CreatePlanMaintenanceWindowRequestTimePeriod{PeriodUnit: dara.String("Weekly"),
			RangeList: []*ecs.CreatePlanMaintenanceWindowRequestTimePeriodRangeList{{StartTime: dara.String("Monday,22:00"),
				EndTime: dara.String("Tuesday,03:00")}}}})
	sdktest.OK(t, err)
	return dara.StringValue(resp.Body.PlanWindowId)
}

func TestPlanMaintenanceWindows_CRUD(t *testing.T) {
	e := newEnv(t, realistic())
	_, err := e.v7.CreatePlanMaintenanceWindow(&ecs.CreatePlanMaintenanceWindowRequest{RegionId: dara.String(region),
		PlanWindowName: dara.String("w"), Enable: dara.Bool(true), SupportMaintenanceAction: dara.String("Reboot"),
		TargetResource: &ecs.CreatePlanMaintenanceWindowRequestTargetResource{Scope: dara.String("ResourceGroup"), ResourceGroupId: dara.String("rg-1")},
		TimePeriod: &ecs.CreatePlanMaintenanceWindowRequestTimePeriod{PeriodUnit: dara.String("Daily"),
			RangeList: []*ecs.CreatePlanMaintenanceWindowRequestTimePeriodRangeList{{StartTime: dara.String("Monday,22:00"), EndTime: dara.String("03:00")}}}})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidParameter")

	id := e.createWindow(t, "weekly")
	other := e.createWindow(t, "other")
	_, err = e.v7.ModifyPlanMaintenanceWindow(&ecs.ModifyPlanMaintenanceWindowRequest{RegionId: dara.String(region), PlanWindowId: dara.String(other),
		Enable: dara.Bool(false), SupportMaintenanceAction: dara.String("Redeploy"),
		TimePeriod: &ecs.ModifyPlanMaintenanceWindowRequestTimePeriod{PeriodUnit: dara.String("Daily"),
			RangeList: []*ecs.ModifyPlanMaintenanceWindowRequestTimePeriodRangeList{{StartTime: dara.String("01:00"), EndTime: dara.String("02:30")}}}})
	sdktest.OK(t, err)

	enabled, err := e.v7.DescribePlanMaintenanceWindows(&ecs.DescribePlanMaintenanceWindowsRequest{RegionId: dara.String(region), Enable: dara.Bool(true),
		TargetResourceTags: &ecs.DescribePlanMaintenanceWindowsRequestTargetResourceTags{Key: dara.String("env"), Value: dara.String("prod")}})
	sdktest.OK(t, err)
	if l := enabled.Body.PlanMaintenanceWindowList; len(l) != 1 || dara.StringValue(l[0].PlanWindowId) != id ||
		dara.StringValue(l[0].TimePeriod.RangeList[0].StartTime) != "Monday,22:00" || dara.StringValue(l[0].TargetResource.Tags[0].Key) != "env" {
		t.Fatalf("enabled windows: %+v", l)
	}
	byID, err := e.v7.DescribePlanMaintenanceWindows(&ecs.DescribePlanMaintenanceWindowsRequest{RegionId: dara.String(region), PlanWindowId: dara.String(other)})
	sdktest.OK(t, err)
	if l := byID.Body.PlanMaintenanceWindowList; len(l) != 1 || dara.BoolValue(l[0].Enable) || dara.StringValue(l[0].SupportMaintenanceAction) != "Redeploy" ||
		dara.StringValue(l[0].TimePeriod.PeriodUnit) != "Daily" {
		t.Fatalf("modified window: %+v", l)
	}

	_, err = e.v7.DeletePlanMaintenanceWindow(&ecs.DeletePlanMaintenanceWindowRequest{RegionId: dara.String(region), PlanWindowId: dara.String(id)})
	sdktest.OK(t, err)
	_, err = e.v7.DeletePlanMaintenanceWindow(&ecs.DeletePlanMaintenanceWindowRequest{RegionId: dara.String(region), PlanWindowId: dara.String(id)})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidPlanWindowId.NotFound")
	_, err = e.v7.ModifyPlanMaintenanceWindow(&ecs.ModifyPlanMaintenanceWindowRequest{RegionId: dara.String(region), PlanWindowId: dara.String(id),
		PlanWindowName: dara.String("x")})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidPlanWindowId.NotFound")
}
