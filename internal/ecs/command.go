package ecs

import (
	"context"
	"encoding/base64"
	"errors"
	"slices"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// Cloud Assistant. ecslocal runs no command: an invocation moves each
// instance Pending → Running → Success on the emulated clock (one
// "invocation" delay a step), exit code 0 and empty output.

func (s *Service) registerCommands(t *rpc.Table) {
	v := rpc.VersionECS
	rpc.Handle(t, v, "CreateCommand", s.CreateCommand)
	rpc.Handle(t, v, "ModifyCommand", s.ModifyCommand)
	rpc.Handle(t, v, "DeleteCommand", s.DeleteCommand)
	rpc.Handle(t, v, "DescribeCommands", s.DescribeCommands)
	rpc.Handle(t, v, "InvokeCommand", s.InvokeCommand)
	rpc.Handle(t, v, "RunCommand", s.RunCommand)
	rpc.Handle(t, v, "DescribeInvocations", s.DescribeInvocations)
	rpc.Handle(t, v, "DescribeInvocationResults", s.DescribeInvocationResults)
	rpc.Handle(t, v, "StopInvocation", s.StopInvocation)
	rpc.Handle(t, v, "DescribeCloudAssistantStatus", s.DescribeCloudAssistantStatus)
}

// maxCommandContent is the most a command's Base64 content may hold.
const maxCommandContent = 18 << 10

// commandTypes are the script kinds Cloud Assistant runs.
var commandTypes = []string{"RunShellScript", "RunBatScript", "RunPowerShellScript"}

// commandContent reads CommandContent as stored (Base64): ContentEncoding
// PlainText encodes it, Base64 (the default) must already be.
func commandContent(p *rpc.Params, name string, required, encoding bool) (string, bool) {
	var raw string
	if required {
		raw = p.Required(name)
	} else if p.Has(name) {
		raw = p.String(name)
	} else {
		return "", false
	}
	enc := "Base64" // ModifyCommand has no ContentEncoding: Base64 only
	if encoding {
		enc = p.Enum("ContentEncoding", "Base64", "Base64", "PlainText")
	}
	if p.Err() != nil {
		return "", false
	}
	if enc == "PlainText" {
		raw = base64.StdEncoding.EncodeToString([]byte(raw))
	} else if _, err := base64.StdEncoding.DecodeString(raw); err != nil {
		p.Fail(apierr.CmdContentMalformed.New())
	}
	if len(raw) > maxCommandContent {
		p.Fail(apierr.CmdContentExceedLimit.New())
	}
	return raw, true
}

// commandTimeout reads Timeout in seconds: 10..86400, 60 by default.
func commandTimeout(p *rpc.Params) int { return p.Int("Timeout", 60, 10, 86400) }

// CreateCommandRequest is a saved command.
type CreateCommandRequest struct {
	RegionID, Name, Description, Type, Content, WorkingDir, ResourceGroupID string
	Timeout                                                                 int
	EnableParameter                                                         bool
	ClientToken, fingerprint                                                string
}

// Bind implements rpc.Binder.
func (r *CreateCommandRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.Name = p.Required("Name")
	p.Required("Type")
	r.Content, _ = commandContent(p, "CommandContent", true, true)
	if p.Err() != nil {
		return
	}
	r.Type = p.Enum("Type", "", commandTypes...)
	if len([]rune(r.Name)) > 128 {
		p.Fail(apierr.InvalidParameter.New("Name"))
	}
	r.Description = p.String("Description")
	r.WorkingDir = p.String("WorkingDir")
	r.Timeout = commandTimeout(p)
	r.EnableParameter = p.Bool("EnableParameter", false)
	p.String("Launcher")
	r.ResourceGroupID = p.String("ResourceGroupId")
	p.Tags("Tag")
	r.ClientToken = p.ClientToken()
	r.fingerprint = p.Fingerprint()
}

// CreateCommandResponse names the command.
type CreateCommandResponse struct {
	rpc.Base
	CommandID string `json:"CommandId"`
}

// CreateCommand saves a command to invoke later.
func (s *Service) CreateCommand(ctx context.Context, call *rpc.Call, req *CreateCommandRequest) (*CreateCommandResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &CreateCommandResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		c := cloud.Command{ID: s.ids.ID("c", req.RegionID), Region: req.RegionID, Name: req.Name, Description: req.Description,
			Type: req.Type, Content: req.Content, WorkingDir: req.WorkingDir, Timeout: req.Timeout, EnableParameter: req.EnableParameter,
			ResourceGroup: cloud.ResourceGroup(call.Account, req.ResourceGroupID), Created: tx.Now()}
		if err := store.Put(ctx, tx, c); err != nil {
			return err
		}
		resp.CommandID = c.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyCommandRequest changes a saved command.
type ModifyCommandRequest struct {
	RegionID, CommandID           string
	Name, Description, WorkingDir *string
	Content                       string
	HasContent                    bool
	Timeout                       *int
}

// Bind implements rpc.Binder.
func (r *ModifyCommandRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.CommandID = p.Required("CommandId")
	opt := func(name string) *string {
		if !p.Has(name) {
			return nil
		}
		v := p.String(name)
		return &v
	}
	r.Name, r.Description, r.WorkingDir = opt("Name"), opt("Description"), opt("WorkingDir")
	if r.Name != nil && (*r.Name == "" || len([]rune(*r.Name)) > 128) {
		p.Fail(apierr.InvalidParameter.New("Name"))
	}
	r.Content, r.HasContent = commandContent(p, "CommandContent", false, false)
	r.Timeout = p.OptInt("Timeout", 10, 86400)
	p.String("Launcher")
}

// ModifyCommandResponse is RequestId only.
type ModifyCommandResponse struct{ rpc.Base }

// ModifyCommand changes a command; invocations made before keep what they ran.
func (s *Service) ModifyCommand(ctx context.Context, call *rpc.Call, req *ModifyCommandRequest) (*ModifyCommandResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		c, err := store.GetIn[cloud.Command](ctx, tx, req.RegionID, req.CommandID)
		if err != nil {
			return notFound(err, apierr.InvalidCmdIDNotFound)
		}
		rename(&c.Name, &c.Description, req.Name, req.Description)
		if req.WorkingDir != nil {
			c.WorkingDir = *req.WorkingDir
		}
		if req.HasContent {
			c.Content = req.Content
		}
		if req.Timeout != nil {
			c.Timeout = *req.Timeout
		}
		return store.Put(ctx, tx, c)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyCommandResponse{}, nil
}

// CommandRequest names one command.
type CommandRequest struct{ RegionID, CommandID string }

// Bind implements rpc.Binder.
func (r *CommandRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.CommandID = p.Required("CommandId")
}

// DeleteCommandResponse is RequestId only.
type DeleteCommandResponse struct{ rpc.Base }

// DeleteCommand deletes a saved command; its invocations stay, running on
// with the content they were given.
func (s *Service) DeleteCommand(ctx context.Context, call *rpc.Call, req *CommandRequest) (*DeleteCommandResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		c, err := store.GetIn[cloud.Command](ctx, tx, req.RegionID, req.CommandID)
		if err != nil {
			return notFound(err, apierr.InvalidCmdIDNotFound)
		}
		return store.Delete[cloud.Command](ctx, tx, c.ID)
	})
	if err != nil {
		return nil, err
	}
	return &DeleteCommandResponse{}, nil
}

