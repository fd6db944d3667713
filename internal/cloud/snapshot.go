package cloud

import (
	"fmt"
	"time"
)

// Snapshot types and statuses (§1).
const (
	SnapshotAuto         = "auto"
	SnapshotUser         = "user"
	SnapshotProgressing  = "progressing"
	SnapshotAccomplished = "accomplished"
)

// Snapshot is a disk snapshot; it outlives its disk unless it is an
// automatic one of a disk released with DeleteAutoSnapshot (§3.6).
type Snapshot struct {
	ID             string    `json:"id"`
	Region         string    `json:"region"`
	Name           string    `json:"name"`
	Description    string    `json:"description,omitempty"`
	Type           string    `json:"type"` // auto | user
	SourceDiskID   string    `json:"sourceDiskId"`
	SourceDiskType string    `json:"sourceDiskType"`
	SourceDiskSize int       `json:"sourceDiskSize"`
	Category       string    `json:"category"`
	InstanceID     string    `json:"instanceId,omitempty"` // of the disk when taken
	Status         string    `json:"status"`
	Created        time.Time `json:"created"`
	DoneAt         time.Time `json:"doneAt"` // when progressing reaches 100%
	RetentionDays  int       `json:"retentionDays,omitempty"`
	PolicyID       string    `json:"policyId,omitempty"`
	Tags           []Tag     `json:"tags,omitempty"`
}

// Kind implements Resource.
func (Snapshot) Kind() string { return KindSnapshot }

// Key implements Resource.
func (s Snapshot) Key() string { return s.ID }

// RegionID implements Resource.
func (s Snapshot) RegionID() string { return s.Region }

// Indexes implements Resource.
func (s Snapshot) Indexes() []Index {
	out := []Index{{"disk", s.SourceDiskID}, {"type", s.Type}, {"status", s.Status}, {"name", s.Name}, {"diskType", s.SourceDiskType}}
	if s.InstanceID != "" {
		out = append(out, Index{"instance", s.InstanceID})
	}
	return append(out, tagIndexes(s.Tags)...)
}

// NextDue implements Resource: completion, then retention expiry.
func (s Snapshot) NextDue() time.Time {
	if s.Status == SnapshotProgressing {
		return s.DoneAt
	}
	return s.RetainUntil()
}

// RetainUntil is when RetentionDays removes the snapshot, or zero.
func (s Snapshot) RetainUntil() time.Time {
	if s.RetentionDays <= 0 {
		return time.Time{}
	}
	return s.Created.AddDate(0, 0, s.RetentionDays)
}

// Progress is the API's "NN%" at now, linear over the snapshot delay.
func (s Snapshot) Progress(now time.Time) string {
	if s.Status != SnapshotProgressing {
		return "100%"
	}
	total := s.DoneAt.Sub(s.Created)
	if total <= 0 {
		return "100%"
	}
	p := int(100 * now.Sub(s.Created) / total)
	return fmt.Sprintf("%d%%", min(max(p, 0), 99))
}

// AdvanceSnapshot completes a snapshot when due; expired reports that its
// RetentionDays ran out and it is to be deleted.
func AdvanceSnapshot(s Snapshot, now time.Time) (next Snapshot, expired bool) {
	if s.Status == SnapshotProgressing && !s.DoneAt.After(now) {
		s.Status = SnapshotAccomplished
	}
	if r := s.RetainUntil(); !r.IsZero() && !r.After(now) {
		return s, true
	}
	return s, false
}
