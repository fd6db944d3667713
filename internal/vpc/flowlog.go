package vpc

import (
	"context"
	"errors"
	"strconv"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/tagging"
)

// registerFlowLogs adds the flow log actions.
func (s *Service) registerFlowLogs(t *rpc.Table) {
	v := rpc.VersionVPC
	rpc.Handle(t, v, "OpenFlowLogService", s.OpenFlowLogService)
	rpc.Handle(t, v, "GetFlowLogServiceStatus", s.GetFlowLogServiceStatus)
	rpc.Handle(t, v, "CreateFlowLog", s.CreateFlowLog)
	rpc.Handle(t, v, "DescribeFlowLogs", s.DescribeFlowLogs)
	rpc.Handle(t, v, "ModifyFlowLogAttribute", s.ModifyFlowLogAttribute)
	rpc.Handle(t, v, "ActiveFlowLog", s.ActiveFlowLog)
	rpc.Handle(t, v, "DeactiveFlowLog", s.DeactiveFlowLog)
	rpc.Handle(t, v, "DeleteFlowLog", s.DeleteFlowLog)
}

// FlowLogServiceRequest is OpenFlowLogService and GetFlowLogServiceStatus.
type FlowLogServiceRequest struct {
	RegionID string
}

// Bind implements rpc.Binder.
func (r *FlowLogServiceRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	p.ClientToken()
}

// OpenFlowLogServiceResponse is {RequestId, Code, Message}.
type OpenFlowLogServiceResponse struct {
	rpc.Base
	Code    string `json:"Code"`
	Message string `json:"Message"`
}

// OpenFlowLogService opens the flow log service of the account in the
// region; opening it again changes nothing.
func (s *Service) OpenFlowLogService(ctx context.Context, call *rpc.Call, req *FlowLogServiceRequest) (*OpenFlowLogServiceResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		id := cloud.FlowLogServiceID(req.RegionID)
		if _, err := store.Get[cloud.FlowLogService](ctx, tx, id); err == nil {
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return store.Put(ctx, tx, cloud.FlowLogService{ID: id, Region: req.RegionID, Opened: tx.Now()})
	})
	if err != nil {
		return nil, err
	}
	return &OpenFlowLogServiceResponse{Code: "200", Message: "successful"}, nil
}

// GetFlowLogServiceStatusResponse tells whether the service is open.
type GetFlowLogServiceStatusResponse struct {
	rpc.Base
	Enabled bool `json:"Enabled"`
}