// DescribeCommandsRequest filters the saved commands.
type DescribeCommandsRequest struct {
	RegionID, CommandID, Name, Type, Description, Provider string
	dualPaging
}

// Bind implements rpc.Binder.
func (r *DescribeCommandsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.CommandID = p.String("CommandId")
	r.Name = p.String("Name")
	r.Type = p.Enum("Type", "", commandTypes...)
	r.Description = p.String("Description")
	r.Provider = p.String("Provider")
	p.Enum("ContentEncoding", "Base64", "Base64", "PlainText")
	p.Bool("Latest", false)
	p.String("ResourceGroupId")
	p.Tags("Tag")
	r.bindPaging(p, 10, 50)
}

// CommandItem is one command.
type CommandItem struct {
	CommandID       string `json:"CommandId"`
	Name            string `json:"Name"`
	Description     string `json:"Description"`
	Type            string `json:"Type"`
	CommandContent  string `json:"CommandContent"`
	WorkingDir      string `json:"WorkingDir"`
	Timeout         int64  `json:"Timeout"`
	CreationTime    string `json:"CreationTime"`
	InvokeTimes     int    `json:"InvokeTimes"`
	EnableParameter bool   `json:"EnableParameter"`
	Latest          bool   `json:"Latest"`
	Version         int    `json:"Version"`
	ResourceGroupID string `json:"ResourceGroupId"`
}

