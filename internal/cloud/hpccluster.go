package cloud

import "time"

// KindHpcCluster is the stored kind of HPC clusters.
const KindHpcCluster = "hpccluster"

// HpcCluster is an HPC cluster (CreateHpcCluster): a named group that
// high-performance instances join. No launch in ecslocal joins one, so a
// cluster holds no instance and has no place in a release.
type HpcCluster struct {
	ID          string    `json:"id"`
	Region      string    `json:"region"`
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	Created     time.Time `json:"created"`
}

// Kind implements Resource.
func (HpcCluster) Kind() string { return KindHpcCluster }

// Key implements Resource.
func (h HpcCluster) Key() string { return h.ID }

// RegionID implements Resource.
func (h HpcCluster) RegionID() string { return h.Region }

// NextDue implements Resource.
func (HpcCluster) NextDue() time.Time { return time.Time{} }

// Indexes implements Resource.
func (h HpcCluster) Indexes() []Index { return []Index{{IdxName, h.Name}} }

// hpcClusterKind declares the kind to the registry (registry.go).
var hpcClusterKind = Kind{
	Name:    KindHpcCluster,
	Prefix:  "hpc",
	Indexes: []IndexDecl{{IdxName, "CreateHpcCluster and ModifyHpcClusterAttribute: a name is unique in the region"}},
	Decode:  decoder[HpcCluster](),
}

// KindTask is the stored kind of asynchronous tasks (DescribeTasks).
const KindTask = "task"

// Task statuses.
const (
	TaskProcessing = "Processing"
	TaskFinished   = "Finished"
	TaskFailed     = "Failed"
	TaskCancelled  = "Cancelled"
)

// Task is one asynchronous task DescribeTasks lists: in ecslocal the
// ModifyDiskSpec changes, which complete in their call, so a task is
// Finished when made. Only ImportImage and ExportImage tasks can be
// cancelled in the cloud, and ecslocal makes neither.
type Task struct {
	ID         string    `json:"id"`
	Region     string    `json:"region"`
	Action     string    `json:"action"` // ModifyDiskSpec
	ResourceID string    `json:"resourceId"`
	Status     string    `json:"status"`
	Created    time.Time `json:"created"`
	Finished   time.Time `json:"finished,omitzero"`
}

// Kind implements Resource.
func (Task) Kind() string { return KindTask }

// Key implements Resource.
func (k Task) Key() string { return k.ID }

// RegionID implements Resource.
func (k Task) RegionID() string { return k.Region }

// NextDue implements Resource.
func (Task) NextDue() time.Time { return time.Time{} }

// Indexes implements Resource.
func (k Task) Indexes() []Index {
	return []Index{{IdxType, k.Action}, {IdxStatus, k.Status}}
}

// Cancellable tells whether CancelTask may cancel the task.
func (k Task) Cancellable() bool {
	return k.Status == TaskProcessing && (k.Action == "ImportImage" || k.Action == "ExportImage")
}

// taskKind declares the kind to the registry (registry.go). A task records
// a change made; it has no place in a release.
var taskKind = Kind{
	Name:   KindTask,
	Prefix: "tsk",
	Indexes: []IndexDecl{
		{IdxType, "DescribeTasks TaskAction"},
		{IdxStatus, "DescribeTasks TaskStatus"},
	},
	Decode: decoder[Task](),
}
