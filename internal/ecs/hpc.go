package ecs

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

func (s *Service) registerHpcAndTasks(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "CreateHpcCluster", s.CreateHpcCluster)
	rpc.Handle(t, v, "DeleteHpcCluster", s.DeleteHpcCluster)
	rpc.Handle(t, v, "DescribeHpcClusters", s.DescribeHpcClusters)
	rpc.Handle(t, v, "ModifyHpcClusterAttribute", s.ModifyHpcClusterAttribute)
	rpc.Handle(t, v, "DescribeTasks", s.DescribeTasks)
	rpc.Handle(t, v, "DescribeTaskAttribute", s.DescribeTaskAttribute)
	rpc.Handle(t, v, "CancelTask", s.CancelTask)
}

// validHpcName: 2 to 125 characters, starting with a letter, not with
// http:// or https:// (the reference's rule).
func validHpcName(name string) bool {
	n := len([]rune(name))
	if n < 2 || n > 125 {
		return false
	}
	c := name[0]
	return (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') && !strings.HasPrefix(name, "http://") && !strings.HasPrefix(name, "https://")
}

// uniqueHpcName refuses a name another cluster of the region has.
func uniqueHpcName(ctx context.Context, tx store.Tx, region, name, except string) error {
	same, err := store.All[cloud.HpcCluster](ctx, tx, region, store.Where("name", name))
	if err != nil {
		return err
	}
	for _, h := range same {
		if h.ID != except {
			return apierr.HpcClusterNameDuplicated.New()
		}
	}
	return nil
}

// CreateHpcClusterRequest names the cluster.
type CreateHpcClusterRequest struct {
	RegionID, Name, Description string
	ClientToken, fingerprint    string
}

// Bind implements rpc.Binder.
func (r *CreateHpcClusterRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Name = p.Required("Name")
	if r.Name != "" && !validHpcName(r.Name) {
		p.Fail(apierr.InvalidParameter.New("Name"))
	}
	r.Description = p.String("Description")
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// CreateHpcClusterResponse names the new cluster.
type CreateHpcClusterResponse struct {
	rpc.Base
	HpcClusterID string `json:"HpcClusterId"`
}

// CreateHpcCluster makes an HPC cluster, its name unique in the region.
func (s *Service) CreateHpcCluster(ctx context.Context, call *rpc.Call, req *CreateHpcClusterRequest) (*CreateHpcClusterResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateHpcClusterResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		if err := uniqueHpcName(ctx, tx, req.RegionID, req.Name, ""); err != nil {
			return err
		}
		h := cloud.HpcCluster{ID: s.ids.ID("hpc", req.RegionID), Region: req.RegionID, Name: req.Name, Description: req.Description, Created: tx.Now()}
		if err := store.Put(ctx, tx, h); err != nil {
			return err
		}
		resp.HpcClusterID = h.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// HpcClusterRequest names one cluster.
type HpcClusterRequest struct{ RegionID, HpcClusterID string }

// Bind implements rpc.Binder.
func (r *HpcClusterRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.HpcClusterID = p.Required("HpcClusterId")
	p.ClientToken()
}

// DeleteHpcClusterResponse is RequestId only.
type DeleteHpcClusterResponse struct{ rpc.Base }

// DeleteHpcCluster deletes a cluster; none holds an instance in ecslocal.
func (s *Service) DeleteHpcCluster(ctx context.Context, call *rpc.Call, req *HpcClusterRequest) (*DeleteHpcClusterResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		h, err := store.GetIn[cloud.HpcCluster](ctx, tx, req.RegionID, req.HpcClusterID)
		if err != nil {
			return notFound(err, apierr.InvalidHpcClusterID)
		}
		return store.Delete[cloud.HpcCluster](ctx, tx, h.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteHpcClusterResponse{}, nil
}

// ModifyHpcClusterAttributeRequest renames or redescribes a cluster.
type ModifyHpcClusterAttributeRequest struct {
	HpcClusterRequest
	Name, Description *string
}

// Bind implements rpc.Binder.
func (r *ModifyHpcClusterAttributeRequest) Bind(p *rpc.Params) {
	r.HpcClusterRequest.Bind(p)
	if p.Has("Name") {
		v := p.String("Name")
		if !validHpcName(v) {
			p.Fail(apierr.InvalidParameter.New("Name"))
		}
		r.Name = &v
	}
	if p.Has("Description") {
		v := p.String("Description")
		r.Description = &v
	}
}

// ModifyHpcClusterAttributeResponse is RequestId only.
type ModifyHpcClusterAttributeResponse struct{ rpc.Base }

// ModifyHpcClusterAttribute changes a cluster's name or description.
func (s *Service) ModifyHpcClusterAttribute(ctx context.Context, call *rpc.Call, req *ModifyHpcClusterAttributeRequest) (*ModifyHpcClusterAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		h, err := store.GetIn[cloud.HpcCluster](ctx, tx, req.RegionID, req.HpcClusterID)
		if err != nil {
			return notFound(err, apierr.InvalidHpcClusterID)
		}
		if req.Name != nil {
			if err := uniqueHpcName(ctx, tx, req.RegionID, *req.Name, h.ID); err != nil {
				return err
			}
			h.Name = *req.Name
		}
		if req.Description != nil {
			h.Description = *req.Description
		}
		return store.Put(ctx, tx, h)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyHpcClusterAttributeResponse{}, nil
}

// DescribeHpcClustersRequest filters by id.
type DescribeHpcClustersRequest struct {
	RegionID             string
	IDs                  []string
	PageNumber, PageSize int
}

// Bind implements rpc.Binder.
func (r *DescribeHpcClustersRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.JSONList("HpcClusterIds")
	r.PageNumber, r.PageSize = paging(p, 10, 100)
	p.ClientToken()
}

// HpcClusterItem is one cluster.
type HpcClusterItem struct {
	HpcClusterID string `json:"HpcClusterId"`
	Name         string `json:"Name"`
	Description  string `json:"Description"`
}

// DescribeHpcClustersResponse wraps HpcClusters.HpcCluster[].
type DescribeHpcClustersResponse struct {
	rpc.Base
	TotalCount  int `json:"TotalCount"`
	PageNumber  int `json:"PageNumber"`
	PageSize    int `json:"PageSize"`
	HpcClusters struct {
		HpcCluster []HpcClusterItem `json:"HpcCluster"`
	} `json:"HpcClusters"`
}

// DescribeHpcClusters lists the region's clusters.
func (s *Service) DescribeHpcClusters(ctx context.Context, call *rpc.Call, req *DescribeHpcClustersRequest) (*DescribeHpcClustersResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var match []HpcClusterItem
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		all, err := store.All[cloud.HpcCluster](ctx, tx, req.RegionID)
		for _, h := range all {
			if len(req.IDs) == 0 || slices.Contains(req.IDs, h.ID) {
				match = append(match, HpcClusterItem{HpcClusterID: h.ID, Name: h.Name, Description: h.Description})
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &DescribeHpcClustersResponse{TotalCount: len(match), PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.HpcClusters.HpcCluster = pageOf(match, req.PageNumber, req.PageSize)
	return resp, nil
}

// DescribeTasksRequest filters the region's tasks.
type DescribeTasksRequest struct {
	RegionID, Action, Status string
	IDs, ResourceIDs         []string
	Start, End               time.Time
	PageNumber, PageSize     int
}

// Bind implements rpc.Binder.
func (r *DescribeTasksRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Action = p.Enum("TaskAction", "", "ImportImage", "ExportImage", "RedeployInstance", "ModifyDiskSpec")
	r.Status = p.Enum("TaskStatus", "", cloud.TaskFinished, cloud.TaskProcessing, cloud.TaskFailed)
	r.IDs = splitIDs(p.String("TaskIds"))
	r.ResourceIDs = p.List("ResourceIds")
	for name, at := range map[string]*time.Time{"StartTime": &r.Start, "EndTime": &r.End} {
		if v := p.String(name); v != "" {
			t, err := time.Parse("2006-01-02T15:04Z", v)
			if err != nil {
				p.Fail(apierr.InvalidParameter.New(name))
			}
			*at = t
		}
	}
	p.String("TaskGroupId")
	r.PageNumber, r.PageSize = paging(p, 10, 100)
}

// splitIDs reads a comma-separated id list.
func splitIDs(s string) []string {
	var out []string
	for _, id := range strings.Split(s, ",") {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, id)
		}
	}
	return out
}

// TaskItem is one task.
type TaskItem struct {
	TaskID        string `json:"TaskId"`
	TaskAction    string `json:"TaskAction"`
	TaskStatus    string `json:"TaskStatus"`
	ResourceID    string `json:"ResourceId"`
	SupportCancel string `json:"SupportCancel"`
	CreationTime  string `json:"CreationTime"`
	FinishedTime  string `json:"FinishedTime"`
}

// DescribeTasksResponse wraps TaskSet.Task[].
type DescribeTasksResponse struct {
	rpc.Base
	RegionID   string `json:"RegionId"`
	TotalCount int    `json:"TotalCount"`
	PageNumber int    `json:"PageNumber"`
	PageSize   int    `json:"PageSize"`
	TaskSet    struct {
		Task []TaskItem `json:"Task"`
	} `json:"TaskSet"`
}

func supportCancel(k cloud.Task) string {
	if k.Cancellable() {
		return "true"
	}
	return "false"
}

// DescribeTasks lists the region's asynchronous tasks (ModifyDiskSpec's).
func (s *Service) DescribeTasks(ctx context.Context, call *rpc.Call, req *DescribeTasksRequest) (*DescribeTasksResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var match []TaskItem
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var filters []store.Filter
		if req.Action != "" {
			filters = append(filters, store.Where("type", req.Action))
		}
		if req.Status != "" {
			filters = append(filters, store.Where("status", req.Status))
		}
		all, err := store.All[cloud.Task](ctx, tx, req.RegionID, filters...)
		for _, k := range all {
			if len(req.IDs) > 0 && !slices.Contains(req.IDs, k.ID) || len(req.ResourceIDs) > 0 && !slices.Contains(req.ResourceIDs, k.ResourceID) ||
				!req.Start.IsZero() && k.Created.Before(req.Start) || !req.End.IsZero() && k.Created.After(req.End) {
				continue
			}
			match = append(match, TaskItem{TaskID: k.ID, TaskAction: k.Action, TaskStatus: k.Status, ResourceID: k.ResourceID,
				SupportCancel: supportCancel(k), CreationTime: cloud.FormatSecond(k.Created), FinishedTime: cloud.FormatSecond(k.Finished)})
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &DescribeTasksResponse{RegionID: req.RegionID, TotalCount: len(match), PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.TaskSet.Task = pageOf(match, req.PageNumber, req.PageSize)
	return resp, nil
}

// TaskRequest names one task.
type TaskRequest struct{ RegionID, TaskID string }

// Bind implements rpc.Binder.
func (r *TaskRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.TaskID = p.Required("TaskId")
}

// DescribeTaskAttributeResponse is one task with its per-resource outcome.
type DescribeTaskAttributeResponse struct {
	rpc.Base
	RegionID             string `json:"RegionId"`
	TaskID               string `json:"TaskId"`
	TaskAction           string `json:"TaskAction"`
	TaskStatus           string `json:"TaskStatus"`
	TaskProcess          string `json:"TaskProcess"`
	SupportCancel        string `json:"SupportCancel"`
	TotalCount           int    `json:"TotalCount"`
	SuccessCount         int    `json:"SuccessCount"`
	FailedCount          int    `json:"FailedCount"`
	CreationTime         string `json:"CreationTime"`
	FinishedTime         string `json:"FinishedTime"`
	OperationProgressSet struct {
		OperationProgress []ResetDisksProgress `json:"OperationProgress"`
	} `json:"OperationProgressSet"`
}

// loadTask reads a task of the region.
func loadTask(ctx context.Context, tx store.Tx, region, id string) (cloud.Task, error) {
	k, err := store.GetIn[cloud.Task](ctx, tx, region, id)
	return k, notFound(err, apierr.InvalidTaskIDNotFound)
}

// DescribeTaskAttribute answers one task.
func (s *Service) DescribeTaskAttribute(ctx context.Context, call *rpc.Call, req *TaskRequest) (*DescribeTaskAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var k cloud.Task
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var err error
		k, err = loadTask(ctx, tx, req.RegionID, req.TaskID)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &DescribeTaskAttributeResponse{RegionID: k.Region, TaskID: k.ID, TaskAction: k.Action, TaskStatus: k.Status,
		SupportCancel: supportCancel(k), TotalCount: 1, CreationTime: cloud.FormatSecond(k.Created), FinishedTime: cloud.FormatSecond(k.Finished)}
	item := ResetDisksProgress{OperationStatus: "Success"}
	resp.TaskProcess = "100%"
	if k.Status == cloud.TaskFinished {
		resp.SuccessCount = 1
	} else {
		item.OperationStatus, resp.TaskProcess = k.Status, "0%"
	}
	item.RelatedItemSet.RelatedItem = []ResetDisksRelatedItem{{Name: "ResourceId", Value: k.ResourceID}}
	resp.OperationProgressSet.OperationProgress = []ResetDisksProgress{item}
	return resp, nil
}

// CancelTaskResponse is RequestId only.
type CancelTaskResponse struct{ rpc.Base }

// CancelTask cancels an import or export in progress; every other task
// (all ecslocal makes) answers InvalidTask.NotSupportCancel.
func (s *Service) CancelTask(ctx context.Context, call *rpc.Call, req *TaskRequest) (*CancelTaskResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		k, err := loadTask(ctx, tx, req.RegionID, req.TaskID)
		if err != nil {
			return err
		}
		if !k.Cancellable() {
			return apierr.TaskNotCancellable.New()
		}
		k.Status, k.Finished = cloud.TaskCancelled, tx.Now()
		return store.Put(ctx, tx, k)
	})
	if err != nil {
		return nil, err
	}
	return &CancelTaskResponse{}, nil
}
