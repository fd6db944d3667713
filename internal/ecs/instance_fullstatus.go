package ecs

import (
	"context"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// DescribeInstancesFullStatusRequest filters instances by id, status and
// health; the event filters match the system events of an instance.
type DescribeInstancesFullStatusRequest struct {
	RegionID, Status, Health string
	IDs                      []string
	EventFilter              bool
	PageNumber, PageSize     int
}

// Bind implements rpc.Binder.
func (r *DescribeInstancesFullStatusRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.List("InstanceId")
	if len(r.IDs) > 100 {
		p.Fail(apierr.InvalidParameter.New("InstanceId"))
	}
	r.Status = p.Enum("Status", "", cloud.StatusRunning, cloud.StatusStopped)
	r.Health = p.Enum("HealthStatus", "", "Impaired", "Warning", "Maintaining", "Initializing", "InsufficientData", "NotApplicable", "Ok")
	r.EventFilter = len(p.List("EventId")) > 0 || p.String("EventType") != "" || len(p.List("InstanceEventType")) > 0 ||
		p.String("EventPublishTime.Start") != "" || p.String("EventPublishTime.End") != "" ||
		p.String("NotBefore.Start") != "" || p.String("NotBefore.End") != ""
	r.PageNumber, r.PageSize = paging(p, 10, 100)
}

// CodeName is a status or health with its numeric code.
type CodeName struct {
	Code int    `json:"Code"`
	Name string `json:"Name"`
}

// InstanceFullStatus is one instance's status, health and scheduled events.
type InstanceFullStatus struct {
	InstanceID              string   `json:"InstanceId"`
	Status                  CodeName `json:"Status"`
	HealthStatus            CodeName `json:"HealthStatus"`
	ScheduledSystemEventSet struct {
		ScheduledSystemEventType []struct{} `json:"ScheduledSystemEventType"`
	} `json:"ScheduledSystemEventSet"`
}

// DescribeInstancesFullStatusResponse wraps InstanceFullStatusSet.InstanceFullStatusType[].
type DescribeInstancesFullStatusResponse struct {
	rpc.Base
	TotalCount            int `json:"TotalCount"`
	PageNumber            int `json:"PageNumber"`
	PageSize              int `json:"PageSize"`
	InstanceFullStatusSet struct {
		InstanceFullStatusType []InstanceFullStatus `json:"InstanceFullStatusType"`
	} `json:"InstanceFullStatusSet"`
}

// statusCodes are the lifecycle codes of the reference [choice where it
// is silent]; healthOf is the health a status implies: ecslocal has no
// failing hosts, so a Running instance is Ok.
var statusCodes = map[string]int{
	cloud.StatusPending: 0, cloud.StatusRunning: 1, cloud.StatusStarting: 2, cloud.StatusStopping: 64, cloud.StatusStopped: 128,
}

func healthOf(status string) CodeName {
	switch status {
	case cloud.StatusRunning:
		return CodeName{0, "Ok"}
	case cloud.StatusPending, cloud.StatusStarting:
		return CodeName{4, "Initializing"}
	}
	return CodeName{6, "NotApplicable"}
}

// DescribeInstancesFullStatus answers each instance's status and health
// and its scheduled system events; ecslocal schedules none, so an event
// filter matches no instance.
func (s *Service) DescribeInstancesFullStatus(ctx context.Context, call *rpc.Call, req *DescribeInstancesFullStatusRequest) (*DescribeInstancesFullStatusResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeInstancesFullStatusResponse{PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.InstanceFullStatusSet.InstanceFullStatusType = []InstanceFullStatus{}
	if req.EventFilter {
		return resp, nil
	}
	q := store.Query{Region: req.RegionID, IDs: req.IDs, Count: true, Offset: (req.PageNumber - 1) * req.PageSize, Limit: req.PageSize}
	if req.Status != "" {
		q.Filters = append(q.Filters, store.Where("status", req.Status))
	}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var all []cloud.Instance
		var err error
		if req.Health == "" {
			var page store.Page
			all, page, err = store.Find[cloud.Instance](ctx, tx, q)
			resp.TotalCount = page.Total
		} else {
			// Health follows status: filter the statuses that have it.
			all, err = store.All[cloud.Instance](ctx, tx, req.RegionID, q.Filters...)
			kept := all[:0]
			for _, i := range all {
				if healthOf(i.Status).Name == req.Health && (len(req.IDs) == 0 || contains(req.IDs, i.ID)) {
					kept = append(kept, i)
				}
			}
			resp.TotalCount = len(kept)
			all = pageOf(kept, req.PageNumber, req.PageSize)
		}
		for _, i := range all {
			st := InstanceFullStatus{InstanceID: i.ID, Status: CodeName{statusCodes[i.Status], i.Status}, HealthStatus: healthOf(i.Status)}
			st.ScheduledSystemEventSet.ScheduledSystemEventType = []struct{}{}
			resp.InstanceFullStatusSet.InstanceFullStatusType = append(resp.InstanceFullStatusSet.InstanceFullStatusType, st)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}