// GetFlowLogServiceStatus answers whether OpenFlowLogService was called
// in the region.
func (s *Service) GetFlowLogServiceStatus(ctx context.Context, call *rpc.Call, req *FlowLogServiceRequest) (*GetFlowLogServiceStatusResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &GetFlowLogServiceStatusResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var err error
		resp.Enabled, err = flowLogServiceOpen(ctx, tx, req.RegionID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func flowLogServiceOpen(ctx context.Context, tx store.Tx, region string) (bool, error) {
	_, err := store.Get[cloud.FlowLogService](ctx, tx, cloud.FlowLogServiceID(region))
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// CreateFlowLogRequest is VPC CreateFlowLog.
type CreateFlowLogRequest struct {
	RegionID, ResourceType, ResourceID, TrafficType, ProjectName, LogStoreName string
	Name, Description, IPVersion, ResourceGroupID                              string
	AggregationInterval                                                        int
	TrafficPath                                                                []string
	Tags                                                                       []rpc.Tag
}

// Bind implements rpc.Binder.
func (r *CreateFlowLogRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ResourceType = p.Required("ResourceType")
	r.ResourceID = p.Required("ResourceId")
	r.TrafficType = p.Required("TrafficType")
	// The SLS project and logstore are named, not checked: SLS is not modelled.
	r.ProjectName = p.String("ProjectName")
	r.LogStoreName = p.String("LogStoreName")
	if r.ResourceType != "" {
		r.ResourceType = p.Enum("ResourceType", "", "VPC", "VSwitch", "NetworkInterface")
	}
	if r.TrafficType != "" {
		r.TrafficType = p.Enum("TrafficType", "", "All", "Allow", "Drop")
	}
	r.AggregationInterval = p.Int("AggregationInterval", 10, 1, 10)
	if r.AggregationInterval != 1 && r.AggregationInterval != 5 && r.AggregationInterval != 10 {
		p.Fail(apierr.InvalidParameter.New("AggregationInterval"))
	}
	r.IPVersion = p.Enum("IpVersion", "IPv4", "IPv4", "DualStack")
	r.TrafficPath = p.List("TrafficPath")
	r.Name = p.String("FlowLogName")
	r.Description = p.String("Description")
	r.ResourceGroupID = p.String("ResourceGroupId")
	r.Tags = tagging.BindTags(p, "Tag")
}

// CreateFlowLogResponse carries the new flow log.
type CreateFlowLogResponse struct {
	rpc.Base
	FlowLogID       string `json:"FlowLogId"`
	ResourceGroupID string `json:"ResourceGroupId"`
	Success         string `json:"Success"`
}

// flowLogTarget finds the VPC of the resource a flow log captures.
func flowLogTarget(ctx context.Context, tx store.Tx, region, typ, id string) (string, error) {
	var vpc string
	var err error
	switch typ {
	case "VPC":
		var v cloud.VPC
		v, err = store.GetIn[cloud.VPC](ctx, tx, region, id)
		vpc = v.ID
	case "VSwitch":
		var w cloud.VSwitch
		w, err = store.GetIn[cloud.VSwitch](ctx, tx, region, id)
		vpc = w.VpcID
	default:
		var e cloud.ENI
		e, err = store.GetIn[cloud.ENI](ctx, tx, region, id)
		vpc = e.VpcID
	}
	return vpc, notFound(err, apierr.FlowLogResourceMissing)
}

// CreateFlowLog makes an Active flow log of a VPC, vSwitch or ENI, once the
// service is open; a resource takes one flow log per traffic type.
func (s *Service) CreateFlowLog(ctx context.Context, call *rpc.Call, req *CreateFlowLogRequest) (*CreateFlowLogResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateFlowLogResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if open, err := flowLogServiceOpen(ctx, tx, req.RegionID); err != nil {
			return err
		} else if !open {
			return apierr.FlowLogServiceNotOpen.New()
		}
		vpc, err := flowLogTarget(ctx, tx, req.RegionID, req.ResourceType, req.ResourceID)
		if err != nil {
			return err
		}
		if n, err := store.Count[cloud.FlowLog](ctx, tx, req.RegionID, store.Where(string(cloud.IdxResource), req.ResourceID),
			store.Where(string(cloud.IdxTrafficType), req.TrafficType)); err != nil {
			return err
		} else if n > 0 {
			return apierr.FlowLogDuplicated.New().WithDetail("%s already has a %s flow log", req.ResourceID, req.TrafficType)
		}
		f := cloud.FlowLog{
			ID: s.ids.ID("fl", req.RegionID), Region: req.RegionID, Name: req.Name, Description: req.Description,
			ResourceType: req.ResourceType, ResourceID: req.ResourceID, VpcID: vpc, TrafficType: req.TrafficType,
			TrafficPath: req.TrafficPath, ProjectName: req.ProjectName, LogStoreName: req.LogStoreName,
			AggregationInterval: req.AggregationInterval, IPVersion: req.IPVersion, Status: cloud.FlowLogActive, Created: tx.Now(),
			ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID), Tags: tagging.Cloud(req.Tags),
		}
		resp.FlowLogID, resp.ResourceGroupID, resp.Success = f.ID, f.ResourceGroup, "true"
		return store.Put(ctx, tx, f)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeFlowLogsRequest is VPC DescribeFlowLogs.
type DescribeFlowLogsRequest struct {
	RegionID             string
	IDs                  []string
	Filters              []store.Filter
	Description          string
	PageNumber, PageSize int
}

// Bind implements rpc.Binder.
func (r *DescribeFlowLogsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	if id := p.String("FlowLogId"); id != "" {
		r.IDs = []string{id}
	}
	r.Filters = append(r.Filters, bindWhere(p, []where{
		{"FlowLogName", cloud.IdxName}, {"ResourceType", cloud.IdxType}, {"ResourceId", cloud.IdxResource}, {"VpcId", cloud.IdxVPC},
		{"TrafficType", cloud.IdxTrafficType}, {"ProjectName", cloud.IdxProject}, {"LogStoreName", cloud.IdxLogStore},
		{"Status", cloud.IdxStatus}, {"ResourceGroupId", cloud.IdxResourceGroup},
	})...)
	r.Filters = append(r.Filters, tagging.Filters(tagging.BindTags(p, "Tags"))...)
	r.Description = p.String("Description")
	r.PageNumber, r.PageSize = paging(p)
}

// FlowLogItem is one flow log of DescribeFlowLogs.
type FlowLogItem struct {
	FlowLogID                  string `json:"FlowLogId"`
	FlowLogName                string `json:"FlowLogName"`
	Description                string `json:"Description"`
	RegionID                   string `json:"RegionId"`
	ResourceType               string `json:"ResourceType"`
	ResourceID                 string `json:"ResourceId"`
	TrafficType                string `json:"TrafficType"`
	ProjectName                string `json:"ProjectName"`
	LogStoreName               string `json:"LogStoreName"`
	AggregationInterval        int    `json:"AggregationInterval"`
	IPVersion                  string `json:"IpVersion"`
	Status                     string `json:"Status"`
	BusinessStatus             string `json:"BusinessStatus"`
	CreationTime               string `json:"CreationTime"`
	ResourceGroupID            string `json:"ResourceGroupId"`
	ServiceType                string `json:"ServiceType"`
	FlowLogDeliverStatus       string `json:"FlowLogDeliverStatus"`
	FlowLogDeliverErrorMessage string `json:"FlowLogDeliverErrorMessage"`
	TrafficPath                struct {
		TrafficPathList []string `json:"TrafficPathList"`
	} `json:"TrafficPath"`
	Tags Tags `json:"Tags"`
}

// DescribeFlowLogsResponse wraps FlowLogs.FlowLog[]; its counts are
// strings, as the SDKs declare them.
type DescribeFlowLogsResponse struct {
	rpc.Base
	Success    string `json:"Success"`
	TotalCount string `json:"TotalCount"`
	PageNumber string `json:"PageNumber"`
	PageSize   string `json:"PageSize"`
	FlowLogs   struct {
		FlowLog []FlowLogItem `json:"FlowLog"`
	} `json:"FlowLogs"`
}

// DescribeFlowLogs lists a region's flow logs; Description matches whole.
func (s *Service) DescribeFlowLogs(ctx context.Context, call *rpc.Call, req *DescribeFlowLogsRequest) (*DescribeFlowLogsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeFlowLogsResponse{Success: "true", PageNumber: strconv.Itoa(req.PageNumber), PageSize: strconv.Itoa(req.PageSize)}
	resp.FlowLogs.FlowLog = []FlowLogItem{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		all, err := store.All[cloud.FlowLog](ctx, tx, req.RegionID, req.Filters...)
		if err != nil {
			return err
		}
		var list []cloud.FlowLog
		for _, f := range all {
			if (len(req.IDs) == 0 || f.ID == req.IDs[0]) && (req.Description == "" || f.Description == req.Description) {
				list = append(list, f)
			}
		}
		resp.TotalCount = strconv.Itoa(len(list))
		from := min((req.PageNumber-1)*req.PageSize, len(list))
		for _, f := range list[from:min(from+req.PageSize, len(list))] {
			item := FlowLogItem{
				FlowLogID: f.ID, FlowLogName: f.Name, Description: f.Description, RegionID: f.Region, ResourceType: f.ResourceType,
				ResourceID: f.ResourceID, TrafficType: f.TrafficType, ProjectName: f.ProjectName, LogStoreName: f.LogStoreName,
				AggregationInterval: f.AggregationInterval, IPVersion: f.IPVersion, Status: f.Status, BusinessStatus: "Normal",
				CreationTime: cloud.FormatSecond(f.Created), ResourceGroupID: f.ResourceGroup, ServiceType: "sls",
				FlowLogDeliverStatus: "SUCCESS", Tags: tagsOf(f.Tags),
			}
			item.TrafficPath.TrafficPathList = append([]string{}, f.TrafficPath...)
			resp.FlowLogs.FlowLog = append(resp.FlowLogs.FlowLog, item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// FlowLogRequest names one flow log (ActiveFlowLog, DeactiveFlowLog,
// DeleteFlowLog).
type FlowLogRequest struct {
	RegionID, ID string
}

// Bind implements rpc.Binder.
func (r *FlowLogRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("FlowLogId")
}

// FlowLogResponse is {RequestId, Success}.
type FlowLogResponse struct {
	rpc.Base
	Success string `json:"Success"`
}

// changeFlowLog runs change on a flow log and writes it back (or deletes
// it when change answers nil).
func (s *Service) changeFlowLog(ctx context.Context, call *rpc.Call, region, id string, change func(cloud.FlowLog) (*cloud.FlowLog, error)) (*FlowLogResponse, error) {
	err := changeOne(ctx, s, call, region, id, apierr.FlowLogNotFound, false, func(_ store.Tx, f *cloud.FlowLog) (bool, error) {
		next, err := change(*f)
		if next == nil || err != nil {
			return false, err
		}
		*f = *next
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &FlowLogResponse{Success: "true"}, nil
}

// ActiveFlowLog starts an Inactive flow log again.
func (s *Service) ActiveFlowLog(ctx context.Context, call *rpc.Call, req *FlowLogRequest) (*FlowLogResponse, error) {
	return s.changeFlowLog(ctx, call, req.RegionID, req.ID, func(f cloud.FlowLog) (*cloud.FlowLog, error) {
		next, err := cloud.SetFlowLogActive(f, true)
		return &next, err
	})
}

// DeactiveFlowLog stops an Active flow log.
func (s *Service) DeactiveFlowLog(ctx context.Context, call *rpc.Call, req *FlowLogRequest) (*FlowLogResponse, error) {
	return s.changeFlowLog(ctx, call, req.RegionID, req.ID, func(f cloud.FlowLog) (*cloud.FlowLog, error) {
		next, err := cloud.SetFlowLogActive(f, false)
		return &next, err
	})
}

// DeleteFlowLog removes a flow log in either status.
func (s *Service) DeleteFlowLog(ctx context.Context, call *rpc.Call, req *FlowLogRequest) (*FlowLogResponse, error) {
	return s.changeFlowLog(ctx, call, req.RegionID, req.ID, func(cloud.FlowLog) (*cloud.FlowLog, error) { return nil, nil })
}

// ModifyFlowLogAttributeRequest is VPC ModifyFlowLogAttribute.
type ModifyFlowLogAttributeRequest struct {
	RegionID, ID                 string
	Name, Description, IPVersion *string
	AggregationInterval          *int
}

// Bind implements rpc.Binder.
func (r *ModifyFlowLogAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.ID = p.Required("FlowLogId")
	r.Name = optString(p, "FlowLogName")
	r.Description = optString(p, "Description")
	if v := p.Enum("IpVersion", "", "IPv4", "DualStack"); v != "" {
		r.IPVersion = &v
	}
	r.AggregationInterval = p.OptInt("AggregationInterval", 1, 10)
	if a := r.AggregationInterval; a != nil && *a != 1 && *a != 5 && *a != 10 {
		p.Fail(apierr.InvalidParameter.New("AggregationInterval"))
	}
}

// ModifyFlowLogAttribute renames a flow log or changes its interval or
// IP version.
func (s *Service) ModifyFlowLogAttribute(ctx context.Context, call *rpc.Call, req *ModifyFlowLogAttributeRequest) (*FlowLogResponse, error) {
	return s.changeFlowLog(ctx, call, req.RegionID, req.ID, func(f cloud.FlowLog) (*cloud.FlowLog, error) {
		rename(&f.Name, &f.Description, req.Name, req.Description)
		if req.IPVersion != nil {
			f.IPVersion = *req.IPVersion
		}
		if req.AggregationInterval != nil {
			f.AggregationInterval = *req.AggregationInterval
		}
		return &f, nil
	})
}
