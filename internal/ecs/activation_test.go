package ecs_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"

	"github.com/ecslocal/ecslocal/internal/sdktest"
)

// register registers a server through the admin API, as the agent would;
// it answers the HTTP status and the managed instance id.
func (e *env) register(t *testing.T, activation, code, ip string) (int, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"activationId": activation, "activationCode": code, "hostname": "host-1", "ip": ip,
		"osType": "linux", "machineId": "machine-1"})
	resp, err := http.Post(e.s.URL+"/_ecslocal/managed-instances", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		InstanceID string `json:"instanceId"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out.InstanceID
}

func TestActivations_RegisterDescribeDeregister(t *testing.T) {
	e := newEnv(t, realistic())
	_, err := e.v7.CreateActivation(&ecs.CreateActivationRequest{RegionId: dara.String(region), IpAddressRange: dara.String("10.0.0.0/33")})
	sdktest.WantFail(t, err, http.StatusBadRequest, "InvalidParameter")
	created, err := e.v7.CreateActivation(&ecs.CreateActivationRequest{RegionId: dara.String(region), InstanceCount: dara.Int32(2),
		InstanceName: dara.String("onprem"), IpAddressRange: dara.String("10.0.0.0/8"), TimeToLiveInHours: dara.Int64(2),
		ClientToken: dara.String("act-tok")})
	sdktest.OK(t, err)
	id, code := dara.StringValue(created.Body.ActivationId), dara.StringValue(created.Body.ActivationCode)
	again, err := e.v7.CreateActivation(&ecs.CreateActivationRequest{RegionId: dara.String(region), InstanceCount: dara.Int32(2),
		InstanceName: dara.String("onprem"), IpAddressRange: dara.String("10.0.0.0/8"), TimeToLiveInHours: dara.Int64(2),
		ClientToken: dara.String("act-tok")})
	sdktest.OK(t, err)
	if dara.StringValue(again.Body.ActivationId) != id || len(code) != 20 {
		t.Fatalf("ClientToken: %s then %s (code %q)", id, dara.StringValue(again.Body.ActivationId), code)
	}

	// Registration: the code, the address range and the count are checked.
	if st, _ := e.register(t, id, "wrong", "10.1.2.3"); st != http.StatusForbidden {
		t.Fatalf("wrong code: %d", st)
	}
	if st, _ := e.register(t, id, code, "192.168.1.1"); st != http.StatusForbidden {
		t.Fatalf("address outside the range: %d", st)
	}
	st, mi := e.register(t, id, code, "10.1.2.3")
	if st != http.StatusOK || mi == "" {
		t.Fatalf("registration: %d %q", st, mi)
	}
	managed, err := e.v7.DescribeManagedInstances(&ecs.DescribeManagedInstancesRequest{RegionId: dara.String(region), ActivationId: dara.String(id)})
	sdktest.OK(t, err)
	if l := managed.Body.Instances; len(l) != 1 || dara.StringValue(l[0].InstanceId) != mi || dara.StringValue(l[0].InstanceName) != "onprem" ||
		dara.StringValue(l[0].IntranetIp) != "10.1.2.3" || !dara.BoolValue(l[0].Connected) {
		t.Fatalf("managed instances: %+v", l)
	}
	acts, err := e.v7.DescribeActivations(&ecs.DescribeActivationsRequest{RegionId: dara.String(region), ActivationId: dara.String(id)})
	sdktest.OK(t, err)
	if l := acts.Body.ActivationList; len(l) != 1 || dara.Int32Value(l[0].RegisteredCount) != 1 || dara.BoolValue(l[0].Disabled) {
		t.Fatalf("activations: %+v", l)
	}

	// In use: not deleted. Renamed, deregistered, then deleted.
	_, err = e.v7.DeleteActivation(&ecs.DeleteActivationRequest{RegionId: dara.String(region), ActivationId: dara.String(id)})
	sdktest.WantFail(t, err, http.StatusForbidden, "ActivationId.InUse")
	mod, err := e.v7.ModifyManagedInstance(&ecs.ModifyManagedInstanceRequest{RegionId: dara.String(region), InstanceId: dara.String(mi),
		InstanceName: dara.String("renamed")})
	sdktest.OK(t, err)
	if dara.StringValue(mod.Body.Instance.InstanceName) != "renamed" {
		t.Fatalf("ModifyManagedInstance answered %+v", mod.Body.Instance)
	}
	dis, err := e.v7.DisableActivation(&ecs.DisableActivationRequest{RegionId: dara.String(region), ActivationId: dara.String(id)})
	sdktest.OK(t, err)
	if !dara.BoolValue(dis.Body.Activation.Disabled) {
		t.Fatal("DisableActivation did not answer Disabled")
	}
	if st, _ := e.register(t, id, code, "10.1.2.4"); st != http.StatusForbidden {
		t.Fatalf("disabled code registered: %d", st)
	}
	dr, err := e.v7.DeregisterManagedInstance(&ecs.DeregisterManagedInstanceRequest{RegionId: dara.String(region), InstanceId: dara.String(mi)})
	sdktest.OK(t, err)
	if dara.StringValue(dr.Body.Instance.InstanceName) != "renamed" {
		t.Fatalf("deregistered %+v", dr.Body.Instance)
	}
	_, err = e.v7.DeregisterManagedInstance(&ecs.DeregisterManagedInstanceRequest{RegionId: dara.String(region), InstanceId: dara.String(mi)})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidInstanceId.NotFound")
	del, err := e.v7.DeleteActivation(&ecs.DeleteActivationRequest{RegionId: dara.String(region), ActivationId: dara.String(id)})
	sdktest.OK(t, err)
	if dara.Int32Value(del.Body.Activation.DeregisteredCount) != 1 {
		t.Fatalf("deleted activation %+v", del.Body.Activation)
	}
	_, err = e.v7.DisableActivation(&ecs.DisableActivationRequest{RegionId: dara.String(region), ActivationId: dara.String(id)})
	sdktest.WantFail(t, err, http.StatusNotFound, "InvalidActivationId.NotFound")

	// An expired code registers nothing.
	short, err := e.v7.CreateActivation(&ecs.CreateActivationRequest{RegionId: dara.String(region), TimeToLiveInHours: dara.Int64(1)})
	sdktest.OK(t, err)
	e.s.Clock.Advance(61 * time.Minute)
	if st, _ := e.register(t, dara.StringValue(short.Body.ActivationId), dara.StringValue(short.Body.ActivationCode), "10.0.0.1"); st != http.StatusForbidden {
		t.Fatalf("expired code registered: %d", st)
	}
}

// activationWorld adds, for the import world, an activation with one managed instance.
func (e *env) activationWorld(t *testing.T) {
	t.Helper()
	created, err := e.v7.CreateActivation(&ecs.CreateActivationRequest{RegionId: dara.String(region),
		Tag: []*ecs.CreateActivationRequestTag{{Key: dara.String("k"), Value: dara.String("v")}}})
	sdktest.OK(t, err)
	if st, _ := e.register(t, dara.StringValue(created.Body.ActivationId), dara.StringValue(created.Body.ActivationCode), "10.0.0.9"); st != http.StatusOK {
		t.Fatalf("registration %d", st)
	}
}
