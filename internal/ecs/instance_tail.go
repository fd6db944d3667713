package ecs

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"regexp"
	"strings"

	"github.com/ecslocal/ecslocal/internal/apierr"
	"github.com/ecslocal/ecslocal/internal/cloud"
	"github.com/ecslocal/ecslocal/internal/rpc"
	"github.com/ecslocal/ecslocal/internal/store"
)

// taskID is the TaskId of an asynchronous instance change, in the cloud's form.
func (s *Service) taskID() string { return "t-" + s.ids.Digits(16) }

// changeInstance loads an instance, checks it may change (cloud.CheckModify),
// applies fn and stores the result, all in one transaction.
func (s *Service) changeInstance(ctx context.Context, call *rpc.Call, id string, fn func(tx store.Tx, inst *cloud.Instance) error) error {
	return s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		inst, err := loadInstance(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := cloud.CheckModify(inst); err != nil {
			return err
		}
		if err := fn(tx, &inst); err != nil {
			return err
		}
		return store.Put(ctx, tx, inst)
	})
}

// ModifyInstanceVpcAttributeRequest moves a stopped instance to another
// vSwitch or private address.
type ModifyInstanceVpcAttributeRequest struct {
	InstanceID, VSwitchID, PrivateIP, VpcID string
	SecurityGroupIDs                        []string
}

// Bind implements rpc.Binder.
func (r *ModifyInstanceVpcAttributeRequest) Bind(p *rpc.Params) {
	r.InstanceID = p.Required("InstanceId")
	r.VSwitchID = p.Required("VSwitchId")
	r.PrivateIP = p.String("PrivateIpAddress")
	r.VpcID = p.String("VpcId")
	r.SecurityGroupIDs = p.List("SecurityGroupId")
	if len(r.SecurityGroupIDs) > cloud.MaxENISecurityGroups {
		p.Fail(apierr.InvalidParameter.New("SecurityGroupId"))
	}
}

// ModifyInstanceVpcAttributeResponse is {RequestId}.
type ModifyInstanceVpcAttributeResponse struct{ rpc.Base }

// ModifyInstanceVpcAttribute changes a Stopped instance's vSwitch (in its
// zone), private address and, with VpcId and SecurityGroupId.N, its VPC;
// the primary ENI moves with it. A VPC change needs the instance to have no
// other ENI; a vSwitch change needs the primary ENI to hold no secondary
// addresses (they belong to the old vSwitch's block).
func (s *Service) ModifyInstanceVpcAttribute(ctx context.Context, call *rpc.Call, req *ModifyInstanceVpcAttributeRequest) (*ModifyInstanceVpcAttributeResponse, error) {
	err := s.changeInstance(ctx, call, req.InstanceID, func(tx store.Tx, inst *cloud.Instance) error {
		if inst.Status != cloud.StatusStopped || inst.Steps != nil {
			return apierr.IncorrectInstanceStatus.New()
		}
		vsw, err := store.GetIn[cloud.VSwitch](ctx, tx, inst.Region, req.VSwitchID)
		if err != nil {
			return notFound(err, apierr.InvalidVSwitchIDNotFound)
		}
		if vsw.Status != cloud.NetAvailable {
			return apierr.IncorrectVSwitchStatus.New()
		}
		if vsw.Zone != inst.Zone {
			return apierr.VSwitchZoneMismatch.New()
		}
		if req.VpcID != "" && req.VpcID != vsw.VpcID {
			return apierr.InvalidParameter.New("VpcId")
		}
		newVpc := vsw.VpcID != inst.VpcID
		if newVpc && (req.VpcID == "" || len(req.SecurityGroupIDs) == 0) {
			return apierr.MissingParameter.New("SecurityGroupId.1")
		}
		enis, err := enisOf(ctx, tx, inst.Region, inst.ID)
		if err != nil {
			return err
		}
		var primary *cloud.ENI
		for i, e := range enis[inst.ID] {
			if e.Type == cloud.ENIPrimary {
				primary = &enis[inst.ID][i]
			} else if newVpc {
				return apierr.EniVpcMismatch.New().WithDetail("ENI %s stays in %s", e.ID, inst.VpcID)
			}
		}
		if primary == nil {
			return fmt.Errorf("instance %s has no primary ENI", inst.ID)
		}
		if len(req.SecurityGroupIDs) > 0 {
			sgs, err := resolveGroups(ctx, tx, inst.Region, vsw.VpcID, req.SecurityGroupIDs)
			if err != nil {
				return err
			}
			inst.SecurityGroups, primary.SecurityGroups = sgs, append([]string{}, sgs...)
		}
		ip := inst.PrivateIP
		switch {
		case req.PrivateIP != "" && (req.PrivateIP != inst.PrivateIP || vsw.ID != inst.VSwitchID):
			if err := checkIP(ctx, tx, vsw, req.PrivateIP, "PrivateIpAddress"); err != nil {
				return err
			}
			ip = req.PrivateIP
		case req.PrivateIP == "" && vsw.ID != inst.VSwitchID:
			next, ok, err := allocateIP(ctx, tx, &vsw)
			if err != nil {
				return err
			}
			if !ok {
				return apierr.VSwitchIPNotEnough.New()
			}
			ip = next
			if err := store.Put(ctx, tx, vsw); err != nil {
				return err
			}
		}
		if vsw.ID != inst.VSwitchID && len(primary.SecondaryIPs) > 0 {
			return apierr.InvalidEniState.New().WithDetail("ENI %s holds secondary addresses of %s", primary.ID, inst.VSwitchID)
		}
		inst.VpcID, inst.VSwitchID, inst.PrivateIP = vsw.VpcID, vsw.ID, ip
		primary.VpcID, primary.VSwitchID, primary.PrivateIP = vsw.VpcID, vsw.ID, ip
		return store.Put(ctx, tx, *primary)
	})
	if err != nil {
		return nil, err
	}
	return &ModifyInstanceVpcAttributeResponse{}, nil
}