// DescribeCommandsResponse wraps Commands.Command[].
type DescribeCommandsResponse struct {
	rpc.Base
	TotalCount int    `json:"TotalCount"`
	PageNumber int    `json:"PageNumber"`
	PageSize   int    `json:"PageSize"`
	NextToken  string `json:"NextToken"`
	Commands   struct {
		Command []CommandItem `json:"Command"`
	} `json:"Commands"`
}

// DescribeCommands lists the account's commands of the region. ecslocal
// has no public commands: Provider (which names them) matches none.
func (s *Service) DescribeCommands(ctx context.Context, call *rpc.Call, req *DescribeCommandsRequest) (*DescribeCommandsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var match []CommandItem
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var filters []store.Filter
		if req.Name != "" {
			filters = append(filters, store.Where("name", req.Name))
		}
		if req.Type != "" {
			filters = append(filters, store.Where("type", req.Type))
		}
		all, err := store.All[cloud.Command](ctx, tx, req.RegionID, filters...)
		for _, c := range all {
			if req.CommandID != "" && c.ID != req.CommandID || req.Provider != "" ||
				req.Description != "" && !strings.Contains(c.Description, req.Description) {
				continue
			}
			match = append(match, CommandItem{CommandID: c.ID, Name: c.Name, Description: c.Description, Type: c.Type,
				CommandContent: c.Content, WorkingDir: c.WorkingDir, Timeout: int64(c.Timeout), CreationTime: cloud.FormatSecond(c.Created),
				InvokeTimes: c.InvokeTimes, EnableParameter: c.EnableParameter, Latest: true, Version: 1, ResourceGroupID: c.ResourceGroup})
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &DescribeCommandsResponse{TotalCount: len(match), PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.Commands.Command, resp.NextToken = pageDual(match, req.dualPaging)
	return resp, nil
}

// invokeParams are what InvokeCommand and RunCommand share.
type invokeParams struct {
	InstanceIDs              []string
	Username, WorkingDir     string
	Timeout                  *int
	hasParameters            bool
	ClientToken, fingerprint string
}

func (ip *invokeParams) bind(p *rpc.Params) {
	ip.InstanceIDs = p.List("InstanceId")
	if len(ip.InstanceIDs) == 0 && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("InstanceId.1"))
	}
	if len(ip.InstanceIDs) > 50 {
		p.Fail(apierr.InstanceIDsExceedLimit.New())
	}
	if mode := p.String("RepeatMode"); mode != "" && mode != "Once" {
		p.Fail(apierr.RepeatModeNotSupported.New())
	}
	if p.Bool("Timed", false) {
		p.Fail(apierr.RepeatModeNotSupported.New())
	}
	p.String("Frequency")
	ip.Username = p.String("Username")
	ip.WorkingDir = p.String("WorkingDir")
	ip.Timeout = p.OptInt("Timeout", 10, 86400)
	ip.hasParameters = p.String("Parameters") != ""
	p.String("WindowsPasswordName")
	p.String("ContainerId")
	p.String("ContainerName")
	p.String("Launcher")
	p.String("OssOutputDelivery")
	p.String("TerminationMode")
	p.String("ResourceGroupId")
	p.Tags("Tag")
	for _, rt := range p.Objects("ResourceTag") {
		rt.String("Key")
		rt.String("Value")
	}
	ip.ClientToken = p.ClientToken()
	ip.fingerprint = p.Fingerprint()
}

// invoke starts v on the named instances in tx.
func (s *Service) invoke(ctx context.Context, tx store.Tx, region string, ip invokeParams, v cloud.Invocation) (cloud.Invocation, error) {
	var insts []cloud.Instance
	for _, id := range slices.Compact(slices.Clone(ip.InstanceIDs)) {
		inst, err := store.GetIn[cloud.Instance](ctx, tx, region, id)
		if err != nil {
			return v, notFound(err, apierr.InvalidInstanceNotFound)
		}
		insts = append(insts, inst)
	}
	cfg, err := store.LoadConfig(ctx, tx)
	if err != nil {
		return v, err
	}
	v.ID, v.Region, v.Username = s.ids.ID("t", region), region, ip.Username
	if ip.WorkingDir != "" {
		v.WorkingDir = ip.WorkingDir
	}
	if ip.Timeout != nil {
		v.Timeout = *ip.Timeout
	}
	v = cloud.NewInvocation(v, insts, tx.Now(), cfg.Delays)
	// A zero delay (the fast profile) finishes at once.
	v = cloud.AdvanceInvocation(v, tx.Now(), cfg.Delays)
	return v, store.Put(ctx, tx, v)
}

