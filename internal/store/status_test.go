package store

import (
	"bytes"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/cloud"
)

// embedded is a stored type whose status comes through an embedded struct:
// its document is read.
type embedded struct {
	cloud.PrivatePool
	ID string `json:"id"`
}

func (embedded) Kind() string           { return cloud.KindInstance }
func (e embedded) Key() string          { return e.ID }
func (embedded) RegionID() string       { return "r" }
func (embedded) Indexes() []cloud.Index { return nil }
func (embedded) NextDue() time.Time     { return time.Time{} }

// upper names its status field "Status": the decoding matches names in
// any case, so it is the status.
type upper struct {
	ID string `json:"id"`
	S  string `json:"Status"`
}

func (upper) Kind() string           { return cloud.KindInstance }
func (u upper) Key() string          { return u.ID }
func (upper) RegionID() string       { return "r" }
func (upper) Indexes() []cloud.Index { return nil }
func (upper) NextDue() time.Time     { return time.Time{} }

// TestKnownStatus: a typed write knows its record's status as the
// document reads it, kept only while the record's Data is the slice it
// was known for; a copy of the same bytes takes it (KeepStatus), other
// bytes do not.
func TestKnownStatus(t *testing.T) {
	rec, err := RecordOf(cloud.Instance{ID: "i-1", Region: "r", Status: cloud.StatusRunning})
	if err != nil {
		t.Fatal(err)
	}
	if s, known := RecordStatus(rec); s != cloud.StatusRunning || !known {
		t.Errorf("typed write: %q known %v", s, known)
	}
	replaced := rec
	replaced.Data = bytes.Replace(bytes.Clone(rec.Data), []byte(cloud.StatusRunning), []byte(cloud.StatusStopped), 1)
	if s, known := RecordStatus(replaced); s != cloud.StatusStopped || known {
		t.Errorf("Data replaced: %q known %v", s, known)
	}
	cut := rec
	cut.Data = rec.Data[:len(rec.Data)-1]
	if _, known := RecordStatus(cut); known {
		t.Error("Data cut: status known")
	}
	kept := Record{Data: bytes.Clone(rec.Data)}
	KeepStatus(&kept, &rec)
	if s, known := RecordStatus(kept); s != cloud.StatusRunning || !known {
		t.Errorf("kept: %q known %v", s, known)
	}
	other := Record{Data: replaced.Data}
	KeepStatus(&other, &rec)
	if _, known := RecordStatus(other); known {
		t.Error("other bytes took the status")
	}
	// A document given with its value (a state's import) is read.
	given, err := IndexedRecord(cloud.Instance{ID: "i-1", Region: "r", Status: cloud.StatusRunning}, bytes.Clone(rec.Data))
	if err != nil {
		t.Fatal(err)
	}
	if _, known := RecordStatus(given); known {
		t.Error("IndexedRecord's document: status known")
	}
	for _, tc := range []struct {
		what  string
		r     cloud.Resource
		known bool
	}{
		{"invalid UTF-8", cloud.Instance{ID: "i-1", Status: "Run\xffning"}, false},
		{"embedded", embedded{ID: "x", PrivatePool: cloud.PrivatePool{Status: "Active"}}, false},
		{"no status", cloud.KeyPair{Name: "k"}, true},
		{"Status", upper{ID: "u", S: "Odd"}, true},
	} {
		rec, err := RecordOf(tc.r)
		if err != nil {
			t.Fatal(err)
		}
		s, known := RecordStatus(rec)
		if known != tc.known || s != DocumentStatus(rec.Data) {
			t.Errorf("%s: %q known %v, the document reads %q", tc.what, s, known, DocumentStatus(rec.Data))
		}
	}
}