// maintenanceHour is a maintenance window bound: a whole UTC hour.
var maintenanceHour = regexp.MustCompile(`^([01][0-9]|2[0-3]):00:00Z$`)

// ModifyInstanceMaintenanceAttributesRequest sets the maintenance policy
// of instances.
type ModifyInstanceMaintenanceAttributesRequest struct {
	RegionID, Action string
	IDs              []string
	Notify           *bool
	Windows          []cloud.MaintenanceWindow
	windowsGiven     bool
}

// Bind implements rpc.Binder.
func (r *ModifyInstanceMaintenanceAttributesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.IDs = p.List("InstanceId")
	switch {
	case len(r.IDs) == 0:
		p.Fail(apierr.MissingParameter.New("InstanceId.1"))
	case len(r.IDs) > 100:
		p.Fail(apierr.InvalidParameter.New("InstanceId"))
	}
	r.Action = p.Enum("ActionOnMaintenance", "", "Stop", "AutoRecover", "AutoRedeploy")
	r.Notify = p.OptBool("NotifyOnMaintenance")
	for _, w := range p.Objects("MaintenanceWindow") {
		r.windowsGiven = true
		win := cloud.MaintenanceWindow{Start: w.String("StartTime"), End: w.String("EndTime")}
		if !maintenanceHour.MatchString(win.Start) || !maintenanceHour.MatchString(win.End) || win.Start == win.End {
			p.Fail(apierr.MaintenanceWindowBad.New())
		}
		r.Windows = append(r.Windows, win)
	}
	if len(r.Windows) > 1 {
		p.Fail(apierr.MaintenanceWindowBad.New()) // one window per instance, as the console offers
	}
}

// ModifyInstanceMaintenanceAttributesResponse is {RequestId}.
type ModifyInstanceMaintenanceAttributesResponse struct{ rpc.Base }

