package cloud

import (
	"time"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// The stored kinds of flow logs and of the flow log service switch.
const (
	KindFlowLog        = "flowlog"
	KindFlowLogService = "flowlogservice"
)

// Indexes of flow logs (kept apart from registry.go's list, whose
// alignment they would change).
const (
	IdxResource    IndexName = "resource"
	IdxProject     IndexName = "project"
	IdxLogStore    IndexName = "logStore"
	IdxTrafficType IndexName = "trafficType"
)

// Flow log statuses: a flow log records from its creation (Active) until
// DeactiveFlowLog (Inactive).
const (
	FlowLogActive   = "Active"
	FlowLogInactive = "Inactive"
)

// FlowLog captures the traffic of a VPC, a vSwitch or an ENI into a
// Simple Log Service logstore (the delivery itself is not modelled).
type FlowLog struct {
	ID                  string    `json:"id"`
	Region              string    `json:"region"`
	Name                string    `json:"name,omitempty"`
	Description         string    `json:"description,omitempty"`
	ResourceType        string    `json:"resourceType"` // VPC | VSwitch | NetworkInterface
	ResourceID          string    `json:"resourceId"`
	VpcID               string    `json:"vpcId"`
	TrafficType         string    `json:"trafficType"` // All | Allow | Drop
	TrafficPath         []string  `json:"trafficPath,omitempty"`
	ProjectName         string    `json:"projectName"`
	LogStoreName        string    `json:"logStoreName"`
	AggregationInterval int       `json:"aggregationInterval"`
	IPVersion           string    `json:"ipVersion"`
	Status              string    `json:"status"`
	Created             time.Time `json:"created"`
	ResourceGroup       string    `json:"resourceGroup,omitempty"`
	Tags                []Tag     `json:"tags,omitempty"`
}

// Kind implements Resource.
func (FlowLog) Kind() string { return KindFlowLog }

// Key implements Resource.
func (f FlowLog) Key() string { return f.ID }

// RegionID implements Resource.
func (f FlowLog) RegionID() string { return f.Region }

// Indexes implements Resource.
func (f FlowLog) Indexes() []Index {
	return append([]Index{
		{"name", f.Name}, {"type", f.ResourceType}, {IdxResource, f.ResourceID}, {"vpc", f.VpcID}, {IdxTrafficType, f.TrafficType},
		{IdxProject, f.ProjectName}, {IdxLogStore, f.LogStoreName}, {"status", f.Status}, {"resourceGroup", f.ResourceGroup},
	}, tagIndexes(f.Tags)...)
}

// NextDue implements Resource.
func (FlowLog) NextDue() time.Time { return time.Time{} }

// TagList implements Tagged.
func (f FlowLog) TagList() []Tag { return f.Tags }

// WithTags implements Tagged.
func (f FlowLog) WithTags(t []Tag) Resource { f.Tags = t; return f }

// SetFlowLogActive is ActiveFlowLog (on true) and DeactiveFlowLog: each
// from the other status only.
func SetFlowLogActive(f FlowLog, on bool) (FlowLog, error) {
	want, from := FlowLogActive, FlowLogInactive
	if !on {
		want, from = FlowLogInactive, FlowLogActive
	}
	if f.Status != from {
		return f, apierr.IncorrectFlowLogStatus.New().WithDetail("flow log %s is %s", f.ID, f.Status)
	}
	f.Status = want
	return f, nil
}

// FlowLogService is the flow log switch of an account in a region, made
// by OpenFlowLogService; its id is fixed per region.
type FlowLogService struct {
	ID     string    `json:"id"`
	Region string    `json:"region"`
	Opened time.Time `json:"opened"`
}

// FlowLogServiceID is the id of a region's switch.
func FlowLogServiceID(region string) string { return "flowlogservice-" + region }

// Kind implements Resource.
func (FlowLogService) Kind() string { return KindFlowLogService }

// Key implements Resource.
func (s FlowLogService) Key() string { return s.ID }

// RegionID implements Resource.
func (s FlowLogService) RegionID() string { return s.Region }

// Indexes implements Resource: a stored switch is an opened one.
func (FlowLogService) Indexes() []Index { return []Index{{"status", "Opened"}} }

// NextDue implements Resource.
func (FlowLogService) NextDue() time.Time { return time.Time{} }

// flowLogKind declares the kind to the registry (registry.go). A flow log
// on an ENI goes with the ENI when an instance's release removes it
// (docs/network.md).
var flowLogKind = Kind{
	Name:   KindFlowLog,
	Prefix: "fl",
	Indexes: append([]IndexDecl{
		{IdxName, "DescribeFlowLogs FlowLogName"},
		{IdxType, "DescribeFlowLogs ResourceType"},
		{IdxResource, "DescribeFlowLogs ResourceId; the flow logs a release removes"},
		{IdxVPC, "DescribeFlowLogs VpcId"},
		{IdxTrafficType, "DescribeFlowLogs TrafficType"},
		{IdxProject, "DescribeFlowLogs ProjectName"},
		{IdxLogStore, "DescribeFlowLogs LogStoreName"},
		{IdxStatus, "DescribeFlowLogs Status"},
		{IdxResourceGroup, "DescribeFlowLogs ResourceGroupId"},
	}, tagIndexDecls("DescribeFlowLogs")...),
	Tags:   &TagDecl{ResourceTypes: map[string]string{"vpc": "FLOWLOG"}},
	Decode: decoder[FlowLog](),
	Release: &ReleaseDecl{
		By:   IdxResource,
		Keys: func(rel *Released) []string { return rel.RemovedOf(KindENI) },
		Effect: func(found []Resource, rel *Released) (put, del []Resource) {
			for _, f := range each[FlowLog](found) {
				if f.ResourceType == "NetworkInterface" && rel.removedENI(f.ResourceID) {
					del = append(del, f)
				}
			}
			return nil, del
		},
	},
}

// flowLogServiceKind declares the kind to the registry (registry.go).
var flowLogServiceKind = Kind{
	Name:    KindFlowLogService,
	Prefix:  "flowlogservice",
	Indexes: []IndexDecl{{IdxStatus, "the regions where the service is opened"}},
	Decode:  decoder[FlowLogService](),
}