// InvokeCommandRequest runs a saved command on instances.
type InvokeCommandRequest struct {
	RegionID, CommandID string
	invokeParams
}

// Bind implements rpc.Binder.
func (r *InvokeCommandRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.CommandID = p.Required("CommandId")
	r.invokeParams.bind(p)
}

// InvokeCommandResponse names the invocation.
type InvokeCommandResponse struct {
	rpc.Base
	InvokeID string `json:"InvokeId"`
}

// InvokeCommand runs a saved command once on instances: Running ones run
// it, others are Aborted.
func (s *Service) InvokeCommand(ctx context.Context, call *rpc.Call, req *InvokeCommandRequest) (*InvokeCommandResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &InvokeCommandResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		c, err := store.GetIn[cloud.Command](ctx, tx, req.RegionID, req.CommandID)
		if err != nil {
			return notFound(err, apierr.InvalidCmdIDNotFound)
		}
		if req.hasParameters && !c.EnableParameter {
			return apierr.ParameterDisabled.New()
		}
		v, err := s.invoke(ctx, tx, req.RegionID, req.invokeParams, cloud.Invocation{CommandID: c.ID, CommandName: c.Name,
			CommandType: c.Type, Content: c.Content, Description: c.Description, WorkingDir: c.WorkingDir, Timeout: c.Timeout})
		if err != nil {
			return err
		}
		c.InvokeTimes++
		if err := store.Put(ctx, tx, c); err != nil {
			return err
		}
		resp.InvokeID = v.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// RunCommandRequest creates a command and runs it at once.
type RunCommandRequest struct {
	RegionID, Name, Description, Type, Content string
	EnableParameter, KeepCommand               bool
	invokeParams
}

// Bind implements rpc.Binder.
func (r *RunCommandRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	p.Required("Type")
	r.Content, _ = commandContent(p, "CommandContent", true, true)
	if p.Err() != nil {
		return
	}
	r.Type = p.Enum("Type", "", commandTypes...)
	r.Name = p.String("Name")
	r.Description = p.String("Description")
	r.EnableParameter = p.Bool("EnableParameter", false)
	r.KeepCommand = p.Bool("KeepCommand", false)
	r.invokeParams.bind(p)
}

// RunCommandResponse names the command and the invocation.
type RunCommandResponse struct {
	rpc.Base
	CommandID string `json:"CommandId"`
	InvokeID  string `json:"InvokeId"`
}

// RunCommand runs content once on instances; KeepCommand saves it as a
// command too (otherwise its id names only the invocation's command).
func (s *Service) RunCommand(ctx context.Context, call *rpc.Call, req *RunCommandRequest) (*RunCommandResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &RunCommandResponse{}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		if replayed, err := store.Replay(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp); replayed || err != nil {
			return err
		}
		if req.hasParameters && !req.EnableParameter {
			return apierr.ParameterDisabled.New()
		}
		c := cloud.Command{ID: s.ids.ID("c", req.RegionID), Region: req.RegionID, Name: req.Name, Description: req.Description,
			Type: req.Type, Content: req.Content, WorkingDir: req.WorkingDir, Timeout: 60, EnableParameter: req.EnableParameter,
			InvokeTimes: 1, ResourceGroup: cloud.ResourceGroup(call.Account, ""), Created: tx.Now()}
		if req.Timeout != nil {
			c.Timeout = *req.Timeout
		}
		if c.Name == "" {
			c.Name = c.ID
		}
		v, err := s.invoke(ctx, tx, req.RegionID, req.invokeParams, cloud.Invocation{CommandID: c.ID, CommandName: c.Name,
			CommandType: c.Type, Content: c.Content, Description: c.Description, WorkingDir: c.WorkingDir, Timeout: c.Timeout})
		if err != nil {
			return err
		}
		if req.KeepCommand {
			if err := store.Put(ctx, tx, c); err != nil {
				return err
			}
		}
		resp.CommandID, resp.InvokeID = c.ID, v.ID
		return store.Remember(ctx, tx, call.Action, req.ClientToken, req.fingerprint, resp)
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DescribeInvocationsRequest filters the invocations.
type DescribeInvocationsRequest struct {
	RegionID, InvokeID, CommandID, CommandName, CommandType string
	InstanceID, InvokeStatus                                string
	plain                                                   bool
	dualPaging
}

// Bind implements rpc.Binder.
func (r *DescribeInvocationsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InvokeID = p.String("InvokeId")
	r.CommandID = p.String("CommandId")
	r.CommandName = p.String("CommandName")
	r.CommandType = p.Enum("CommandType", "", commandTypes...)
	r.InstanceID = p.String("InstanceId")
	r.InvokeStatus = p.Enum("InvokeStatus", "", "Running", "Finished", "Failed", "PartialFailed", "Stopped",
		"Pending", "Scheduled", "Success", "Stopping")
	r.plain = p.Enum("ContentEncoding", "Base64", "Base64", "PlainText") == "PlainText"
	p.Bool("IncludeOutput", false)
	p.String("RepeatMode")
	p.Bool("Timed", false)
	p.String("ResourceGroupId")
	p.Tags("Tag")
	r.bindPaging(p, 10, 50)
}

// InvokeInstanceItem is one instance of an invocation.
type InvokeInstanceItem struct {
	InstanceID           string `json:"InstanceId"`
	InvocationStatus     string `json:"InvocationStatus"`
	InstanceInvokeStatus string `json:"InstanceInvokeStatus"`
	CreationTime         string `json:"CreationTime"`
	StartTime            string `json:"StartTime"`
	FinishTime           string `json:"FinishTime"`
	StopTime             string `json:"StopTime"`
	UpdateTime           string `json:"UpdateTime"`
	ExitCode             int64  `json:"ExitCode"`
	Output               string `json:"Output"`
	ErrorCode            string `json:"ErrorCode"`
	ErrorInfo            string `json:"ErrorInfo"`
	Repeats              int    `json:"Repeats"`
	Dropped              int    `json:"Dropped"`
	Timed                bool   `json:"Timed"`
}

// InvocationItem is one invocation.
type InvocationItem struct {
	InvokeID           string `json:"InvokeId"`
	CommandID          string `json:"CommandId"`
	CommandName        string `json:"CommandName"`
	CommandType        string `json:"CommandType"`
	CommandContent     string `json:"CommandContent"`
	CommandDescription string `json:"CommandDescription"`
	InvocationStatus   string `json:"InvocationStatus"`
	InvokeStatus       string `json:"InvokeStatus"`
	CreationTime       string `json:"CreationTime"`
	RepeatMode         string `json:"RepeatMode"`
	Timed              bool   `json:"Timed"`
	Timeout            int64  `json:"Timeout"`
	Username           string `json:"Username"`
	WorkingDir         string `json:"WorkingDir"`
	InvokeInstances    struct {
		InvokeInstance []InvokeInstanceItem `json:"InvokeInstance"`
	} `json:"InvokeInstances"`
}

// DescribeInvocationsResponse wraps Invocations.Invocation[].
type DescribeInvocationsResponse struct {
	rpc.Base
	TotalCount  int    `json:"TotalCount"`
	PageNumber  int    `json:"PageNumber"`
	PageSize    int    `json:"PageSize"`
	NextToken   string `json:"NextToken"`
	Invocations struct {
		Invocation []InvocationItem `json:"Invocation"`
	} `json:"Invocations"`
}

// instanceStatus is InstanceInvokeStatus, the older per-instance status.
func instanceStatus(st string) string {
	switch st {
	case cloud.InvocationSuccess, cloud.InvocationFailed, cloud.InvocationAborted:
		return "Finished"
	case cloud.InvocationCancelled, cloud.InvocationTerminated:
		return "Stopped"
	}
	return "Running"
}

// content answers stored Base64 content as asked.
func content(b64 string, plain bool) string {
	if !plain {
		return b64
	}
	raw, _ := base64.StdEncoding.DecodeString(b64)
	return string(raw)
}

// DescribeInvocations lists invocations with each instance's run.
func (s *Service) DescribeInvocations(ctx context.Context, call *rpc.Call, req *DescribeInvocationsRequest) (*DescribeInvocationsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var match []InvocationItem
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var filters []store.Filter
		if req.CommandID != "" {
			filters = append(filters, store.Where("command", req.CommandID))
		}
		if req.InstanceID != "" {
			filters = append(filters, store.Where("instance", req.InstanceID))
		}
		all, err := store.All[cloud.Invocation](ctx, tx, req.RegionID, filters...)
		for _, v := range all {
			status, old := cloud.OverallStatus(v), cloud.InvokeStatus(v)
			if req.InvokeID != "" && v.ID != req.InvokeID || req.CommandName != "" && v.CommandName != req.CommandName ||
				req.CommandType != "" && v.CommandType != req.CommandType ||
				req.InvokeStatus != "" && req.InvokeStatus != status && req.InvokeStatus != old {
				continue
			}
			item := InvocationItem{InvokeID: v.ID, CommandID: v.CommandID, CommandName: v.CommandName, CommandType: v.CommandType,
				CommandContent: content(v.Content, req.plain), CommandDescription: v.Description, InvocationStatus: status, InvokeStatus: old,
				CreationTime: cloud.FormatSecond(v.Created), RepeatMode: "Once", Timeout: int64(v.Timeout), Username: v.Username,
				WorkingDir: v.WorkingDir}
			for _, ii := range v.Instances {
				if req.InstanceID != "" && ii.InstanceID != req.InstanceID {
					continue
				}
				item.InvokeInstances.InvokeInstance = append(item.InvokeInstances.InvokeInstance, invokeInstanceItem(ii))
			}
			match = append(match, item)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &DescribeInvocationsResponse{TotalCount: len(match), PageNumber: req.PageNumber, PageSize: req.PageSize}
	resp.Invocations.Invocation, resp.NextToken = pageDual(match, req.dualPaging)
	return resp, nil
}

func invokeInstanceItem(ii cloud.InvokedInstance) InvokeInstanceItem {
	// UpdateTime is the latest change of the run.
	update := ii.Created
	if ii.Start.After(update) {
		update = ii.Start
	}
	if ii.Finish.After(update) {
		update = ii.Finish
	}
	if ii.Stop.After(update) {
		update = ii.Stop
	}
	return InvokeInstanceItem{InstanceID: ii.InstanceID, InvocationStatus: ii.Status, InstanceInvokeStatus: instanceStatus(ii.Status),
		CreationTime: cloud.FormatSecond(ii.Created), StartTime: cloud.FormatSecond(ii.Start), FinishTime: cloud.FormatSecond(ii.Finish),
		StopTime: cloud.FormatSecond(ii.Stop), UpdateTime: cloud.FormatSecond(update), ExitCode: int64(ii.ExitCode),
		ErrorCode: ii.ErrorCode, ErrorInfo: ii.ErrorInfo, Repeats: boolRank(!ii.Start.IsZero())}
}

// DescribeInvocationResultsRequest filters the per-instance results.
type DescribeInvocationResultsRequest struct {
	RegionID, InvokeID, InstanceID, CommandID, RecordStatus string
	dualPaging
}

// Bind implements rpc.Binder.
func (r *DescribeInvocationResultsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InvokeID = p.String("InvokeId")
	r.InstanceID = p.String("InstanceId")
	r.CommandID = p.String("CommandId")
	r.RecordStatus = p.Enum("InvokeRecordStatus", "", "Running", "Finished", "Failed", "Stopped")
	p.Bool("IncludeHistory", false)
	p.Enum("ContentEncoding", "Base64", "Base64", "PlainText")
	p.String("ResourceGroupId")
	p.Tags("Tag")
	r.bindPaging(p, 10, 50)
}

// InvocationResult is one instance's run.
type InvocationResult struct {
	CommandID          string `json:"CommandId"`
	InvokeID           string `json:"InvokeId"`
	InstanceID         string `json:"InstanceId"`
	InvocationStatus   string `json:"InvocationStatus"`
	InvokeRecordStatus string `json:"InvokeRecordStatus"`
	ExitCode           int64  `json:"ExitCode"`
	Output             string `json:"Output"`
	StartTime          string `json:"StartTime"`
	FinishedTime       string `json:"FinishedTime"`
	StopTime           string `json:"StopTime"`
	ErrorCode          string `json:"ErrorCode"`
	ErrorInfo          string `json:"ErrorInfo"`
	Username           string `json:"Username"`
	Repeats            int    `json:"Repeats"`
	Dropped            int    `json:"Dropped"`
}

// DescribeInvocationResultsResponse wraps Invocation.InvocationResults.
type DescribeInvocationResultsResponse struct {
	rpc.Base
	Invocation struct {
		TotalCount        int    `json:"TotalCount"`
		PageNumber        int    `json:"PageNumber"`
		PageSize          int    `json:"PageSize"`
		NextToken         string `json:"NextToken"`
		InvocationResults struct {
			InvocationResult []InvocationResult `json:"InvocationResult"`
		} `json:"InvocationResults"`
	} `json:"Invocation"`
}

// DescribeInvocationResults lists the run of each instance of invocations.
func (s *Service) DescribeInvocationResults(ctx context.Context, call *rpc.Call, req *DescribeInvocationResultsRequest) (*DescribeInvocationResultsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var match []InvocationResult
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		var filters []store.Filter
		if req.CommandID != "" {
			filters = append(filters, store.Where("command", req.CommandID))
		}
		if req.InstanceID != "" {
			filters = append(filters, store.Where("instance", req.InstanceID))
		}
		all, err := store.All[cloud.Invocation](ctx, tx, req.RegionID, filters...)
		for _, v := range all {
			if req.InvokeID != "" && v.ID != req.InvokeID {
				continue
			}
			for _, ii := range v.Instances {
				rec := instanceStatus(ii.Status)
				if ii.Status == cloud.InvocationAborted {
					rec = "Failed"
				}
				if req.InstanceID != "" && ii.InstanceID != req.InstanceID || req.RecordStatus != "" && req.RecordStatus != rec {
					continue
				}
				match = append(match, InvocationResult{CommandID: v.CommandID, InvokeID: v.ID, InstanceID: ii.InstanceID,
					InvocationStatus: ii.Status, InvokeRecordStatus: rec, ExitCode: int64(ii.ExitCode), StartTime: cloud.FormatSecond(ii.Start),
					FinishedTime: cloud.FormatSecond(ii.Finish), StopTime: cloud.FormatSecond(ii.Stop), ErrorCode: ii.ErrorCode,
					ErrorInfo: ii.ErrorInfo, Username: v.Username, Repeats: boolRank(!ii.Start.IsZero())})
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if req.InvokeID != "" && len(match) == 0 {
		// An unknown InvokeId is an empty list, as a filter that matches nothing.
		match = []InvocationResult{}
	}
	resp := &DescribeInvocationResultsResponse{}
	inv := &resp.Invocation
	inv.TotalCount, inv.PageNumber, inv.PageSize = len(match), req.PageNumber, req.PageSize
	inv.InvocationResults.InvocationResult, inv.NextToken = pageDual(match, req.dualPaging)
	return resp, nil
}

// StopInvocationRequest names the invocation and, optionally, instances.
type StopInvocationRequest struct {
	RegionID, InvokeID string
	InstanceIDs        []string
}

// Bind implements rpc.Binder.
func (r *StopInvocationRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InvokeID = p.Required("InvokeId")
	r.InstanceIDs = p.List("InstanceId")
	if len(r.InstanceIDs) > 50 {
		p.Fail(apierr.InstanceIDsExceedLimit.New())
	}
}

// StopInvocationResponse is RequestId only.
type StopInvocationResponse struct{ rpc.Base }

// StopInvocation cancels the instances that have not started; runs under
// way finish, as the reference says of a one-time invocation. An
// invocation with nothing left to stop answers Operation.Forbidden.
func (s *Service) StopInvocation(ctx context.Context, call *rpc.Call, req *StopInvocationRequest) (*StopInvocationResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		v, err := store.GetIn[cloud.Invocation](ctx, tx, req.RegionID, req.InvokeID)
		if err != nil {
			return notFound(err, apierr.InvalidInvokeIDNotFound)
		}
		next, stopped := cloud.StopInvocationRule(v, req.InstanceIDs, tx.Now())
		if !stopped {
			return apierr.OperationForbidden.New().WithDetail("invocation %s has nothing left to stop", v.ID)
		}
		return store.Put(ctx, tx, next)
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, apierr.InvalidInvokeIDNotFound.New()
	}
	if err != nil {
		return nil, err
	}
	return &StopInvocationResponse{}, nil
}

// DescribeCloudAssistantStatusRequest filters the instances.
type DescribeCloudAssistantStatusRequest struct {
	RegionID, OSType string
	InstanceIDs      []string
	dualPaging
}

// Bind implements rpc.Binder.
func (r *DescribeCloudAssistantStatusRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceIDs = p.List("InstanceId")
	if len(r.InstanceIDs) > 100 {
		p.Fail(apierr.InstanceIDsExceedLimit.New())
	}
	r.OSType = p.Enum("OSType", "", "Windows", "Linux", "FreeBSD", "windows", "linux")
	r.bindPaging(p, 10, 50)
}

// CloudAssistantStatus is one instance's agent.
type CloudAssistantStatus struct {
	InstanceID            string `json:"InstanceId"`
	CloudAssistantStatus  string `json:"CloudAssistantStatus"`
	CloudAssistantVersion string `json:"CloudAssistantVersion"`
	OSType                string `json:"OSType"`
	InvocationCount       int64  `json:"InvocationCount"`
	ActiveTaskCount       int64  `json:"ActiveTaskCount"`
	LastInvokedTime       string `json:"LastInvokedTime"`
	LastHeartbeatTime     string `json:"LastHeartbeatTime"`
	SupportSessionManager bool   `json:"SupportSessionManager"`
}

// DescribeCloudAssistantStatusResponse wraps the statuses.
type DescribeCloudAssistantStatusResponse struct {
	rpc.Base
	TotalCount                      int    `json:"TotalCount"`
	PageNumber                      int    `json:"PageNumber"`
	PageSize                        int    `json:"PageSize"`
	NextToken                       string `json:"NextToken"`
	InstanceCloudAssistantStatusSet struct {
		InstanceCloudAssistantStatus []CloudAssistantStatus `json:"InstanceCloudAssistantStatus"`
	} `json:"InstanceCloudAssistantStatusSet"`
}

// cloudAssistantVersion is the agent version every instance reports [choice].
const cloudAssistantVersion = "2.2.3.0"

// DescribeCloudAssistantStatus answers each instance's agent: installed on
// every instance (the public images carry it, as Alibaba's have since
// 2017), its heartbeat the clock while the instance runs, and the counts of
// the runs it was given.
func (s *Service) DescribeCloudAssistantStatus(ctx context.Context, call *rpc.Call, req *DescribeCloudAssistantStatusRequest) (*DescribeCloudAssistantStatusResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	var match []CloudAssistantStatus
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		insts, err := store.All[cloud.Instance](ctx, tx, req.RegionID)
		if err != nil {
			return err
		}
		for _, inst := range insts {
			if len(req.InstanceIDs) > 0 && !slices.Contains(req.InstanceIDs, inst.ID) ||
				req.OSType != "" && !strings.EqualFold(req.OSType, inst.OSType) {
				continue
			}
			st := CloudAssistantStatus{InstanceID: inst.ID, CloudAssistantStatus: "true", CloudAssistantVersion: cloudAssistantVersion,
				OSType: inst.OSType, SupportSessionManager: true}
			if inst.Status == cloud.StatusRunning {
				st.LastHeartbeatTime = cloud.FormatSecond(tx.Now())
			}
			runs, err := store.All[cloud.Invocation](ctx, tx, req.RegionID, store.Where("instance", inst.ID))
			if err != nil {
				return err
			}
			for _, v := range runs {
				for _, ii := range v.Instances {
					if ii.InstanceID != inst.ID {
						continue
					}
					st.InvocationCount++
					if !ii.Final() {
						st.ActiveTaskCount++
					}
					st.LastInvokedTime = cloud.FormatSecond(ii.Created)
				}
			}
			match = append(match, st)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp := &DescribeCloudAssistantStatusResponse{TotalCount: len(match), PageNumber: req.PageNumber, PageSize: req.PageSize}
	list := &resp.InstanceCloudAssistantStatusSet.InstanceCloudAssistantStatus
	*list, resp.NextToken = pageDual(match, req.dualPaging)
	return resp, nil
}
