package server

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ecslocal/ecslocal/internal/store"
)

// A store conflict that outlived its retries is a 503 clients retry, never
// a 500; other internal failures stay InternalError.
func TestClassify(t *testing.T) {
	if e := classify(fmt.Errorf("after 30 attempts: %w", store.ErrConflict)); e == nil || e.Code != "ServiceUnavailable" || e.Status != 503 {
		t.Fatalf("conflict: %+v", e)
	}
	if e := classify(errors.New("disk full")); e != nil {
		t.Fatalf("other failure: %+v", e)
	}
}
