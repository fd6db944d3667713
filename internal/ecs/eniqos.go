package ecs

import (
	"context"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// EnableNetworkInterfaceQoSRequest sets an ENI's traffic limits.
type EnableNetworkInterfaceQoSRequest struct {
	RegionID, ENIID string
	QoS             cloud.ENIQoS
}

// Bind implements rpc.Binder: each limit is a positive number; at least one.
func (r *EnableNetworkInterfaceQoSRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ENIID = p.Required("NetworkInterfaceId")
	q := p.Object("QoS")
	for _, f := range []struct {
		name string
		dst  **int64
	}{
		{"BandwidthRx", &r.QoS.BandwidthRx}, {"BandwidthTx", &r.QoS.BandwidthTx}, {"PpsRx", &r.QoS.PpsRx},
		{"PpsTx", &r.QoS.PpsTx}, {"ConcurrentConnections", &r.QoS.ConcurrentConnections},
	} {
		if v := q.OptInt(f.name, 1, 1<<40); v != nil {
			n := int64(*v)
			*f.dst = &n
		}
	}
	if r.QoS == (cloud.ENIQoS{}) && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("QoS"))
	}
}

// EnableNetworkInterfaceQoSResponse is {RequestId}.
type EnableNetworkInterfaceQoSResponse struct{ rpc.Base }

// EnableNetworkInterfaceQoS stores an ENI's rate limits (ecslocal carries
// no traffic); DescribeNetworkInterfaceAttribute answers them as QoSConfig.
// A limit not named keeps its value; an ENI being deleted is refused.
func (s *Service) EnableNetworkInterfaceQoS(ctx context.Context, call *rpc.Call, req *EnableNetworkInterfaceQoSRequest) (*EnableNetworkInterfaceQoSResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		e, err := loadENI(ctx, tx, req.RegionID, req.ENIID)
		if err != nil {
			return err
		}
		if e.Status == cloud.ENIDeleting {
			return apierr.InvalidEniState.New().WithDetail("ENI %s is %s", e.ID, e.Status)
		}
		q := cloud.ENIQoS{}
		if e.QoS != nil {
			q = *e.QoS
		}
		for _, f := range []struct{ dst, src **int64 }{
			{&q.BandwidthRx, &req.QoS.BandwidthRx}, {&q.BandwidthTx, &req.QoS.BandwidthTx}, {&q.PpsRx, &req.QoS.PpsRx},
			{&q.PpsTx, &req.QoS.PpsTx}, {&q.ConcurrentConnections, &req.QoS.ConcurrentConnections},
		} {
			if *f.src != nil {
				*f.dst = *f.src
			}
		}
		e.QoS = &q
		return store.Put(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return &EnableNetworkInterfaceQoSResponse{}, nil
}

// DisableNetworkInterfaceQoSRequest names an ENI.
type DisableNetworkInterfaceQoSRequest struct{ RegionID, ENIID string }

// Bind implements rpc.Binder.
func (r *DisableNetworkInterfaceQoSRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ENIID = p.Required("NetworkInterfaceId")
}

// DisableNetworkInterfaceQoSResponse is {RequestId}.
type DisableNetworkInterfaceQoSResponse struct{ rpc.Base }

// DisableNetworkInterfaceQoS drops an ENI's rate limits (none set: no change).
func (s *Service) DisableNetworkInterfaceQoS(ctx context.Context, call *rpc.Call, req *DisableNetworkInterfaceQoSRequest) (*DisableNetworkInterfaceQoSResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		e, err := loadENI(ctx, tx, req.RegionID, req.ENIID)
		if err != nil {
			return err
		}
		if e.Status == cloud.ENIDeleting {
			return apierr.InvalidEniState.New().WithDetail("ENI %s is %s", e.ID, e.Status)
		}
		e.QoS = nil
		return store.Put(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return &DisableNetworkInterfaceQoSResponse{}, nil
}

// ENIQoSConfig is DescribeNetworkInterfaceAttribute's QoSConfig.
type ENIQoSConfig struct {
	EnableQoS bool `json:"EnableQoS"`
	QoS       struct {
		BandwidthRx           *int64 `json:"BandwidthRx,omitempty"`
		BandwidthTx           *int64 `json:"BandwidthTx,omitempty"`
		PpsRx                 *int64 `json:"PpsRx,omitempty"`
		PpsTx                 *int64 `json:"PpsTx,omitempty"`
		ConcurrentConnections *int64 `json:"ConcurrentConnections,omitempty"`
	} `json:"QoS"`
}

func qosConfig(e cloud.ENI) ENIQoSConfig {
	var c ENIQoSConfig
	if q := e.QoS; q != nil {
		c.EnableQoS = true
		c.QoS.BandwidthRx, c.QoS.BandwidthTx, c.QoS.PpsRx, c.QoS.PpsTx, c.QoS.ConcurrentConnections = q.BandwidthRx, q.BandwidthTx, q.PpsRx, q.PpsTx, q.ConcurrentConnections
	}
	return c
}
