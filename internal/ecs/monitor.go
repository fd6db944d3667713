package ecs

import (
	"context"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// maxMonitorPoints is how many data points one monitor query may answer.
const maxMonitorPoints = 400

// monitorWindow is a monitor query's time range and period.
type monitorWindow struct {
	start, end time.Time
	period     time.Duration
}

// bindMonitorWindow reads StartTime, EndTime (UTC, to the second) and
// Period (60, 600 or 3600 seconds).
func bindMonitorWindow(p *rpc.Params) monitorWindow {
	var w monitorWindow
	raw := map[string]string{"StartTime": p.Required("StartTime"), "EndTime": p.Required("EndTime")}
	parse := func(name string) time.Time {
		t, err := time.Parse(time.RFC3339, raw[name])
		if err != nil && raw[name] != "" {
			p.Fail(apierr.InvalidParameter.New(name))
		}
		return t.UTC()
	}
	w.start, w.end = parse("StartTime"), parse("EndTime")
	switch n := p.Int("Period", 60, 60, 3600); n {
	case 60, 600, 3600:
		w.period = time.Duration(n) * time.Second
	default:
		p.Fail(apierr.InvalidParameter.New("Period"))
	}
	if p.Err() == nil && !w.end.After(w.start) {
		p.Fail(apierr.InvalidParameter.New("EndTime"))
	}
	if p.Err() == nil && int(w.end.Sub(w.start)/w.period) >= maxMonitorPoints {
		p.Fail(apierr.TooManyDataQueried.New())
	}
	return w
}

// points are the period boundaries of the window the resource existed in
// (created, up to now).
func (w monitorWindow) points(created, now time.Time) []time.Time {
	var out []time.Time
	t := w.start.Truncate(w.period)
	if t.Before(w.start) {
		t = t.Add(w.period)
	}
	for ; !t.After(w.end) && !t.After(now); t = t.Add(w.period) {
		if !t.Before(created.Truncate(w.period)) {
			out = append(out, t)
		}
	}
	return out
}

// DescribeInstanceMonitorDataRequest asks an instance's metrics.
type DescribeInstanceMonitorDataRequest struct {
	InstanceID string
	Window     monitorWindow
}

// Bind implements rpc.Binder.
func (r *DescribeInstanceMonitorDataRequest) Bind(p *rpc.Params) {
	r.InstanceID = p.Required("InstanceId")
	r.Window = bindMonitorWindow(p)
}

// InstanceMonitorData is one data point of an instance.
type InstanceMonitorData struct {
	InstanceID        string `json:"InstanceId"`
	TimeStamp         string `json:"TimeStamp"`
	CPU               int    `json:"CPU"`
	IntranetRX        int    `json:"IntranetRX"`
	IntranetTX        int    `json:"IntranetTX"`
	IntranetBandwidth int    `json:"IntranetBandwidth"`
	InternetRX        int    `json:"InternetRX"`
	InternetTX        int    `json:"InternetTX"`
	InternetBandwidth int    `json:"InternetBandwidth"`
	IOPSRead          int    `json:"IOPSRead"`
	IOPSWrite         int    `json:"IOPSWrite"`
	BPSRead           int    `json:"BPSRead"`
	BPSWrite          int    `json:"BPSWrite"`
}

// DescribeInstanceMonitorDataResponse wraps MonitorData.InstanceMonitorData[].
type DescribeInstanceMonitorDataResponse struct {
	rpc.Base
	MonitorData struct {
		InstanceMonitorData []InstanceMonitorData `json:"InstanceMonitorData"`
	} `json:"MonitorData"`
}

// DescribeInstanceMonitorData answers one data point per period of the
// window in which the instance existed, up to the emulated now. ecslocal
// runs no guest and carries no traffic, so every metric is 0 [choice].
func (s *Service) DescribeInstanceMonitorData(ctx context.Context, call *rpc.Call, req *DescribeInstanceMonitorDataRequest) (*DescribeInstanceMonitorDataResponse, error) {
	resp := &DescribeInstanceMonitorDataResponse{}
	resp.MonitorData.InstanceMonitorData = []InstanceMonitorData{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		inst, err := loadInstance(ctx, tx, req.InstanceID)
		if err != nil {
			return err
		}
		for _, t := range req.Window.points(inst.Created, tx.Now()) {
			resp.MonitorData.InstanceMonitorData = append(resp.MonitorData.InstanceMonitorData, InstanceMonitorData{InstanceID: inst.ID, TimeStamp: cloud.FormatSecond(t)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeEniMonitorDataRequest asks the metrics of an instance's ENIs.
type DescribeEniMonitorDataRequest struct {
	RegionID, InstanceID, ENIID string
	Window                      monitorWindow
}

// Bind implements rpc.Binder.
func (r *DescribeEniMonitorDataRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceID = p.Required("InstanceId")
	r.ENIID = p.String("EniId")
	r.Window = bindMonitorWindow(p)
}

// EniMonitorData is one data point of an ENI.
type EniMonitorData struct {
	EniID        string `json:"EniId"`
	TimeStamp    string `json:"TimeStamp"`
	IntranetRx   string `json:"IntranetRx"`
	IntranetTx   string `json:"IntranetTx"`
	PacketRx     string `json:"PacketRx"`
	PacketTx     string `json:"PacketTx"`
	DropPacketRx string `json:"DropPacketRx"`
	DropPacketTx string `json:"DropPacketTx"`
}

// DescribeEniMonitorDataResponse wraps MonitorData.EniMonitorData[].
type DescribeEniMonitorDataResponse struct {
	rpc.Base
	TotalCount  int `json:"TotalCount"`
	MonitorData struct {
		EniMonitorData []EniMonitorData `json:"EniMonitorData"`
	} `json:"MonitorData"`
}

// DescribeEniMonitorData answers, for the secondary ENIs attached to the
// instance (or the one named, which must be one of them), one data point
// per period since the ENI was created; every counter is 0, as ecslocal
// carries no traffic [choice].
func (s *Service) DescribeEniMonitorData(ctx context.Context, call *rpc.Call, req *DescribeEniMonitorDataRequest) (*DescribeEniMonitorDataResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeEniMonitorDataResponse{}
	resp.MonitorData.EniMonitorData = []EniMonitorData{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		inst, err := store.GetIn[cloud.Instance](ctx, tx, req.RegionID, req.InstanceID)
		if err != nil {
			return notFound(err, apierr.InvalidInstanceIDNotFound)
		}
		enis, err := enisOfShared(ctx, tx, inst.Region, inst.ID)
		if err != nil {
			return err
		}
		found := req.ENIID == ""
		for _, e := range enis[inst.ID] {
			if e.Type == cloud.ENIPrimary || req.ENIID != "" && e.ID != req.ENIID {
				continue
			}
			found = true
			for _, t := range req.Window.points(e.Created, tx.Now()) {
				resp.MonitorData.EniMonitorData = append(resp.MonitorData.EniMonitorData, EniMonitorData{
					EniID: e.ID, TimeStamp: cloud.FormatSecond(t), IntranetRx: "0", IntranetTx: "0",
					PacketRx: "0", PacketTx: "0", DropPacketRx: "0", DropPacketTx: "0",
				})
			}
		}
		if !found {
			return apierr.InvalidEniIDNotFound.New()
		}
		resp.TotalCount = len(resp.MonitorData.EniMonitorData)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}