// ModifyInstanceMaintenanceAttributes sets, for every instance named (all
// or none), what maintenance does to it, whether it is notified and its
// daily window; DescribeInstanceMaintenanceAttributes answers them.
func (s *Service) ModifyInstanceMaintenanceAttributes(ctx context.Context, call *rpc.Call, req *ModifyInstanceMaintenanceAttributesRequest) (*ModifyInstanceMaintenanceAttributesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		list, err := instancesIn(ctx, tx, req.RegionID, req.IDs)
		if err != nil {
			return err
		}
		for _, inst := range list {
			m := cloud.MaintenancePolicy{Action: "AutoRecover"}
			if inst.Tail.Maintenance != nil {
				m = *inst.Tail.Maintenance
			}
			if req.Action != "" {
				m.Action = req.Action
			}
			if req.Notify != nil {
				m.Notify = *req.Notify
			}
			if req.windowsGiven {
				m.Windows = req.Windows
			}
			inst.Tail.Maintenance = &m
			if err := store.Put(ctx, tx, inst); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ModifyInstanceMaintenanceAttributesResponse{}, nil
}

// ModifyInstanceAutoRenewAttributeRequest sets the renewal of subscriptions.
type ModifyInstanceAutoRenewAttributeRequest struct {
	RegionID, PeriodUnit, RenewalStatus string
	IDs                                 []string
	AutoRenew                           *bool
	Duration                            int
}

// Bind implements rpc.Binder: InstanceId holds up to 100 comma-separated ids.
func (r *ModifyInstanceAutoRenewAttributeRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	for _, id := range strings.Split(p.Required("InstanceId"), ",") {
		if id = strings.TrimSpace(id); id != "" {
			r.IDs = append(r.IDs, id)
		}
	}
	if len(r.IDs) > 100 {
		p.Fail(apierr.InvalidParameter.New("InstanceId"))
	}
	r.AutoRenew = p.OptBool("AutoRenew")
	r.PeriodUnit = p.Enum("PeriodUnit", "Month", "Month", "Week", "Year")
	r.Duration = p.Int("Duration", 0, 1, 12)
	r.RenewalStatus = p.Enum("RenewalStatus", "", "AutoRenewal", "Normal", "NotRenewal")
}

// ModifyInstanceAutoRenewAttributeResponse is {RequestId}.
type ModifyInstanceAutoRenewAttributeResponse struct{ rpc.Base }

// ModifyInstanceAutoRenewAttribute: RenewalStatus, when given, wins over
// AutoRenew; a pay-as-you-go instance is refused (ChargeTypeViolation).
// ecslocal does not renew at expiry: the setting is what
// DescribeInstanceAutoRenewAttribute answers.
func (s *Service) ModifyInstanceAutoRenewAttribute(ctx context.Context, call *rpc.Call, req *ModifyInstanceAutoRenewAttributeRequest) (*ModifyInstanceAutoRenewAttributeResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		list, err := instancesIn(ctx, tx, req.RegionID, req.IDs)
		if err != nil {
			return err
		}
		for _, inst := range list {
			if inst.ChargeType != cloud.PrePaid {
				return apierr.ChargeTypeViolation.New().WithDetail("%s is pay-as-you-go", inst.ID)
			}
			switch {
			case req.RenewalStatus != "":
				inst.AutoRenew, inst.Tail.NotRenewal = req.RenewalStatus == "AutoRenewal", req.RenewalStatus == "NotRenewal"
			case req.AutoRenew != nil:
				inst.AutoRenew, inst.Tail.NotRenewal = *req.AutoRenew, false
			}
			if req.Duration > 0 {
				inst.Tail.RenewDuration, inst.Tail.RenewUnit = req.Duration, req.PeriodUnit
			}
			if err := store.Put(ctx, tx, inst); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ModifyInstanceAutoRenewAttributeResponse{}, nil
}

// vncPassword: six letters or digits.
var vncPassword = regexp.MustCompile(`^[A-Za-z0-9]{6}$`)

// ModifyInstanceVncPasswdRequest sets the VNC password.
type ModifyInstanceVncPasswdRequest struct {
	RegionID, InstanceID, Password string
}

// Bind implements rpc.Binder.
func (r *ModifyInstanceVncPasswdRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceID = p.Required("InstanceId")
	r.Password = p.Required("VncPassword")
	if r.Password != "" && !vncPassword.MatchString(r.Password) {
		p.Fail(apierr.VncPasswordMalformed.New())
	}
}

// ModifyInstanceVncPasswdResponse is {RequestId}.
type ModifyInstanceVncPasswdResponse struct{ rpc.Base }

// ModifyInstanceVncPasswd stores the instance's VNC password.
func (s *Service) ModifyInstanceVncPasswd(ctx context.Context, call *rpc.Call, req *ModifyInstanceVncPasswdRequest) (*ModifyInstanceVncPasswdResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.changeInstance(ctx, call, req.InstanceID, func(_ store.Tx, inst *cloud.Instance) error {
		if inst.Region != req.RegionID {
			return apierr.InvalidInstanceIDNotFound.New()
		}
		inst.Tail.VNCPassword = req.Password
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ModifyInstanceVncPasswdResponse{}, nil
}

// runningInstance reads an instance of region for the console actions: it
// must be Running.
func runningInstance(ctx context.Context, tx store.Tx, region, id string) (cloud.Instance, error) {
	inst, err := loadInstance(ctx, tx, id)
	if err != nil {
		return inst, err
	}
	if inst.Region != region {
		return inst, apierr.InvalidInstanceIDNotFound.New()
	}
	if inst.Status != cloud.StatusRunning {
		return inst, apierr.IncorrectInstanceStatus.New()
	}
	return inst, nil
}

// DescribeInstanceVncUrlRequest names a Running instance.
type DescribeInstanceVncUrlRequest struct{ RegionID, InstanceID string }

// Bind implements rpc.Binder.
func (r *DescribeInstanceVncUrlRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceID = p.Required("InstanceId")
}

// DescribeInstanceVncUrlResponse carries the console address.
type DescribeInstanceVncUrlResponse struct {
	rpc.Base
	VncURL string `json:"VncUrl"`
}

// DescribeInstanceVncUrl answers a management-terminal address for a
// Running instance. ecslocal runs no guest, so the address is in the
// cloud's form on a host that does not resolve (.invalid), valid for one
// call as the cloud's is for 15 seconds [choice].
func (s *Service) DescribeInstanceVncUrl(ctx context.Context, call *rpc.Call, req *DescribeInstanceVncUrlRequest) (*DescribeInstanceVncUrlResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &DescribeInstanceVncUrlResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		inst, err := runningInstance(ctx, tx, req.RegionID, req.InstanceID)
		if err != nil {
			return err
		}
		resp.VncURL = "wss://vnc.ecslocal.invalid/webtty?instanceId=" + inst.ID + "&token=" + s.ids.Digits(16)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// GetInstanceConsoleOutputRequest names an instance.
type GetInstanceConsoleOutputRequest struct {
	RegionID, InstanceID string
	RemoveSymbols        bool
}

// Bind implements rpc.Binder.
func (r *GetInstanceConsoleOutputRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceID = p.Required("InstanceId")
	r.RemoveSymbols = p.Bool("RemoveSymbols", false)
}

// GetInstanceConsoleOutputResponse carries the Base64 serial log.
type GetInstanceConsoleOutputResponse struct {
	rpc.Base
	InstanceID     string `json:"InstanceId"`
	ConsoleOutput  string `json:"ConsoleOutput"`
	LastUpdateTime string `json:"LastUpdateTime"`
}

// consoleLog is the serial log of an instance's last start: what a guest
// of its image prints while booting, from the instance's own attributes.
func consoleLog(i cloud.Instance, symbols bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[    0.000000] Linux version (%s) booting on %s\r\n", i.OSNameEn, i.InstanceType)
	fmt.Fprintf(&b, "[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz root=UUID=%s ro console=ttyS0,115200n8\r\n", serialNumber(i.ID))
	fmt.Fprintf(&b, "[    1.024000] Memory: %dK available, %d CPUs\r\n", i.MemoryMiB*1024, i.CPU)
	fmt.Fprintf(&b, "[    3.512000] cloud-init: hostname %s, address %s\r\n", i.HostName, i.PrivateIP)
	fmt.Fprintf(&b, "\r\n%s login: \r\n", i.HostName)
	out := b.String()
	if !symbols {
		out = strings.ReplaceAll(out, "\r", "")
	}
	return out
}

// GetInstanceConsoleOutput answers the serial log of the instance's last
// start, Base64-encoded; an instance that never started has none yet
// (IncorrectInstanceStatus) [choice: the log is made from the instance's
// attributes, as no guest runs].
func (s *Service) GetInstanceConsoleOutput(ctx context.Context, call *rpc.Call, req *GetInstanceConsoleOutputRequest) (*GetInstanceConsoleOutputResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &GetInstanceConsoleOutputResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		inst, err := loadInstance(ctx, tx, req.InstanceID)
		if err != nil {
			return err
		}
		if inst.Region != req.RegionID {
			return apierr.InvalidInstanceIDNotFound.New()
		}
		if inst.Started.IsZero() {
			return apierr.IncorrectInstanceStatus.New()
		}
		resp.InstanceID, resp.LastUpdateTime = inst.ID, cloud.FormatSecond(inst.Started)
		resp.ConsoleOutput = base64.StdEncoding.EncodeToString([]byte(consoleLog(inst, !req.RemoveSymbols)))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// GetInstanceScreenshotRequest names a Running instance.
type GetInstanceScreenshotRequest struct {
	RegionID, InstanceID string
}

// Bind implements rpc.Binder.
func (r *GetInstanceScreenshotRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceID = p.Required("InstanceId")
	p.Bool("WakeUp", false)
}

// GetInstanceScreenshotResponse carries a Base64 JPEG.
type GetInstanceScreenshotResponse struct {
	rpc.Base
	InstanceID string `json:"InstanceId"`
	Screenshot string `json:"Screenshot"`
}

// screenshot is a 64×48 JPEG of a text console: black, with one grey bar
// per line of the boot log, so it differs between instances.
func screenshot(log string) ([]byte, error) {
	img := image.NewGray(image.Rect(0, 0, 64, 48))
	for y, line := range strings.Split(log, "\n") {
		for x := 0; x < min(len(line), 64) && 2+y*4 < 48; x++ {
			img.SetGray(x, 2+y*4, color.Gray{Y: 200})
		}
	}
	var b bytes.Buffer
	err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 75})
	return b.Bytes(), err
}

// GetInstanceScreenshot answers a JPEG of the Running instance's console,
// Base64-encoded [choice: drawn from its boot log, as no guest runs].
func (s *Service) GetInstanceScreenshot(ctx context.Context, call *rpc.Call, req *GetInstanceScreenshotRequest) (*GetInstanceScreenshotResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &GetInstanceScreenshotResponse{}
	err := s.store.View(ctx, call.Account, func(tx store.Tx) error {
		inst, err := runningInstance(ctx, tx, req.RegionID, req.InstanceID)
		if err != nil {
			return err
		}
		shot, err := screenshot(consoleLog(inst, false))
		if err != nil {
			return err
		}
		resp.InstanceID, resp.Screenshot = inst.ID, base64.StdEncoding.EncodeToString(shot)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// RedeployInstanceRequest names an instance.
type RedeployInstanceRequest struct {
	InstanceID string
	ForceStop  bool
}

// Bind implements rpc.Binder.
func (r *RedeployInstanceRequest) Bind(p *rpc.Params) {
	r.InstanceID = p.Required("InstanceId")
	r.ForceStop = p.Bool("ForceStop", false)
}

// RedeployInstanceResponse carries the task.
type RedeployInstanceResponse struct {
	rpc.Base
	TaskID string `json:"TaskId"`
}

// RedeployInstance moves an instance to another host: a Running one stops
// and starts again as a reboot does (it answers Running after the reboot
// delays), a Stopped one stays Stopped; any other status is refused.
func (s *Service) RedeployInstance(ctx context.Context, call *rpc.Call, req *RedeployInstanceRequest) (*RedeployInstanceResponse, error) {
	resp := &RedeployInstanceResponse{}
	err := s.changeInstance(ctx, call, req.InstanceID, func(tx store.Tx, inst *cloud.Instance) error {
		switch {
		case inst.Status == cloud.StatusRunning && inst.Steps == nil:
			cfg, err := store.LoadConfig(ctx, tx)
			if err != nil {
				return err
			}
			next, err := cloud.Reboot(*inst, tx.Now(), cfg.Delays)
			if err != nil {
				return err
			}
			*inst = next
		case inst.Status == cloud.StatusStopped && inst.Steps == nil:
		default:
			return apierr.IncorrectInstanceStatus.New()
		}
		inst.Tail.Redeployed++
		resp.TaskID = s.taskID()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ReActivateInstancesRequest names an instance.
type ReActivateInstancesRequest struct{ RegionID, InstanceID string }

// Bind implements rpc.Binder.
func (r *ReActivateInstancesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceID = p.Required("InstanceId")
}

// ReActivateInstancesResponse is {RequestId}.
type ReActivateInstancesResponse struct{ rpc.Base }

// ReActivateInstances reactivates a pay-as-you-go instance stopped for an
// overdue payment: its financial OperationLocks entry (the admin API sets
// one) is removed; it stays Stopped until started. Any other instance
// answers InvalidInstanceStatus.NotExpired [choice].
func (s *Service) ReActivateInstances(ctx context.Context, call *rpc.Call, req *ReActivateInstancesRequest) (*ReActivateInstancesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, call.Account, func(tx store.Tx) error {
		inst, err := loadInstance(ctx, tx, req.InstanceID)
		if err != nil {
			return err
		}
		if inst.HasLock(cloud.LockSecurity) {
			return apierr.InstanceLockedForSecurity.New()
		}
		if inst.ChargeType != cloud.PostPaid || !inst.HasLock(cloud.LockFinancial) {
			return apierr.InstanceNotExpired.New()
		}
		kept := inst.Locks[:0:0]
		for _, l := range inst.Locks {
			if l.Reason != cloud.LockFinancial {
				kept = append(kept, l)
			}
		}
		inst.Locks = kept
		return store.Put(ctx, tx, inst)
	})
	if err != nil {
		return nil, err
	}
	return &ReActivateInstancesResponse{}, nil
}

// ModifyInstanceClockOptionsRequest sets PTP on an instance.
type ModifyInstanceClockOptionsRequest struct {
	RegionID, InstanceID, PTPStatus, ClientToken string
	DryRun                                       bool
}

// Bind implements rpc.Binder.
func (r *ModifyInstanceClockOptionsRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceID = p.Required("InstanceId")
	r.PTPStatus = p.Enum("PtpStatus", "", "enabled", "disabled")
	if r.PTPStatus == "" && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("PtpStatus"))
	}
	r.DryRun = p.Bool("DryRun", false)
	r.ClientToken = p.ClientToken()
}

// ModifyInstanceClockOptionsResponse carries the task.
type ModifyInstanceClockOptionsResponse struct {
	rpc.Base
	TaskID string `json:"TaskId"`
}

// ModifyInstanceClockOptions enables or disables the PTP clock of a
// Stopped instance (IncorrectInstanceStatus otherwise) [choice: the
// reference describes the change for stopped instances].
func (s *Service) ModifyInstanceClockOptions(ctx context.Context, call *rpc.Call, req *ModifyInstanceClockOptionsRequest) (*ModifyInstanceClockOptionsResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	resp := &ModifyInstanceClockOptionsResponse{}
	err := s.changeInstance(ctx, call, req.InstanceID, func(_ store.Tx, inst *cloud.Instance) error {
		if inst.Status != cloud.StatusStopped || inst.Steps != nil {
			return apierr.IncorrectInstanceStatus.New()
		}
		if req.DryRun {
			return dryRun()
		}
		inst.Tail.PTPStatus = req.PTPStatus
		resp.TaskID = s.taskID()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyInstanceNetworkOptionsRequest sets an instance's bandwidth weighting.
type ModifyInstanceNetworkOptionsRequest struct{ InstanceID, Weighting string }

// Bind implements rpc.Binder.
func (r *ModifyInstanceNetworkOptionsRequest) Bind(p *rpc.Params) {
	r.InstanceID = p.Required("InstanceId")
	r.Weighting = p.Enum("BandwidthWeighting", "", "Vpc-L1", "Vpc-L2", "Ebs-L1", "Ebs-L2", "Default")
	if r.Weighting == "" && p.Err() == nil {
		p.Fail(apierr.MissingParameter.New("BandwidthWeighting"))
	}
}

// ModifyInstanceNetworkOptionsResponse carries the task.
type ModifyInstanceNetworkOptionsResponse struct {
	rpc.Base
	TaskID string `json:"TaskId"`
}

// ModifyInstanceNetworkOptions stores how a Stopped instance's bandwidth is
// shared between VPC and block storage traffic [choice: Stopped, as for a
// type change].
func (s *Service) ModifyInstanceNetworkOptions(ctx context.Context, call *rpc.Call, req *ModifyInstanceNetworkOptionsRequest) (*ModifyInstanceNetworkOptionsResponse, error) {
	resp := &ModifyInstanceNetworkOptionsResponse{}
	err := s.changeInstance(ctx, call, req.InstanceID, func(_ store.Tx, inst *cloud.Instance) error {
		if inst.Status != cloud.StatusStopped || inst.Steps != nil {
			return apierr.IncorrectInstanceStatus.New()
		}
		inst.Tail.BandwidthWeighting = req.Weighting
		if req.Weighting == "Default" {
			inst.Tail.BandwidthWeighting = ""
		}
		resp.TaskID = s.taskID()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ModifyInstanceAttachmentAttributesRequest sets private-pool matching.
type ModifyInstanceAttachmentAttributesRequest struct {
	RegionID, InstanceID, Match, PoolID string
}

// Bind implements rpc.Binder.
func (r *ModifyInstanceAttachmentAttributesRequest) Bind(p *rpc.Params) {
	r.RegionID = p.Required("RegionId")
	r.InstanceID = p.Required("InstanceId")
	r.Match = p.Required("PrivatePoolOptions.MatchCriteria")
	if r.Match != "" && r.Match != "Open" && r.Match != "Target" && r.Match != "None" {
		p.Fail(apierr.InvalidParameter.New("PrivatePoolOptions.MatchCriteria"))
	}
	r.PoolID = p.String("PrivatePoolOptions.Id")
	if r.Match == "Target" && r.PoolID == "" && p.Err() == nil {
		p.Fail(apierr.InvalidPrivatePoolOpt.New())
	}
}

// ModifyInstanceAttachmentAttributesResponse is {RequestId}.
type ModifyInstanceAttachmentAttributesResponse struct{ rpc.Base }

// ModifyInstanceAttachmentAttributes sets whether an instance draws from
// private pools (Open) or not (None); DescribeInstanceAttachmentAttributes
// answers it. ecslocal has no private pools, so Target names a pool that
// does not exist (InvalidParameter.PrivatePoolOptions) [choice].
func (s *Service) ModifyInstanceAttachmentAttributes(ctx context.Context, call *rpc.Call, req *ModifyInstanceAttachmentAttributesRequest) (*ModifyInstanceAttachmentAttributesResponse, error) {
	if err := s.checkRegion(req.RegionID); err != nil {
		return nil, err
	}
	err := s.changeInstance(ctx, call, req.InstanceID, func(_ store.Tx, inst *cloud.Instance) error {
		if inst.Region != req.RegionID {
			return apierr.InvalidInstanceIDNotFound.New()
		}
		if req.Match == "Target" {
			return apierr.InvalidPrivatePoolOpt.New().WithDetail("no private pool %s", req.PoolID)
		}
		inst.Tail.PrivatePoolMatch = req.Match
		if req.Match == "Open" {
			inst.Tail.PrivatePoolMatch = ""
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ModifyInstanceAttachmentAttributesResponse{}, nil
}
