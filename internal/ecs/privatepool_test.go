package ecs_test

import (
	"net/http"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// reservation answers one capacity reservation's status and use, nil when absent.
func (e *env) reservation(t *testing.T, id string) *ecs.DescribeCapacityReservationsResponseBodyCapacityReservationSetCapacityReservationItem {
	t.Helper()
	resp, err := e.v7.DescribeCapacityReservations(&ecs.DescribeCapacityReservationsRequest{RegionId: dara.String(region),
		PrivatePoolOptions: &ecs.DescribeCapacityReservationsRequestPrivatePoolOptions{Ids: dara.String(`["` + id + `"]`)}})
	sdktest.OK(t, err)
	if l := resp.Body.CapacityReservationSet.CapacityReservationItem; len(l) == 1 {
		return l[0]
	}
	return nil
}

func used(item *ecs.DescribeCapacityReservationsResponseBodyCapacityReservationSetCapacityReservationItem) int32 {
	return dara.Int32Value(item.AllocatedResources.AllocatedResource[0].UsedAmount)
}

// createReservation reserves amount instances of itype in the env's zone.
func (e *env) createReservation(t *testing.T, criteria string, amount int32) string {
	t.Helper()
	resp, err := e.v7.CreateCapacityReservation(&ecs.CreateCapacityReservationRequest{RegionId: dara.String(region),
		ZoneId: []*string{dara.String(e.zone)}, InstanceType: dara.String(itype), InstanceAmount: dara.Int32(amount),
		PrivatePoolOptions: &ecs.CreateCapacityReservationRequestPrivatePoolOptions{MatchCriteria: dara.String(criteria)}})
	sdktest.OK(t, err)
	return dara.StringValue(resp.Body.PrivatePoolOptionsId)
}

func TestCapacityReservations_OpenTargetRelease(t *testing.T) {
	e := newEnv(t, realistic())
	_, err := e.v7.CreateCapacityReservation(&ecs.CreateCapacityReservationRequest{RegionId: dara.String(region),
		ZoneId: []*string{dara.String(e.zone)}, InstanceType: dara.String("ecs.nope"), InstanceAmount: dara.Int32(1)})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidInstanceType.ValueNotSupported")
	_, err = e.v7.CreateCapacityReservation(&ecs.CreateCapacityReservationRequest{RegionId: dara.String(region),
		ZoneId: []*string{dara.String(e.zone)}, InstanceType: dara.String(itype), InstanceAmount: dara.Int32(1), EndTimeType: dara.String("Limited")})
	sdktest.WantFail(t, err, http.StatusBadRequest, "MissingParameter")

	open := e.createReservation(t, "Open", 2)
	target := e.createReservation(t, "Target", 1)
	if r := e.reservation(t, open); dara.StringValue(r.Status) != "Active" || used(r) != 0 {
		t.Fatalf("new reservation: %+v", r)
	}

	// An untargeted launch of the zone and type takes the Open pool, up to its amount.
	ids := e.run(t, func(r *classicecs.RunInstancesRequest) { r.Amount = requests.NewInteger(3) })
	if r := e.reservation(t, open); used(r) != 2 || dara.Int32Value(r.AllocatedResources.AllocatedResource[0].AvailableAmount) != 0 {
		t.Fatalf("open pool after 3 launches: %+v", r.AllocatedResources.AllocatedResource[0])
	}
	if r := e.reservation(t, target); used(r) != 0 {
		t.Fatalf("an untargeted launch took the Target pool")
	}
	members, err := e.v7.DescribeCapacityReservationInstances(&ecs.DescribeCapacityReservationInstancesRequest{RegionId: dara.String(region),
		PrivatePoolOptions: &ecs.DescribeCapacityReservationInstancesRequestPrivatePoolOptions{Id: dara.String(open)}, MaxResults: dara.Int32(1)})
	sdktest.OK(t, err)
	if dara.Int32Value(members.Body.TotalCount) != 2 || len(members.Body.CapacityReservationItem.InstanceIdSet) != 1 ||
		dara.StringValue(members.Body.NextToken) == "" {
		t.Fatalf("instances page: %+v", members.Body)
	}

	// Target: the id is needed, the type must match, the pool must have room.
	r := e.runReq()
	r.PrivatePoolOptionsMatchCriteria = "Target"
	_, err = e.classic.RunInstances(r)
	sdktest.WantFail(t, err, http.StatusBadRequest, "MissingParameter.PrivatePoolOptions.Id")
	r = e.runReq()
	r.PrivatePoolOptionsMatchCriteria, r.PrivatePoolOptionsId, r.InstanceType = "Target", target, "ecs.c7.large"
	_, err = e.classic.RunInstances(r)
	sdktest.WantFail(t, err, http.StatusBadRequest, "Invalid.InstanceType")
	r = e.runReq()
	r.PrivatePoolOptionsMatchCriteria, r.PrivatePoolOptionsId = "Target", "crp-missing"
	_, err = e.classic.RunInstances(r)
	sdktest.WantFail(t, err, http.StatusBadRequest, "Invalid.PrivatePoolOptions.Id")
	r = e.runReq()
	r.PrivatePoolOptionsMatchCriteria, r.PrivatePoolOptionsId, r.Amount = "Target", target, requests.NewInteger(2)
	_, err = e.classic.RunInstances(r)
	sdktest.WantFail(t, err, http.StatusBadRequest, "Invalid.PrivatePoolOptions.NoStock")
	targeted := e.run1(t, func(r *classicecs.RunInstancesRequest) {
		r.PrivatePoolOptionsMatchCriteria, r.PrivatePoolOptionsId = "Target", target
	})
	if r := e.reservation(t, target); used(r) != 1 {
		t.Fatalf("target pool after its launch: %d used", used(r))
	}

	// Shrinking below the use is refused; releasing an instance returns its place.
	_, err = e.v7.ModifyCapacityReservation(&ecs.ModifyCapacityReservationRequest{RegionId: dara.String(region),
		PrivatePoolOptions: &ecs.ModifyCapacityReservationRequestPrivatePoolOptions{Id: dara.String(open)}, InstanceAmount: dara.Int32(1)})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidParameter.InstanceAmount")
	del := classicecs.CreateDeleteInstancesRequest()
	del.InstanceId, del.Force = &[]string{ids[0], targeted}, "true"
	_, err = e.classic.DeleteInstances(del)
	sdktest.OK(t, err)
	e.s.Clock.Advance(30 * time.Second)
	if used(e.reservation(t, open)) != 1 || used(e.reservation(t, target)) != 0 {
		t.Fatalf("pools after release: open %d, target %d", used(e.reservation(t, open)), used(e.reservation(t, target)))
	}
	_, err = e.v7.ModifyCapacityReservation(&ecs.ModifyCapacityReservationRequest{RegionId: dara.String(region),
		PrivatePoolOptions: &ecs.ModifyCapacityReservationRequestPrivatePoolOptions{Id: dara.String(open), Name: dara.String("named")},
		InstanceAmount:     dara.Int32(5), Description: dara.String("d")})
	sdktest.OK(t, err)
	if r := e.reservation(t, open); dara.StringValue(r.PrivatePoolOptionsName) != "named" ||
		dara.Int32Value(r.AllocatedResources.AllocatedResource[0].TotalAmount) != 5 {
		t.Fatalf("after modify: %+v", r)
	}

	_, err = e.v7.ReleaseCapacityReservation(&ecs.ReleaseCapacityReservationRequest{RegionId: dara.String(region),
		PrivatePoolOptions: &ecs.ReleaseCapacityReservationRequestPrivatePoolOptions{Id: dara.String(open)}, DryRun: dara.Bool(true)})
	sdktest.WantFail(t, err, http.StatusBadRequest, "DryRunOperation")
	_, err = e.v7.ReleaseCapacityReservation(&ecs.ReleaseCapacityReservationRequest{RegionId: dara.String(region),
		PrivatePoolOptions: &ecs.ReleaseCapacityReservationRequestPrivatePoolOptions{Id: dara.String(open)}})
	sdktest.OK(t, err)
	if e.reservation(t, open) != nil {
		t.Fatal("released reservation still described")
	}
	_, err = e.v7.ReleaseCapacityReservation(&ecs.ReleaseCapacityReservationRequest{RegionId: dara.String(region),
		PrivatePoolOptions: &ecs.ReleaseCapacityReservationRequestPrivatePoolOptions{Id: dara.String(open)}})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidCapacityReservationId.NotFound")
	e.wantStatus(t, ids[1], "Running") // its instances run on
}

func TestCapacityReservations_StartAndEnd(t *testing.T) {
	e := newEnv(t, realistic())
	now := e.s.Clock.Now().UTC()
	start := now.Add(time.Hour).Truncate(time.Minute).Format("2006-01-02T15:04:05Z")
	end := now.Add(3 * time.Hour).Truncate(time.Minute).Format("2006-01-02T15:04:05Z")
	resp, err := e.v7.CreateCapacityReservation(&ecs.CreateCapacityReservationRequest{RegionId: dara.String(region),
		ZoneId: []*string{dara.String(e.zone)}, InstanceType: dara.String(itype), InstanceAmount: dara.Int32(1), ClientToken: dara.String("crp-tok"),
		StartTime: dara.String(start), EndTimeType: dara.String("Limited"), EndTime: dara.String(end),
		Tag: []*ecs.CreateCapacityReservationRequestTag{{Key: dara.String("k"), Value: dara.String("v")}}})
	sdktest.OK(t, err)
	id := dara.StringValue(resp.Body.PrivatePoolOptionsId)
	again, err := e.v7.CreateCapacityReservation(&ecs.CreateCapacityReservationRequest{RegionId: dara.String(region),
		ZoneId: []*string{dara.String(e.zone)}, InstanceType: dara.String(itype), InstanceAmount: dara.Int32(1), ClientToken: dara.String("crp-tok"),
		StartTime: dara.String(start), EndTimeType: dara.String("Limited"), EndTime: dara.String(end),
		Tag: []*ecs.CreateCapacityReservationRequestTag{{Key: dara.String("k"), Value: dara.String("v")}}})
	sdktest.OK(t, err)
	if dara.StringValue(again.Body.PrivatePoolOptionsId) != id {
		t.Fatalf("ClientToken: %s then %s", id, dara.StringValue(again.Body.PrivatePoolOptionsId))
	}
	if r := e.reservation(t, id); dara.StringValue(r.Status) != "Pending" || dara.StringValue(r.EndTime) != end {
		t.Fatalf("before its start: %+v", r)
	}
	// Pending: a launch does not take it.
	e.run1(t, nil)
	if used(e.reservation(t, id)) != 0 {
		t.Fatal("a Pending reservation was taken")
	}
	e.s.Clock.Advance(90 * time.Minute)
	byTag, err := e.v7.DescribeCapacityReservations(&ecs.DescribeCapacityReservationsRequest{RegionId: dara.String(region),
		Status: dara.String("Active"), Tag: []*ecs.DescribeCapacityReservationsRequestTag{{Key: dara.String("k"), Value: dara.String("v")}}})
	sdktest.OK(t, err)
	if dara.Int32Value(byTag.Body.TotalCount) != 1 {
		t.Fatalf("Active by tag after the start: %d", dara.Int32Value(byTag.Body.TotalCount))
	}
	e.run1(t, nil)
	if used(e.reservation(t, id)) != 1 {
		t.Fatal("an Active Open reservation was not taken")
	}
	e.s.Clock.Advance(2 * time.Hour)
	if e.reservation(t, id) != nil {
		t.Fatal("the reservation outlived its end")
	}
}

// poolWorld adds, for the import world, private pools with an instance in them.
func (e *env) poolWorld(t *testing.T) {
	t.Helper()
	e.createReservation(t, "Open", 1)
	e.run1(t, nil)
	id := e.createAssurance(t, "Target", "")
	e.run1(t, func(r *classicecs.RunInstancesRequest) {
		r.PrivatePoolOptionsMatchCriteria, r.PrivatePoolOptionsId = "Target", id
	})
}

// assurance answers one elasticity assurance, nil when absent.
func (e *env) assurance(t *testing.T, id string) *ecs.DescribeElasticityAssurancesResponseBodyElasticityAssuranceSetElasticityAssuranceItem {
	t.Helper()
	resp, err := e.v7.DescribeElasticityAssurances(&ecs.DescribeElasticityAssurancesRequest{RegionId: dara.String(region),
		PrivatePoolOptions: &ecs.DescribeElasticityAssurancesRequestPrivatePoolOptions{Ids: dara.String(`["` + id + `"]`)}})
	sdktest.OK(t, err)
	if l := resp.Body.ElasticityAssuranceSet.ElasticityAssuranceItem; len(l) == 1 {
		return l[0]
	}
	return nil
}

// createAssurance buys a one-month assurance of itype and ecs.c7.large.
func (e *env) createAssurance(t *testing.T, criteria, token string) string {
	t.Helper()
	resp, err := e.v7.CreateElasticityAssurance(&ecs.CreateElasticityAssuranceRequest{RegionId: dara.String(region),
		ZoneId: []*string{dara.String(e.zone)}, InstanceType: []*string{dara.String(itype), dara.String("ecs.c7.large")},
		InstanceAmount: dara.Int32(1), Period: dara.Int32(1), PeriodUnit: dara.String("Month"), ClientToken: dara.String(token),
		PrivatePoolOptions: &ecs.CreateElasticityAssuranceRequestPrivatePoolOptions{MatchCriteria: dara.String(criteria)}})
	sdktest.OK(t, err)
	return dara.StringValue(resp.Body.PrivatePoolOptionsId)
}

func TestElasticityAssurances_ConsumeRenewExpire(t *testing.T) {
	e := newEnv(t, realistic())
	_, err := e.v7.CreateElasticityAssurance(&ecs.CreateElasticityAssuranceRequest{RegionId: dara.String(region),
		ZoneId: []*string{dara.String(e.zone)}, InstanceType: []*string{dara.String(itype)}, Period: dara.Int32(13), PeriodUnit: dara.String("Month")})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidPeriod")
	_, err = e.v7.CreateElasticityAssurance(&ecs.CreateElasticityAssuranceRequest{RegionId: dara.String(region),
		ZoneId: []*string{dara.String(e.zone)}, InstanceType: []*string{dara.String(itype)},
		RecurrenceRules: []*ecs.CreateElasticityAssuranceRequestRecurrenceRules{{RecurrenceType: dara.String("Daily"), RecurrenceValue: dara.String("1")}}})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidParameter")

	id := e.createAssurance(t, "Target", "eap-tok")
	if again := e.createAssurance(t, "Target", "eap-tok"); again != id {
		t.Fatalf("ClientToken: %s then %s", id, again)
	}
	a := e.assurance(t, id)
	if dara.StringValue(a.Status) != "Active" || len(a.AllocatedResources.AllocatedResource) != 2 ||
		dara.StringValue(a.InstanceChargeType) != "PrePaid" {
		t.Fatalf("new assurance: %+v", a)
	}
	// A Target launch of either type takes it; an Open one does not.
	e.run1(t, nil)
	inst := e.run1(t, func(r *classicecs.RunInstancesRequest) {
		r.InstanceType, r.PrivatePoolOptionsMatchCriteria, r.PrivatePoolOptionsId = "ecs.c7.large", "Target", id
	})
	members, err := e.v7.DescribeElasticityAssuranceInstances(&ecs.DescribeElasticityAssuranceInstancesRequest{RegionId: dara.String(region),
		PrivatePoolOptions: &ecs.DescribeElasticityAssuranceInstancesRequestPrivatePoolOptions{Id: dara.String(id)}})
	sdktest.OK(t, err)
	if l := members.Body.ElasticityAssuranceItem.InstanceIdSet; len(l) != 1 || dara.StringValue(l[0].InstanceId) != inst {
		t.Fatalf("assurance instances: %+v", l)
	}
	r := e.runReq()
	r.InstanceType, r.PrivatePoolOptionsMatchCriteria, r.PrivatePoolOptionsId = "ecs.c7.large", "Target", id
	_, err = e.classic.RunInstances(r)
	sdktest.WantFail(t, err, http.StatusBadRequest, "Invalid.PrivatePoolOptions.NoStock")

	_, err = e.v7.ModifyElasticityAssurance(&ecs.ModifyElasticityAssuranceRequest{RegionId: dara.String(region),
		PrivatePoolOptions: &ecs.ModifyElasticityAssuranceRequestPrivatePoolOptions{Id: dara.String(id), Name: dara.String("ea")},
		InstanceAmount:     dara.Int32(3), Description: dara.String("d")})
	sdktest.OK(t, err)
	if a := e.assurance(t, id); dara.StringValue(a.PrivatePoolOptionsName) != "ea" ||
		dara.Int32Value(a.AllocatedResources.AllocatedResource[0].TotalAmount) != 3 {
		t.Fatalf("after modify: %+v", a)
	}

	_, err = e.v7.ModifyElasticityAssuranceAutoRenewAttribute(&ecs.ModifyElasticityAssuranceAutoRenewAttributeRequest{RegionId: dara.String(region),
		PrivatePoolOptions: &ecs.ModifyElasticityAssuranceAutoRenewAttributeRequestPrivatePoolOptions{Id: []*string{dara.String(id)}},
		RenewalStatus:      dara.String("AutoRenewal"), Period: dara.Int32(2), PeriodUnit: dara.String("Month")})
	sdktest.OK(t, err)
	renew, err := e.v7.DescribeElasticityAssuranceAutoRenewAttribute(&ecs.DescribeElasticityAssuranceAutoRenewAttributeRequest{
		RegionId: dara.String(region), PrivatePoolOptions: &ecs.DescribeElasticityAssuranceAutoRenewAttributeRequestPrivatePoolOptions{Id: []*string{dara.String(id)}}})
	sdktest.OK(t, err)
	if l := renew.Body.ElasticityAssuranceRenewAttributes.ElasticityAssuranceRenewAttribute; len(l) != 1 ||
		dara.StringValue(l[0].RenewalStatus) != "AutoRenewal" || dara.Int32Value(l[0].Period) != 2 {
		t.Fatalf("renewal: %+v", l)
	}

	end := dara.StringValue(e.assurance(t, id).EndTime)
	rn, err := e.v7.RenewElasticityAssurances(&ecs.RenewElasticityAssurancesRequest{RegionId: dara.String(region),
		PrivatePoolOptions: &ecs.RenewElasticityAssurancesRequestPrivatePoolOptions{Id: []*string{dara.String(id)}},
		Period:             dara.Int32(1), PeriodUnit: dara.String("Month")})
	sdktest.OK(t, err)
	if l := rn.Body.PrivatePoolOptionsIdSet.PrivatePoolOptionsId; len(l) != 1 {
		t.Fatalf("renewed %v", l)
	}
	later := dara.StringValue(e.assurance(t, id).EndTime)
	t0, _ := time.Parse("2006-01-02T15:04:05Z", end)
	t1, _ := time.Parse("2006-01-02T15:04:05Z", later)
	if d := t1.Sub(t0); d < 28*24*time.Hour || d > 31*24*time.Hour {
		t.Fatalf("renewal moved the end from %s to %s", end, later)
	}

	// Releasing the instance returns its place; the assurance ends at its end.
	del := classicecs.CreateDeleteInstancesRequest()
	del.InstanceId, del.Force = &[]string{inst}, "true"
	_, err = e.classic.DeleteInstances(del)
	sdktest.OK(t, err)
	e.s.Clock.Advance(30 * time.Second)
	if u := dara.Int32Value(e.assurance(t, id).AllocatedResources.AllocatedResource[1].UsedAmount); u != 0 {
		t.Fatalf("c7 use after release: %d", u)
	}
	e.s.Clock.Advance(t1.Sub(e.s.Clock.Now()) + time.Hour)
	if e.assurance(t, id) != nil {
		t.Fatal("the assurance outlived its end")
	}
	_, err = e.v7.DescribeElasticityAssuranceInstances(&ecs.DescribeElasticityAssuranceInstancesRequest{RegionId: dara.String(region),
		PrivatePoolOptions: &ecs.DescribeElasticityAssuranceInstancesRequestPrivatePoolOptions{Id: dara.String(id)}})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidElasticityAssuranceId.NotFound")
}

func TestElasticityAssurances_PurchasePrepared(t *testing.T) {
	e := newEnv(t, realistic())
	start := e.s.Clock.Now().Add(48 * time.Hour).UTC().Truncate(time.Minute).Format("2006-01-02T15:04:05Z")
	resp, err := e.v7.CreateElasticityAssurance(&ecs.CreateElasticityAssuranceRequest{RegionId: dara.String(region),
		ZoneId: []*string{dara.String(e.zone)}, InstanceType: []*string{dara.String(itype)}, StartTime: dara.String(start)})
	sdktest.OK(t, err)
	id := dara.StringValue(resp.Body.PrivatePoolOptionsId)
	if st := dara.StringValue(e.assurance(t, id).Status); st != "Prepared" {
		t.Fatalf("status before its start %s", st)
	}
	_, err = e.v7.PurchaseElasticityAssurance(&ecs.PurchaseElasticityAssuranceRequest{RegionId: dara.String(region),
		PrivatePoolOptions: &ecs.PurchaseElasticityAssuranceRequestPrivatePoolOptions{Id: dara.String(id)},
		Period:             dara.Int32(10), PeriodUnit: dara.String("Month")})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidPeriod")
	_, err = e.v7.PurchaseElasticityAssurance(&ecs.PurchaseElasticityAssuranceRequest{RegionId: dara.String(region),
		PrivatePoolOptions: &ecs.PurchaseElasticityAssuranceRequestPrivatePoolOptions{Id: dara.String(id)},
		Period:             dara.Int32(2), PeriodUnit: dara.String("Month")})
	sdktest.OK(t, err)
	if st := dara.StringValue(e.assurance(t, id).Status); st != "Active" {
		t.Fatalf("status after the purchase %s", st)
	}
	_, err = e.v7.PurchaseElasticityAssurance(&ecs.PurchaseElasticityAssuranceRequest{RegionId: dara.String(region),
		PrivatePoolOptions: &ecs.PurchaseElasticityAssuranceRequestPrivatePoolOptions{Id: dara.String(id)}})
	sdktest.WantFail(t, err, http.StatusForbidden, "IncorrectStatus.ElasticityAssurance")
}
